"""The ``feedback-miner`` program: the parser of every sub-command, and :func:`main`.

Exit status 0 on success, 2 on a user's mistake (with a message on stderr
naming the file, what is wrong and how to fix it), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import FeedbackMinerError
from . import analyze, demo, features, ingest, labels, risk, sentiment, serve, themes
from .common import Parser

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = Parser(
        prog="feedback-miner",
        description="流失原因挖掘: find why customers leave from Chinese feedback and churn labels.",
    )
    parser.add_argument("--version", action="version", version=f"feedback-miner {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    for command in (analyze, ingest, sentiment, features, themes, labels, risk, serve, demo):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="feedback-miner: %(levelname)s: %(message)s")
    try:
        code: int = args.run(args)
        return code
    except FeedbackMinerError as err:
        print(f"feedback-miner: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("feedback-miner: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
