"""Survey platforms: recognising an export by its content and undoing its quirks.

- 问卷星 (wjx.cn): metadata 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP;
  skipped answers ``(跳过)`` / ``(空)`` and, in answers-as-codes exports, -2 / -3;
  "other, please specify" fill-ins embedded as ``其他【请注明】〖text〗``, lifted
  into a column of their own named ``<question>〖填写〗``.
- 腾讯问卷: metadata 编号, 开始答题时间, 结束答题时间, 答题时长, 用户标识, IP;
  questions ``1.题干``, options ``21.题干:选项``, fill-ins ``3.题干_填空1``.
- Qualtrics: three header rows (field id, question text, ``{"ImportId": ...}``);
  columns are named by question text, and the field ids stay usable as aliases.
- SurveyMonkey: two header rows (question, then "Response", "Open-Ended
  Response" or the option of a multiple-choice column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .columns import canonical_name
from .raw import RawTable

__all__ = ["PlatformTable", "detect_platform", "plain_rows"]

_WJX = {"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自ip"}
_TENCENT = {"编号", "开始答题时间", "结束答题时间", "答题时长", "用户标识", "ip"}
_QUALTRICS = {"startdate", "enddate", "responseid", "recordeddate", "finished", "progress"}
_SURVEYMONKEY = {"respondentid", "collectorid", "startdate", "enddate"}
_SURVEYMONKEY_SUB = {"response", "open-ended response", "open-endedresponse"}
_SKIPPED = {"(跳过)", "（跳过）", "(空)", "（空）", "跳过"}
_WJX_CODES_SKIPPED = {"-2", "-3"}
_FILL_IN = re.compile(r"〖(.*?)〗", re.S)
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')


@dataclass(frozen=True)
class PlatformTable:
    """A table after platform handling.

    Attributes
    ----------
    frame : pandas.DataFrame
        Data rows only, one column per question or metadata field.
    platform : str
        ``wjx``, ``tencent``, ``qualtrics``, ``surveymonkey`` or ``generic``.
    aliases : dict
        Other names users may give for a column (Qualtrics field ids) -> name.
    header_rows : int
        Extra header rows the export had below the first (not data).
    """

    frame: pd.DataFrame
    platform: str
    aliases: dict[str, str] = field(default_factory=dict)
    header_rows: int = 0


def detect_platform(raw: RawTable) -> PlatformTable:
    """Recognise the platform of ``raw`` and return its data in plain form."""
    frame = raw.frame
    names = {canonical_name(str(c)) for c in frame.columns}
    if len(names & _WJX) >= 3:
        return PlatformTable(_wjx(frame), "wjx")
    if len(names & _TENCENT) >= 3:
        return PlatformTable(_blank_skipped(frame), "tencent")
    if len(names & _QUALTRICS) >= 3 and len(frame) >= 2 and _has_import_ids(frame.iloc[1]):
        return _qualtrics(frame)
    if (
        len(names & _SURVEYMONKEY) >= 2
        and len(frame) >= 1
        and _is_surveymonkey_subheader(frame.iloc[0])
    ):
        return _surveymonkey(frame)
    return PlatformTable(frame, "generic")


def plain_rows(frame: pd.DataFrame, platform: str) -> pd.DataFrame:
    """Data rows of a later block of a ``generic`` or ``tencent`` export, in plain form.

    Only these platforms can be read in blocks: their quirks are cell by cell
    (腾讯问卷's skipped answers) or none; the others have header rows or
    decide per column.
    """
    if platform == "tencent":
        return _blank_skipped(frame)
    if platform == "generic":
        return frame
    raise ValueError(f"platform {platform!r} cannot be read in blocks")


def _blank_skipped(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: None if isinstance(v, str) and v.strip() in _SKIPPED else v)


def _wjx(frame: pd.DataFrame) -> pd.DataFrame:
    out = _blank_skipped(frame)
    for column in list(out.columns):
        values = out[column]
        if canonical_name(str(column)) not in _WJX and _is_numeric(values):
            # answers-as-codes: -2 (skipped by logic) and -3 (not shown) are no answer
            out[column] = values.map(lambda v: None if v in _WJX_CODES_SKIPPED else v)
            continue
        has_fill_in = values.map(lambda v: isinstance(v, str) and "〖" in v)
        if not has_fill_in.any():
            continue
        fill_ins = values.map(
            lambda v: (
                "；".join(t.strip() for t in _FILL_IN.findall(v) if t.strip()) or None
                if isinstance(v, str)
                else None
            )
        )
        position = list(out.columns).index(column) + 1
        out.insert(position, f"{column}〖填写〗", fill_ins)
    return out


def _is_numeric(values: pd.Series) -> bool:
    present = values.dropna()
    return bool(len(present)) and pd.to_numeric(present, errors="coerce").notna().mean() > 0.9


def _has_import_ids(row: pd.Series) -> bool:
    values = [v for v in row if isinstance(v, str)]
    return bool(values) and sum(bool(_IMPORT_ID.match(v)) for v in values) >= 0.5 * len(values)


def _qualtrics(frame: pd.DataFrame) -> PlatformTable:
    questions = frame.iloc[0]
    names: list[str] = []
    aliases: dict[str, str] = {}
    for field_id, text in zip(frame.columns, questions, strict=True):
        name = str(text).strip() if isinstance(text, str) and text.strip() else str(field_id)
        while name in names:
            name = f"{name} ({field_id})"
        names.append(name)
        if name != field_id:
            aliases[str(field_id)] = name
    data = frame.iloc[2:].reset_index(drop=True)
    data.columns = names
    return PlatformTable(data, "qualtrics", aliases, header_rows=2)


def _is_surveymonkey_subheader(row: pd.Series) -> bool:
    values = {str(v).strip().lower() for v in row if isinstance(v, str)}
    return bool(values & _SURVEYMONKEY_SUB)


def _surveymonkey(frame: pd.DataFrame) -> PlatformTable:
    sub = frame.iloc[0]
    names: list[str] = []
    question = ""
    for column, part in zip(frame.columns, sub, strict=True):
        if not str(column).startswith("column_"):
            question = str(column)
        label = str(part).strip() if isinstance(part, str) else ""
        if not label or label.lower() in _SURVEYMONKEY_SUB:
            name = question
        else:
            name = f"{question} - {label}"
        while name in names:
            name = f"{name} ({len(names) + 1})"
        names.append(name)
    data = frame.iloc[1:].reset_index(drop=True)
    data.columns = names
    return PlatformTable(data, "surveymonkey", header_rows=1)
