"""The upload form's per-file column choices, and messages worded for the page.

The page lets the user pick the text, user id and time column of each file
(two exports rarely share column names); they arrive as one JSON field. Errors
that come from the command line name its flags (``--text-col``); the page has
controls instead, so the messages shown there name those, with a Chinese line
first for the mistakes users make most.
"""

from __future__ import annotations

import json
import re

__all__ = ["COLUMNS_FIELD", "CONTROLS", "for_page", "per_file_columns"]

COLUMNS_FIELD = (
    'JSON: one object per uploaded file, in upload order, e.g. [{"text_col": "问题描述", '
    '"id_col": "用户ID"}, {"text_col": "微博内容"}]; keys text_col, id_col, time_col; '
    "a file's choice takes the place of the shared text_col, id_col and time_col"
)
_KEYS = ("text_col", "id_col", "time_col")
# the command line's flags -> the page's controls (and the API's form fields)
CONTROLS = {
    "--label-id-col": "“标签用户ID列”(label_id_col)",
    "--churn-date-col": "“流失日期列”(churn_date_col)",
    "--label-col": "“流失列”(label_col)",
    "--text-col": "“文本列”(text_col)",
    "--id-col": "“用户ID列”(id_col)",
    "--time-col": "“时间列”(time_col)",
    "--labels": "“流失标签表”(labels)",
    "--taxonomy": "“主题分类 TOML”(taxonomy)",
}
_FLAG = re.compile(
    "(" + "|".join(re.escape(f) for f in CONTROLS) + r")(?![\w-])(?: (?:NAME|FILE)\b)?"
)
# (what the message says, what the page says first); {file} is the message's file
_LEADS = (
    (
        "no column holds free text",
        "{file}：没有找到顾客自己写的文字的列。请在这个文件的“文本列”里选一列。",
    ),
    (
        "this looks like a churn label file",
        "{file}：这是流失标签表(用户ID与是否流失)，不是反馈。请把它放到“流失标签表”，"
        "反馈导出文件放到第 1 步。",
    ),
    (
        "cannot tell which column holds the user id",
        "{file}：看不出哪一列是用户ID。请在“标签用户ID列”里选。",
    ),
    (
        "cannot tell which column says whether a user churned",
        "{file}：看不出哪一列表示是否流失。请在“流失列”里选。",
    ),
    ("is not a column of this file", "{file}：所选的列不在这个文件里，请重新选择。"),
)
_FILE = re.compile(r"^(?P<file>[^:\n]+?\.(?:csv|tsv|txt|xlsx|xls|xlsm|json|jsonl)):", re.I)


def per_file_columns(
    field: str | None, files: int
) -> tuple[tuple[tuple[str, ...], str | None, str | None], ...]:
    """The ``columns`` form field as (text columns, user id column, time column) per file.

    Raises
    ------
    ValueError
        With a message for the page when the field is not such a list.

    Examples
    --------
    >>> per_file_columns('[{"text_col": "正文"}, {}]', 2)
    ((('正文',), None, None), ((), None, None))
    """
    if not field:
        return ()
    problem = (
        f"columns 应为 JSON 列表，每个上传文件一项(共 {files} 个文件)，键为 "
        f"text_col、id_col、time_col。The columns field must be a JSON list with one object "
        f"per uploaded file ({files}), with keys text_col, id_col, time_col."
    )
    try:
        choices = json.loads(field)
    except json.JSONDecodeError:
        raise ValueError(problem) from None
    if not isinstance(choices, list) or len(choices) > files:
        raise ValueError(problem)
    out = []
    for choice in choices:
        if not isinstance(choice, dict) or set(choice) - set(_KEYS):
            raise ValueError(problem)
        values = [choice.get(k) or None for k in _KEYS]
        if not all(v is None or isinstance(v, str) for v in values):
            raise ValueError(problem)
        text, user, when = values
        out.append(((text,) if text else (), user, when))
    return tuple(out)


def for_page(message: str) -> str:
    """``message`` with the command line's flags named as the page's controls, and a
    Chinese first line for the common mistakes.

    Examples
    --------
    >>> print(for_page("a.csv: no column holds free text; name it with --text-col NAME."))
    a.csv：没有找到顾客自己写的文字的列。请在这个文件的“文本列”里选一列。
    a.csv: no column holds free text; name it with “文本列”(text_col).
    """
    named = _FLAG.sub(lambda found: CONTROLS[found.group(1)], message)
    found = _FILE.match(message)
    file = found.group("file") if found else "文件"
    for said, lead in _LEADS:
        if said in message:
            return lead.format(file=file) + "\n" + named
    return named
