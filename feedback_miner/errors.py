"""Errors raised for users' mistakes.

Every error a user can cause is a :class:`FeedbackMinerError`. Its message names
the file (and row or column where it applies), says what is wrong and how to fix
it. The command line turns these into exit status 2 with the message on stderr,
never a traceback.

Each subclass also derives from the built-in exception it refines, so that code
catching ``ValueError`` or ``FileNotFoundError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ColumnError",
    "EmptyInputError",
    "FeedbackMinerError",
    "InputFileError",
    "LabelError",
    "LexiconError",
    "OutputError",
    "TaxonomyError",
    "WorkerError",
    "invalid_choice_message",
]


class FeedbackMinerError(Exception):
    """Base class of all errors caused by a user's input or options."""


class InputFileError(FeedbackMinerError, OSError):
    """A file cannot be found, opened or decoded."""


class EmptyInputError(FeedbackMinerError, ValueError):
    """A file holds no data rows."""


class ColumnError(FeedbackMinerError, KeyError):
    """A column that was named or is needed does not exist or holds no usable data."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class LabelError(FeedbackMinerError, ValueError):
    """The churn label file cannot be used (missing columns, bad values, no matching users)."""


class TaxonomyError(FeedbackMinerError, ValueError):
    """A taxonomy TOML file is malformed; the message names file, line and field."""


class LexiconError(FeedbackMinerError, ValueError):
    """A lexicon or user-dictionary file is malformed; the message names file and line."""


class OutputError(FeedbackMinerError, OSError):
    """An output file cannot be written (read-only folder, disk full, a folder in the way)."""


class WorkerError(FeedbackMinerError, RuntimeError):
    """A worker process ended before finishing its work (killed, or out of memory)."""


def invalid_choice_message(what: str, value: object, choices: Iterable[object]) -> str:
    """Format the one message used for every "value X is invalid, must be one of Y".

    Parameters
    ----------
    what : str
        What the value is for, e.g. ``"--source"``.
    value : object
        The value that was given.
    choices : iterable
        The accepted values.

    Examples
    --------
    >>> invalid_choice_message("--source", "mail", ["survey", "service"])
    "--source is 'mail', which is not valid; use one of: survey, service."
    """
    options = ", ".join(str(c) for c in choices)
    return f"{what} is {value!r}, which is not valid; use one of: {options}."
