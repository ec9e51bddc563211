"""Inferring column roles (free text, user id, time, rating) from names and content.

Names are compared after removing survey question numbers (``3、``, ``Q3.``),
spaces and case. A column the user names with an option always wins; a named
column that does not exist is an error that lists the columns seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..errors import ColumnError
from .questions import FILL_IN_HINTS, choice_kind, is_yes_no, label_file_columns, score_numbers

__all__ = ["ColumnRoles", "canonical_name", "column_by_name", "find_column", "infer_roles"]

_QUESTION_PREFIX = re.compile(r"^(?:[qQ]?\d+[、.．:：)）]\s*|第\d+题[:：]?)")
_CJK = re.compile(r"[\u4e00-\u9fff]")

USER_ID_NAMES = (
    "user_id",
    "userid",
    "uid",
    "user",
    "customer_id",
    "customerid",
    "member_id",
    "account_id",
    "externaldatareference",
    "externalreference",
    "external_reference",
    "用户id",
    "用户编号",
    "用户标识",
    "用户账号",
    "用户名",
    "客户id",
    "客户编号",
    "客户号",
    "会员id",
    "会员号",
    "会员编号",
    "账号",
    "账户",
)
TIME_NAMES = (
    "created_at",
    "create_time",
    "created",
    "timestamp",
    "datetime",
    "date",
    "time",
    "submit_time",
    "recordeddate",
    "enddate",
    "startdate",
    "发送时间",
    "消息时间",
    "提交答卷时间",
    "提交时间",
    "答题时间",
    "开始答题时间",
    "结束答题时间",
    "创建时间",
    "发布时间",
    "评论时间",
    "评价时间",
    "反馈时间",
    "时间",
    "日期",
)
RATING_NAMES = (
    "rating",
    "score",
    "stars",
    "star",
    "nps",
    "csat",
    "评分",
    "打分",
    "星级",
    "满意度",
    "满意程度",
    "推荐度",
    "推荐意愿",
    "分数",
    "推荐",
)
TEXT_NAME_HINTS = (
    "text",
    "comment",
    "review",
    "feedback",
    "content",
    "reason",
    "message",
    "body",
    "描述",
    "内容",
    "评价",
    "评论",
    "原因",
    "意见",
    "建议",
    "反馈",
    "留言",
    "问题描述",
    "为什么",
    "理由",
    "吐槽",
    "正文",
    "补充",
    "说明",
)
RECORD_ID_NAMES = (
    "doc_id",
    "ticket_id",
    "工单号",
    "工单编号",
    "工单id",
    "会话id",
    "评论id",
    "微博id",
    "response_id",
    "responseid",
    "respondentid",
    "序号",
    "编号",
    "id",
)
# Content tests for an automatically chosen free-text column.
_MIN_MEAN_LENGTH = 4.0
_MIN_MEAN_LENGTH_NAMED = 2.0
_MIN_FILLED_SHARE = 0.05
_MIN_DISTINCT_SHARE = 0.5
_MIN_DISTINCT_VALUES = 200
_MIN_CJK_SHARE = 0.3
# a column named as text (反馈, 意见, 原因 ...) may repeat its answers: short complaints do
_MIN_DISTINCT_VALUES_HINTED = 5
# A score scale in a question: (1-5分), 0~10分, 打几分, (0-10)
_SCALE = re.compile(r"\d+\s*[-~～到至]\s*\d+\s*分|几分|[(（]\s*\d+\s*[-~～到至]\s*\d+\s*[)）]")


def canonical_name(name: str) -> str:
    """A column name without question number, spaces and case: ``3、性别 `` -> ``性别``."""
    return re.sub(r"\s+", "", _QUESTION_PREFIX.sub("", name.strip())).lower()


@dataclass(frozen=True)
class ColumnRoles:
    """Which input columns play which role.

    Attributes
    ----------
    text : tuple of str
        Free-text columns; several are joined into one document per row.
    user_id, time, rating, record_id : str or None
        The column for each role, if any.
    how : dict
        Role -> ``"option"`` when named by the user, ``"name"`` or
        ``"content"`` when inferred; shown to the user.
    """

    text: tuple[str, ...]
    user_id: str | None = None
    time: str | None = None
    rating: str | None = None
    record_id: str | None = None
    how: dict[str, str] = field(default_factory=dict)

    def used(self) -> set[str]:
        """All columns with a role."""
        named = {self.user_id, self.time, self.rating, self.record_id}
        return set(self.text) | {c for c in named if c}


def find_column(
    frame: pd.DataFrame,
    wanted: str,
    *,
    file: str,
    option: str,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """Resolve a column named by the user: exact, an alias, then by :func:`canonical_name`.

    Raises
    ------
    ColumnError
        Naming the file, the option and the columns that exist.
    """
    if wanted in frame.columns:
        return wanted
    if aliases and wanted in aliases:
        return aliases[wanted]
    target = canonical_name(wanted)
    matches = [c for c in frame.columns if canonical_name(c) == target]
    if len(matches) == 1:
        return str(matches[0])
    raise ColumnError(
        f"{file}: {option} {wanted!r} is not a column of this file. "
        f"The columns are: {_list_columns(frame.columns)}."
    )


def _list_columns(columns: Iterable[object]) -> str:
    return ", ".join(repr(str(c)) for c in columns)


def column_by_name(
    frame: pd.DataFrame, names: Sequence[str], exclude: set[str] | None = None
) -> str | None:
    """The first column (in the order of ``names``) whose canonical name is one of ``names``
    and that holds a value."""
    return _by_name(frame, names, exclude or set())


def _by_name(frame: pd.DataFrame, names: Sequence[str], exclude: set[str]) -> str | None:
    canon = {str(c): canonical_name(str(c)) for c in frame.columns if c not in exclude}
    for name in names:
        for column, key in canon.items():
            if key == name and frame[column].notna().any():
                return column
    return None


def _text_score(values: pd.Series, *, named: bool = False, fill_in: bool = False) -> float:
    """How much a column looks like free text; 0 when it does not at all.

    A column whose name says it holds text (内容, 原因, comment ...) may hold
    shorter and more repetitive answers than one recognised by content alone;
    a fill-in question (填空题, a lifted 〖填写〗 box) counts more than either.
    Ranking and multi-select answers (joined options) are never free text.
    """
    present = values.dropna().astype(str)
    if present.empty or len(present) < _MIN_FILLED_SHARE * len(values):
        return 0.0  # almost nobody answered: an "other, please specify" box, not the text column
    if choice_kind(present) is not None:
        return 0.0  # 问卷星 joins a ranking's options with → and a multi-select's with ┋
    if score_numbers(present).notna().mean() >= 0.9:
        return 0.0  # scale and matrix answers (4分): scores, not words
    mean_length = present.str.len().mean()
    n_distinct = present.nunique()
    distinct = n_distinct / len(present)
    cjk = present.map(lambda s: bool(_CJK.search(s))).mean()
    min_length = _MIN_MEAN_LENGTH_NAMED if named else _MIN_MEAN_LENGTH
    # Choice answers repeat a handful of labels; free text in a large file repeats too
    # (short complaints), but has many different values.
    varied = distinct >= _MIN_DISTINCT_SHARE or n_distinct >= (
        _MIN_DISTINCT_VALUES_HINTED if named else _MIN_DISTINCT_VALUES
    )
    if mean_length < min_length or not varied or cjk < _MIN_CJK_SHARE:
        return 0.0
    weight = 3.0 if fill_in else 2.0 if named else 1.0
    return float(mean_length * max(distinct, 0.1) * cjk * weight)


def infer_roles(
    frame: pd.DataFrame,
    *,
    file: str,
    text_cols: Sequence[str] = (),
    user_id_col: str | None = None,
    time_col: str | None = None,
    rating_col: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ColumnRoles:
    """Decide the role of each column of ``frame``.

    Raises
    ------
    ColumnError
        When a named column does not exist, or when no column holds free text;
        the message lists the columns seen and says which option to use.
    """
    how: dict[str, str] = {}
    user = (
        find_column(frame, user_id_col, file=file, option="--id-col", aliases=aliases)
        if user_id_col
        else None
    )
    when = (
        find_column(frame, time_col, file=file, option="--time-col", aliases=aliases)
        if time_col
        else None
    )
    rating = (
        find_column(frame, rating_col, file=file, option="--rating-col", aliases=aliases)
        if rating_col
        else None
    )
    for role, value in (("user_id", user), ("time", when), ("rating", rating)):
        if value:
            how[role] = "option"
    if text_cols:
        texts = tuple(
            dict.fromkeys(
                find_column(frame, c, file=file, option="--text-col", aliases=aliases)
                for c in text_cols
            )
        )
        how["text"] = "option"
    else:
        taken = {c for c in (user, when, rating) if c}
        scores = {
            str(c): _text_score(
                frame[c],
                named=_has_hint(str(c), TEXT_NAME_HINTS) or _is_fill_in(str(c)),
                fill_in=_is_fill_in(str(c)),
            )
            for c in frame.columns
            if c not in taken
            and canonical_name(str(c)) not in USER_ID_NAMES + TIME_NAMES + RECORD_ID_NAMES
        }
        best = max(scores.values(), default=0.0)
        if best <= 0:
            labels = label_file_columns(frame, [canonical_name(str(c)) for c in frame.columns])
            if labels is not None:
                raise ColumnError(
                    f"{file}: this looks like a churn label file (user ids in {labels[0]!r}, "
                    f"churn in {labels[1]!r}), not feedback: it has no text to mine. Pass it "
                    "with --labels FILE and give the feedback exports as the inputs."
                )
            raise ColumnError(
                f"{file}: no column holds free text (answers in the customer's own words); "
                f"the columns are: {_list_columns(frame.columns)}. Choice answers such as "
                "option labels are not mined. Name the free-text column with --text-col NAME."
            )
        texts = (next(c for c, s in scores.items() if s == best),)
        how["text"] = "content"
    exclude = set(texts)
    if user is None:
        user = _by_name(frame, USER_ID_NAMES, exclude)
        if user:
            how["user_id"] = "name"
    exclude |= {user} if user else set()
    if when is None:
        when = _by_name(frame, TIME_NAMES, exclude)
        if when:
            how["time"] = "name"
    exclude |= {when} if when else set()
    if rating is None:
        rating = _rating_by_name(frame, exclude)
        if rating:
            how["rating"] = "name"
    exclude |= {rating} if rating else set()
    record = _by_name(frame, RECORD_ID_NAMES, exclude)
    if record is not None and frame[record].dropna().duplicated().any():
        record = None  # not an id if it repeats
    if record:
        how["record_id"] = "name"
    return ColumnRoles(texts, user, when, rating, record, how)


def _is_fill_in(name: str) -> bool:
    return any(h in name for h in FILL_IN_HINTS)


def _has_hint(name: str, hints: Sequence[str]) -> bool:
    key = canonical_name(name)
    return any(h in key for h in hints)


def _rating_by_name(frame: pd.DataFrame, exclude: set[str]) -> str | None:
    for column in frame.columns:
        if column in exclude or not (
            _has_hint(str(column), RATING_NAMES) or _SCALE.search(str(column))
        ):
            continue
        numbers = score_numbers(frame[column])
        present = frame[column].notna().sum()
        if present and numbers.notna().sum() >= 0.9 * present and not is_yes_no(numbers):
            return str(column)  # 0/1 is a yes/no answer (推荐: 是/否), not a score
    return None
