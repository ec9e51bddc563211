"""How a run was made, in the report's words: the overview's "inputs and settings" block."""

from __future__ import annotations

from pathlib import PurePath

from ..result import AnalysisResult
from .i18n import Labels

__all__ = ["file_name", "settings_rows", "taxonomy_description"]

_ADAPTATION_SOURCES = {
    "ratings": "从评分学习的 n-gram 模型",
    "rules": "按规则自训练的 n-gram 模型",
    "ratings+rules": "从评分与规则自训练学习的 n-gram 模型",
}


def file_name(path: str) -> str:
    """The name of a file without its folder: a report forwarded to others (or made on a
    server) shows ``survey.xlsx``, not where it was on the analyst's disk."""
    return PurePath(path.replace("\\", "/")).name or path


def taxonomy_description(result: AnalysisResult, t: Labels) -> str:
    """The taxonomy's name, version, file and whether it was picked automatically."""
    taxonomy = result.taxonomy
    fit = result.taxonomy_fit
    how = t("自动选择") if fit is not None and fit.how == "auto" else t("指定")
    opening, comma, closing = ("（", "，", "）") if t.lang == "zh" else (" (", ", ", ")")
    file = file_name(taxonomy.source)
    return f"{taxonomy.name} {taxonomy.version}{opening}{file}{comma}{how}{closing}"


def _sentiment(result: AnalysisResult, t: Labels) -> str:
    rules = t("情感词典与规则")
    adaptation = result.adaptation.adaptation if result.adaptation is not None else None
    if adaptation is None:
        return rules
    learnt = _ADAPTATION_SOURCES.get(str(adaptation.report.source))
    return f"{rules} + {t(learnt)}" if learnt else rules


def _engine(engine: str, t: Labels) -> str:
    if engine == "local":
        return t("本机")
    if engine.startswith("dask"):
        return t("Dask 集群{where}", where=engine.removeprefix("dask"))
    return engine


def settings_rows(result: AnalysisResult, t: Labels) -> list[tuple[str, str]]:
    """(label, value) for each setting of ``result.settings``, in ``t``'s language."""
    s = result.settings
    none = t("(无)")
    return [
        (t("feedback-miner 版本"), s.version),
        (t("流失原因分类"), taxonomy_description(result, t)),
        (t("输入文件"), "; ".join(file_name(p) for p in s.inputs) or none),
        (t("流失标签文件"), file_name(s.labels) if s.labels else none),
        (
            t("暴露的定义"),
            t("流失前以负面情感提及该原因") if s.exposure == "negative" else t("流失前提及该原因"),
        ),
        (
            t("只计流失前多少天内的反馈"),
            t("{n} 天", n=s.window_days) if s.window_days is not None else t("不限"),
        ),
        (t("没有日期的反馈"), t("计入") if s.undated == "include" else t("不计入")),
        (t("中性情感区间"), f"-{s.neutral_band:g} ~ {s.neutral_band:g}"),
        (t("情感打分方式"), _sentiment(result, t)),
        (t("另外调整的列(--adjust-for)"), "; ".join(s.adjust_for) or none),
        (
            t("标签截止日(--as-of)"),
            str(s.as_of.date()) if s.as_of is not None else t("未指定：用最新的反馈日期"),
        ),
        (t("随机种子"), str(s.seed)),
        (t("计算方式"), _engine(s.engine, t)),
        (t("并行进程数"), str(s.jobs)),
        (t("每批文档数"), str(s.chunk_size)),
    ]
