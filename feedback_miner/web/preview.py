"""What the upload page shows about one export before the run: format, encoding, roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import FeedbackMinerError
from ..ingest import ingest_file
from ..ingest.readers import read_raw_table
from .page_fields import for_page

__all__ = ["describe_upload"]


def describe_upload(path: Path) -> dict[str, Any]:
    """Read ``path`` as ingest would and describe it for the page.

    Returns
    -------
    dict
        ``name, format, encoding, columns`` always; ``platform, source,
        channel, roles, rows, records, rejected`` when ingest could read the
        file with the detected roles, else ``problem`` with ingest's message
        (e.g. no free-text column found: the user picks one on the page).

    Raises
    ------
    FeedbackMinerError
        When the file cannot be read at all (unknown type, corrupt, encrypted).
    """
    try:
        raw = read_raw_table(path)
    except FeedbackMinerError as error:  # named as the user named it, not by a server path
        raise FeedbackMinerError(str(error).replace(str(path), path.name)) from None
    described: dict[str, Any] = {
        "name": path.name,
        "format": raw.file_format,
        "encoding": raw.encoding,
        "columns": [str(c) for c in raw.frame.columns],
    }
    try:
        ingested = ingest_file(path)
    except FeedbackMinerError as error:
        described["problem"] = for_page(str(error).replace(str(path), path.name))
        return described
    summary = ingested.files[0]
    roles = summary.roles
    described.update(
        platform=summary.platform,
        source=summary.source,
        channel=summary.channel,
        roles={
            "text": list(roles.text),
            "user_id": roles.user_id,
            "time": roles.time,
            "rating": roles.rating,
        },
        rows=summary.rows_read,
        records=summary.records,
        rejected=dict(summary.rejected),
    )
    return described
