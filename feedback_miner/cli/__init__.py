"""The ``feedback-miner`` command line (names fixed by DESIGN.md): one module per command,
each registering its sub-parser; :mod:`.common` holds what they share."""

from .program import build_parser, main

__all__ = ["build_parser", "main"]
