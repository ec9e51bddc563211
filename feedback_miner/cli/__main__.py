"""``python -m feedback_miner.cli`` runs the command line (as ``python -m feedback_miner`` does)."""

import sys

from .program import main

sys.exit(main())
