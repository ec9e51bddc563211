"""The report's words in Chinese (the default) and English.

The code writes every label in Chinese; :class:`Labels` returns it as is for
``zh`` and looks up the English for ``en``. A label without an English entry
is an error, so a test that builds the English report finds any gap.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, get_args

from ..errors import FeedbackMinerError, invalid_choice_message
from .catalogue import english_labels

__all__ = [
    "CHURN_TYPE_NAMES",
    "LANGUAGES",
    "SHEET_KEYS",
    "Labels",
    "ReportLanguage",
    "sheet_names",
]

ReportLanguage = Literal["zh", "en"]
LANGUAGES: tuple[str, ...] = get_args(ReportLanguage)

# the sheets in order: a key the code uses, and the title (Chinese, translated for en)
_SHEETS = MappingProxyType(
    {
        "overview": "概览",
        "reasons": "流失原因",
        "drivers": "关键驱动",
        "actions": "行动建议",
        "scores": "评分驱动",
        "quotes": "原声",
        "trends": "趋势",
        "changes": "变化",
        "segments": "细分",
        "churn_types": "流失类型",
        "competitors": "竞品去向",
        "emerging": "新主题",
        "reason_stats": "原因统计",
        "documents": "明细",
        "quality": "数据质量",
        "method": "方法说明",
    }
)
SHEET_KEYS: tuple[str, ...] = tuple(_SHEETS)
CHURN_TYPE_NAMES = MappingProxyType(
    {"natural": "自然流失", "active": "主动流失", "passive": "被动流失", "": ""}
)
# the codes of the canonical record's source and channel columns, and ingest's platforms
_SOURCES = MappingProxyType({"survey": "问卷", "service": "客服", "social": "社交媒体"})
_CHANNELS = MappingProxyType(
    {
        "wjx": "问卷星",
        "tencent": "腾讯问卷",
        "qualtrics": "Qualtrics",
        "surveymonkey": "SurveyMonkey",
        "generic": "通用表格",
        "ticket": "客服工单",
        "chat": "在线会话",
        "weibo": "微博",
    }
)
_SENTIMENTS = MappingProxyType(
    {"negative": "负面", "neutral": "中性", "positive": "正面", "unscored": "无文本"}
)


class Labels:
    """Translate the report's Chinese labels into the chosen language.

    Examples
    --------
    >>> Labels("en")("流失原因")
    'Churn reasons'
    >>> Labels("zh")("共 {n} 条", n=3)
    '共 3 条'
    """

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise FeedbackMinerError(invalid_choice_message("--lang", lang, LANGUAGES))
        self.lang: ReportLanguage = lang  # type: ignore[assignment]

    def __call__(self, text: str, **values: object) -> str:
        if self.lang == "zh":
            template = text
        else:
            try:
                template = english_labels()[text]
            except KeyError:
                raise KeyError(f"no English in lexicons/report_labels.tsv for {text!r}") from None
        return template.format(**values) if values else template

    def churn_type(self, kind: object) -> str:
        """The name of a churn type (``natural`` / ``active`` / ``passive``)."""
        name = CHURN_TYPE_NAMES.get(str(kind or ""), str(kind))
        return self(name) if name else ""

    def source(self, code: object) -> str:
        """The name of a source (``survey`` / ``service`` / ``social``); other values as they are."""
        return self._named(_SOURCES, code)

    def channel(self, code: object) -> str:
        """The name of a channel or platform (``wjx``, ``weibo``, ``ticket`` ...)."""
        return self._named(_CHANNELS, code)

    def _named(self, names: MappingProxyType[str, str], code: object) -> str:
        if code is None or (isinstance(code, float) and code != code):
            return ""
        text = str(code)
        return self(names[text]) if text in names else text

    def sentiment(self, label: object) -> str:
        """The name of a sentiment label."""
        name = _SENTIMENTS.get(str(label or ""), "")
        return self(name) if name else ""


def sheet_names(lang: ReportLanguage) -> tuple[str, ...]:
    """The sheet titles in ``lang``.

    Examples
    --------
    >>> sheet_names("en")[:3]
    ('Overview', 'Churn reasons', 'Key drivers')
    """
    t = Labels(lang)
    return tuple(t(name) for name in _SHEETS.values())
