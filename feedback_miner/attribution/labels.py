"""Loading the churn label table: user id, churned yes/no, churn date, covariates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import LabelError
from ..ingest.columns import USER_ID_NAMES, canonical_name, find_column
from ..ingest.raw import require_every_row
from ..ingest.readers import read_raw_table

__all__ = ["ChurnLabels", "load_labels", "parse_churn_value"]

CHURN_NAMES = (
    "churned",
    "churn",
    "is_churn",
    "is_churned",
    "churn_flag",
    "label",
    "是否流失",
    "流失",
    "已流失",
    "流失标记",
    "流失状态",
    "是否注销",
    "状态",
)
CHURN_DATE_NAMES = (
    "churn_date",
    "churned_at",
    "churn_time",
    "流失日期",
    "流失时间",
    "注销日期",
    "注销时间",
    "退订日期",
    "离网日期",
)
_TRUE = {
    "1",
    "1.0",
    "true",
    "yes",
    "y",
    "t",
    "是",
    "已流失",
    "流失",
    "churned",
    "churn",
    "离网",
    "注销",
    "已注销",
}
_FALSE = {
    "0",
    "0.0",
    "false",
    "no",
    "n",
    "f",
    "否",
    "未流失",
    "留存",
    "retained",
    "active",
    "在网",
    "正常",
    "活跃",
}
_MAX_CATEGORY_LEVELS = 20
_DATE_LIKE = re.compile(r"\d{4}[-/年.]\d{1,2}")


@dataclass(frozen=True)
class ChurnLabels:
    """A validated churn table.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``user_id`` (str), ``churned`` (0/1 int), ``churn_date`` (datetime,
        may be NaT) and the covariate columns, one row per user.
    file : str
        Where it came from.
    id_col, churn_col : str
        The input columns used for user id and churn.
    date_col : str or None
        The input column used for the churn date.
    covariates : tuple of str
        Columns used as covariates in the adjusted model.
    skipped : dict
        Columns not used as covariates -> why.
    """

    frame: pd.DataFrame
    file: str
    id_col: str
    churn_col: str
    date_col: str | None
    covariates: tuple[str, ...]
    skipped: dict[str, str]


def parse_churn_value(value: object) -> int | None:
    """``1`` for churned, ``0`` for retained, ``None`` when the value is not understood.

    Examples
    --------
    >>> [parse_churn_value(v) for v in ["1", "是", "已流失", "false", "留存", "maybe"]]
    [1, 1, 1, 0, 0, None]
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    return None


def _detect(frame: pd.DataFrame, names: Sequence[str]) -> str | None:
    canon = {canonical_name(str(c)): str(c) for c in frame.columns}
    return next((canon[n] for n in names if n in canon), None)


def load_labels(
    path: str | Path,
    *,
    id_col: str | None = None,
    churn_col: str | None = None,
    date_col: str | None = None,
) -> ChurnLabels:
    """Read and validate a churn label file (CSV or Excel).

    Raises
    ------
    LabelError
        When a column cannot be found, churn values are not binary, or user
        ids repeat with different labels.
    """
    raw = read_raw_table(path)
    require_every_row(raw, "A churn label file")
    frame, file = raw.frame, str(raw.path)
    columns = ", ".join(repr(str(c)) for c in frame.columns)
    user = (
        find_column(frame, id_col, file=file, option="--label-id-col")
        if id_col
        else _detect(frame, USER_ID_NAMES)
    )
    if user is None:
        raise LabelError(
            f"{file}: cannot tell which column holds the user id; the columns are: {columns}. "
            "Name it with --label-id-col NAME."
        )
    churn = (
        find_column(frame, churn_col, file=file, option="--label-col")
        if churn_col
        else _detect(frame, CHURN_NAMES)
    )
    if churn is None:
        raise LabelError(
            f"{file}: cannot tell which column says whether a user churned; the columns are: "
            f"{columns}. Name it with --label-col NAME (values 1/0, true/false, 是/否, 已流失/未流失)."
        )
    when = (
        find_column(frame, date_col, file=file, option="--churn-date-col")
        if date_col
        else _detect(frame, CHURN_DATE_NAMES)
    )

    churned = frame[churn].map(parse_churn_value)
    bad = churned.isna()
    if bad.any():
        examples = ", ".join(
            f"row {i + 1}: {frame[churn].iloc[i]!r}" for i in list(bad[bad].index)[:3]
        )
        raise LabelError(
            f"{file}: column {churn!r} must say churned or not for every user, but "
            f"{int(bad.sum())} rows have other values ({examples}). Use 1/0, true/false, 是/否 "
            "or 已流失/未流失, or name another column with --label-col."
        )
    users = frame[user]
    if users.isna().any():
        row = int(users[users.isna()].index[0]) + 1
        raise LabelError(
            f"{file}: column {user!r} is empty in row {row}; every row needs a user id."
        )
    out = pd.DataFrame({"user_id": users.astype(str).str.strip(), "churned": churned.astype(int)})
    out["churn_date"] = (
        pd.to_datetime(frame[when], errors="coerce", format="mixed") if when else pd.NaT
    )
    out["churn_date"] = pd.to_datetime(out["churn_date"])
    covariates, skipped = _covariates(frame, exclude={user, churn, when})
    for column in covariates:
        out[column] = frame[column].to_numpy()
    duplicated = out["user_id"].duplicated(keep=False)
    if duplicated.any():
        conflicting = out[duplicated].groupby("user_id")["churned"].nunique()
        conflicting = conflicting[conflicting > 1]
        if len(conflicting):
            raise LabelError(
                f"{file}: user ids appear more than once with different churn values "
                f"(e.g. {', '.join(map(repr, conflicting.index[:3]))}); keep one row per user."
            )
        out = out.drop_duplicates("user_id", keep="first")
    return ChurnLabels(out.reset_index(drop=True), file, user, churn, when, covariates, skipped)


def _covariates(
    frame: pd.DataFrame, exclude: set[str | None]
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Columns usable as covariates: numeric ones, and categories with few levels."""
    kept: list[str] = []
    skipped: dict[str, str] = {}
    for column in frame.columns:
        if column in exclude:
            continue
        values = frame[column].dropna().astype(str)
        if values.empty:
            skipped[column] = "empty"
            continue
        numeric = pd.to_numeric(values, errors="coerce")
        if numeric.notna().mean() >= 0.95:
            if numeric.nunique() <= 1:
                skipped[column] = "constant"
            else:
                kept.append(column)
        elif values.map(lambda v: bool(_DATE_LIKE.match(v))).mean() >= 0.8:
            skipped[column] = "date"
        elif 2 <= values.nunique() <= _MAX_CATEGORY_LEVELS:
            kept.append(column)
        else:
            skipped[column] = (
                "constant"
                if values.nunique() < 2
                else f"more than {_MAX_CATEGORY_LEVELS} categories"
            )
    return tuple(kept), skipped
