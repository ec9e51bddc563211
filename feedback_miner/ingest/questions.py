"""What kind of question or file a column's content shows.

Survey platforms export every question type as a column of strings: 问卷星
joins a ranking's options with ``→`` (价格→内容→广告) and a multi-select's with
``┋``; scale and matrix questions answer ``4分``; a 填空题 (fill-in) is the
customer's own words, and an "other, please specify" box arrives as
``其他〖柜台〗``. Social exports carry reposts (``//@``), replies (``回复@``),
bracket emoticons (``[怒]``) and ``#话题#`` tags whatever their columns are
called. A churn label file has a user id and a yes/no churn column and no
text at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

__all__ = [
    "CHURN_NAMES",
    "FILL_IN_HINTS",
    "MULTI_SELECT",
    "RANKING",
    "choice_kind",
    "is_yes_no",
    "label_file_columns",
    "looks_social",
    "parse_churn_value",
    "score_numbers",
]

RANKING = "→"
MULTI_SELECT = "┋"
# a column named so holds fill-in answers (问卷星's 填空题, our lifted 〖填写〗 boxes)
FILL_IN_HINTS = ("填空", "〖填写〗")
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

# this share of a column's answers in a choice format makes it a choice question
_CHOICE_SHARE = 0.2
_SCORE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:分|星|颗星)?\s*$")
_SOCIAL = re.compile(r"//\s*@|回复\s*@|转发微博|#[^#\s]{1,40}#|\[[\u4e00-\u9fff]{1,4}\]")
# this share of the texts with social marks makes a file social
_SOCIAL_SHARE = 0.2


def choice_kind(values: pd.Series) -> str | None:
    """``"ranking"`` or ``"multi-select"`` when the answers are joined options, else None.

    Examples
    --------
    >>> choice_kind(pd.Series(["价格→内容→广告", "内容→价格→客服", "太贵了"]))
    'ranking'
    >>> choice_kind(pd.Series(["电视┋手机", "电脑"]))
    'multi-select'
    >>> choice_kind(pd.Series(["广告太多→直接卸载了"] + ["太贵了"] * 9)) is None
    True
    """
    present = values.dropna().astype(str)
    if present.empty:
        return None
    for mark, kind in ((RANKING, "ranking"), (MULTI_SELECT, "multi-select")):
        if present.str.contains(mark, regex=False).mean() >= _CHOICE_SHARE:
            return kind
    return None


def score_numbers(values: pd.Series) -> pd.Series:
    """Scores as numbers: ``7``, ``"7"``, ``"7分"``, ``"4 星"``; NaN for anything else.

    Examples
    --------
    >>> score_numbers(pd.Series(["3分", "10", 4, "很好", None])).tolist()
    [3.0, 10.0, 4.0, nan, nan]
    """
    text = values.astype("string").str.extract(_SCORE, expand=False)
    return pd.to_numeric(text, errors="coerce").astype(float)


def is_yes_no(numbers: pd.Series) -> bool:
    """Whether numbers are 0 and 1 and nothing else (a yes/no answer, not a score).

    Examples
    --------
    >>> is_yes_no(pd.Series([0.0, 1.0, 1.0])), is_yes_no(pd.Series([0.0, 5.0]))
    (True, False)
    >>> is_yes_no(pd.Series([1.0, 1.0]))  # one value says nothing about the scale
    False
    """
    return set(numbers.dropna().unique()) == {0.0, 1.0}


def looks_social(texts: pd.Series) -> bool:
    """Whether the texts are social posts: reposts, replies, tags or bracket emoticons.

    Examples
    --------
    >>> looks_social(pd.Series(["回复@小王:同感", "#悦看视频# 太贵了[怒]", "又卡了"]))
    True
    >>> looks_social(pd.Series(["价格太贵", "客服回复慢", "卡顿", "广告多", "还行"]))
    False
    """
    present = texts.dropna().astype(str)
    if present.empty:
        return False
    return bool(present.str.contains(_SOCIAL).mean() >= _SOCIAL_SHARE)


def label_file_columns(frame: pd.DataFrame, names: Sequence[str]) -> tuple[str, str] | None:
    """The (id, churn) columns of a table that looks like a churn label file, else None.

    ``names`` are the columns' canonical names (as :func:`~.columns.canonical_name`
    gives them). A label file has a churn column of yes/no values and a first
    column of distinct ids.
    """
    if frame.empty or len(frame.columns) < 2:
        return None
    churn = next((c for c, n in zip(frame.columns, names, strict=True) if n in CHURN_NAMES), None)
    if churn is None:
        return None
    values = frame[churn].dropna()
    if values.empty or values.map(parse_churn_value).isna().any():
        return None
    first = frame.columns[0]
    if first == churn or frame[first].duplicated().any():
        return None
    return str(first), str(churn)


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
