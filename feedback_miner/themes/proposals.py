"""Discovered topics as a user takes them: ``[[themes]]`` blocks to paste into a taxonomy,
and the topic of every input row (``--assignments``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .discover import Discovery
from .topics import DiscoveredTopic, coherence_words

__all__ = [
    "ADOPT_HINT",
    "ASSIGNMENT_COLUMNS",
    "describe_topic",
    "nothing_to_propose",
    "to_toml",
    "topic_assignments",
]

ASSIGNMENT_COLUMNS = ("file", "row", "doc_id", "topic")
ADOPT_HINT = (
    "To adopt a topic, paste its [[themes]] block into your taxonomy file, rename it, keep the "
    "keywords that fit, and run analyze with --taxonomy FILE.toml."
)


def describe_topic(topic: DiscoveredTopic) -> str:
    """Size, share of negative texts and coherence of ``topic`` in one line.

    Examples
    --------
    >>> describe_topic(DiscoveredTopic(0, "断网", ("断网", "光猫"), 40, 0.25, (), 0.9))
    '40 texts, 90% negative; coherence good (NPMI 0.25): its keywords turn up together in the same texts'
    """
    negative = "" if topic.share_negative is None else f", {topic.share_negative:.0%} negative"
    return f"{topic.size} texts{negative}; coherence {coherence_words(topic)}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_toml(discovery: Discovery, *, id_prefix: str = "emerging") -> str:
    """The topics as ``[[themes]]`` blocks ready to paste into a taxonomy file, each
    preceded by comments with its size, share of negative texts, coherence and quotes."""
    lines = [
        "# Emerging themes proposed by feedback-miner themes discover.",
        f"# {discovery.k_reason}.",
        "# " + ADOPT_HINT,
        "# Ids must stay stable once in use.",
        "",
    ]
    for topic in discovery.topics:
        lines += [
            f"# topic {topic.index}: {describe_topic(topic)}",
            *[f"#   「{_one_line(q)}」" for q in topic.quotes],
            "[[themes]]",
            f'id = "{id_prefix}_{topic.index + 1}"',
            f"name = {_quoted(topic.name)}",
            'churn_type = "active"',
            "keywords = [" + ", ".join(_quoted(w) for w in topic.keywords) + "]",
            "",
        ]
    return "\n".join(lines)


def nothing_to_propose(reason: str, complaints: Sequence[str], *, shown: int = 20) -> str:
    """A proposals file with no themes: why, and the complaints no theme covers (up to
    ``shown``) for the user to read themselves.

    Examples
    --------
    >>> print(nothing_to_propose("2 complaints no theme covers", ["光猫闪红灯", "师傅不上门"]))
    # Emerging themes proposed by feedback-miner themes discover: none.
    # 2 complaints no theme covers.
    # The complaints no theme covers:
    #   「光猫闪红灯」
    #   「师傅不上门」
    <BLANKLINE>
    """
    lines = [
        "# Emerging themes proposed by feedback-miner themes discover: none.",
        f"# {reason}.",
    ]
    if complaints:
        more = len(complaints) - shown
        lines.append(
            "# The complaints no theme covers" + (f" (the first {shown}):" if more > 0 else ":")
        )
        lines += [f"#   「{_one_line(c)}」" for c in complaints[:shown]]
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split()).replace("」", "").replace("「", "")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def topic_assignments(
    records: pd.DataFrame,
    rejects: pd.DataFrame,
    files: Sequence[str],
    topics: Sequence[int],
) -> pd.DataFrame:
    """The topic of every input row, in input order (``--assignments``).

    Parameters
    ----------
    records : pandas.DataFrame
        Ingested records with ``doc_id`` and ``row`` (the row in its file).
    rejects : pandas.DataFrame
        Rejected rows with ``file``, ``row`` and ``doc_id``; their topic is -1.
    files : sequence of str
        The input files in the order they were given; a record's file is the
        first whose stem begins its ``doc_id``.
    topics : sequence of int
        The topic of each record (-1 for none).

    Returns
    -------
    pandas.DataFrame
        :data:`ASSIGNMENT_COLUMNS`, one row per input row, ordered by file
        (as given) and row.
    """
    by_stem: dict[str, str] = {}
    for file in files:
        by_stem.setdefault(Path(file).stem, file)
    kept = pd.DataFrame(
        {
            "file": [by_stem.get(str(d).split(":", 1)[0], "") for d in records["doc_id"]],
            "row": records["row"],
            "doc_id": records["doc_id"],
            "topic": list(topics),
        }
    )
    rejected = pd.DataFrame(
        {
            "file": rejects["file"],
            "row": rejects["row"],
            "doc_id": rejects["doc_id"],
            "topic": -1,
        }
    )
    table = pd.concat([kept, rejected], ignore_index=True)
    # with no rejects the empty frame's object columns would make the numbers objects too
    table = table.astype({"row": "int64", "topic": "int64"})
    order = {file: i for i, file in enumerate(files)}
    table = table.sort_values(
        ["file", "row"], key=lambda s: s.map(order) if s.name == "file" else s, kind="mergesort"
    )
    return table.reset_index(drop=True)
