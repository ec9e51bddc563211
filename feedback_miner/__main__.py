"""``python -m feedback_miner`` runs the command line."""

import sys

from .cli import main

sys.exit(main())
