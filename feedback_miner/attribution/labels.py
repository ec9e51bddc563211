"""Loading the churn label table: user id, churned yes/no, churn date, covariates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import LabelError
from ..ingest.columns import RECORD_ID_NAMES, USER_ID_NAMES, canonical_name, find_column
from ..ingest.questions import CHURN_NAMES, parse_churn_value
from ..ingest.raw import require_every_row
from ..ingest.readers import read_raw_table
from ..ingest.times import parse_times

__all__ = ["MISSING_LEVEL", "ChurnLabels", "load_labels", "parse_churn_value"]

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
START_DATE_NAMES = (
    "signup_date",
    "signup",
    "start_date",
    "register_date",
    "registered_at",
    "created_date",
    "first_active",
    "activation_date",
    "注册日期",
    "注册时间",
    "开通日期",
    "开通时间",
    "入网日期",
    "入网时间",
    "首次活跃",
    "开户日期",
)
MISSING_LEVEL = "(missing)"
_TENURE = re.compile(r"tenure|在网|网龄|时长|月数|天数|使用时长|注册天数", re.I)
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
        Columns used as covariates in the adjusted model. Their kind is decided
        here, once, and carried by the column's type in ``frame``: numeric
        covariates are float columns (NaN where missing), categorical ones hold
        strings (``"(missing)"`` where missing).
    skipped : dict
        Columns not used as covariates -> why.
    start_col : str or None
        A column with each user's start date (signup, activation), the time
        origin of time-to-churn; kept in ``frame`` as ``start_date``.
    tenure_col : str or None
        A covariate that measures tenure (在网时长, tenure_months ...).
    tenure_unit_days : float
        Days per unit of ``tenure_col`` (30.44 for months, 1 for days).
    snapshot : Timestamp or None
        When the labels were taken: the ``as_of`` given, else the latest churn
        date. Users not churned by then are censored there.
    """

    frame: pd.DataFrame
    file: str
    id_col: str
    churn_col: str
    date_col: str | None
    covariates: tuple[str, ...]
    skipped: dict[str, str]
    start_col: str | None = None
    tenure_col: str | None = None
    tenure_unit_days: float = 1.0
    snapshot: pd.Timestamp | None = None

    def numeric_covariates(self) -> tuple[str, ...]:
        """The covariates that are numbers (the others are categories)."""
        return tuple(c for c in self.covariates if self.frame[c].dtype.kind == "f")


def _detect(frame: pd.DataFrame, names: Sequence[str]) -> str | None:
    canon = {canonical_name(str(c)): str(c) for c in frame.columns}
    return next((canon[n] for n in names if n in canon), None)


def _detect_user(frame: pd.DataFrame, input_id_col: str | None) -> str | None:
    named = _detect(frame, USER_ID_NAMES)
    if named is None and input_id_col:
        named = _detect(frame, [canonical_name(input_id_col)])
    if named is None:
        named = _detect(frame, RECORD_ID_NAMES)
        if named is not None and frame[named].duplicated().any():
            named = None  # an id names one user once
    return named


def load_labels(
    path: str | Path,
    *,
    id_col: str | None = None,
    churn_col: str | None = None,
    date_col: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    input_id_col: str | None = None,
) -> ChurnLabels:
    """Read and validate a churn label file (CSV or Excel).

    ``as_of`` is the date the labels describe (users not churned by then are
    retained); by default the latest churn date in the file.

    Without ``id_col`` the user id column is the one named as user ids are
    (user_id, 用户ID ...), else the one named like the inputs' user id column
    ``input_id_col`` (``--id-col id``), else a column of distinct values named
    as ids are (id, 编号 ...).

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
        else _detect_user(frame, input_id_col)
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
    out["churn_date"] = parse_times(frame[when]) if when else pd.NaT
    out["churn_date"] = pd.to_datetime(out["churn_date"])
    start = _detect(frame, START_DATE_NAMES)
    if start is not None:
        out["start_date"] = parse_times(frame[start])
    covariates, skipped = _covariates(frame, exclude={user, churn, when, start})
    for column in covariates:
        values = frame[column]
        numeric = pd.to_numeric(values, errors="coerce")
        # the kind is decided once, here, and carried by the column's type
        if numeric.notna().sum() >= 0.95 * values.notna().sum():
            out[column] = numeric.astype(float).to_numpy()
        else:
            # one string object per level, not per user: a plan or a city column of a
            # million users repeats a handful of values
            codes, levels = pd.factorize(
                values.fillna(MISSING_LEVEL).astype(str).to_numpy(dtype=object)
            )
            out[column] = levels.take(codes)
    tenure = next((c for c in covariates if _TENURE.search(c) and out[c].dtype.kind == "f"), None)
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
    snapshot = _snapshot(out, as_of, file)
    return ChurnLabels(
        out.reset_index(drop=True),
        file,
        user,
        churn,
        when,
        covariates,
        skipped,
        start_col=start,
        tenure_col=tenure,
        tenure_unit_days=_tenure_unit(tenure),
        snapshot=snapshot,
    )


def _snapshot(
    frame: pd.DataFrame, as_of: str | pd.Timestamp | None, file: str
) -> pd.Timestamp | None:
    if as_of is not None:
        try:
            moment = pd.Timestamp(as_of)
        except (ValueError, TypeError):
            raise LabelError(f"--as-of {as_of!r} is not a date; give it as YYYY-MM-DD.") from None
        late = frame["churn_date"] > moment
        if late.any():
            raise LabelError(
                f"{file}: {int(late.sum())} churn dates fall after --as-of {moment.date()} (the "
                f"latest is {frame['churn_date'].max().date()}); give the date the labels were "
                "taken, on or after the last churn date."
            )
        return moment
    latest = frame["churn_date"].max()
    return None if pd.isna(latest) else pd.Timestamp(latest)


def _tenure_unit(column: str | None) -> float:
    """Days per unit of a tenure column, from its name (months unless it says days)."""
    if column is None:
        return 1.0
    name = canonical_name(column)
    if any(word in name for word in ("天", "day", "日")):
        return 1.0
    if any(word in name for word in ("年", "year")):
        return 365.25
    return 30.44


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
