"""The run's warnings and the reasons' notes, worded in the report's language."""

from __future__ import annotations

import re

import pandas as pd

from ..advice import RunWarning
from ..attribution.confounders import segment_label
from ..result import AnalysisResult
from .i18n import Labels

__all__ = ["WARNING_TITLES", "reason_notes", "survival_source_text", "warning_text"]

WARNING_TITLES = {
    "undated_feedback": "无日期的反馈",
    "no_covariates": "标签文件无协变量",
    "penalised_fit": "惩罚似然估计",
    "possible_confounder": "可能的混杂",
    "low_coverage": "分类覆盖率低",
    "incremental_not_measured": "文本价值未测量",
}

_CUTOFF_REASONS = {
    "no_dates": "标签文件没有流失日期，无法把特征截在结果之前；加入流失日期列即可测量",
    "too_few": "截止日 {date} 前后两侧的用户太少，无法做样本外比较",
}


# how attribution.survival words the origin of its durations (see attribution/survival.py)
_SURVIVAL_SOURCES = (
    (
        re.compile(r"days from each user's start date .*snapshot (?P<date>\S+), censored"),
        "每位用户从开始日期到流失的天数(未流失的用户到标签截止日 {date}，删失)",
    ),
    (re.compile(r"the tenure column '(?P<column>.+)'"), "在网时长列“{column}”"),
    (
        re.compile(r"days from each user's first feedback .*snapshot (?P<date>\S+), censored"),
        "每位用户从第一条反馈到流失的天数(未流失的用户到标签截止日 {date}，删失)",
    ),
)


def survival_source_text(source: str, t: Labels) -> str:
    """Where the time-to-churn durations came from, in the report's language."""
    for pattern, words in _SURVIVAL_SOURCES:
        found = pattern.search(source)
        if found:
            return t(words, **found.groupdict())
    return source


def warning_text(warning: RunWarning, t: Labels) -> str:
    """One warning as the report shows it."""
    v = warning.values
    if warning.code == "undated_feedback":
        return t(
            "{n} 条标签用户的反馈没有日期，按“写于流失之前”计入，可能计入了流失之后写的反馈。"
            "用 --time-col 指定时间列，或用 --undated exclude 不计入。",
            n=v.get("n", ""),
        )
    if warning.code == "no_covariates":
        return t(
            "标签文件除用户ID、是否流失和流失日期外没有其他列：比值比只对其他主题做了调整，"
            "流失模型只能与随机(AUC 0.5)比较。加入在网时长、套餐、消费等列即可一并调整。"
        )
    if warning.code == "penalised_fit":
        return t(
            "有主题把流失与未流失用户几乎完全分开(或最大似然不收敛)，改用 Firth 惩罚似然估计；"
            "置信区间与 p 值来自其似然剖面。"
        )
    if warning.code == "possible_confounder":
        return t(
            "{theme}：在“{segment}”的各取值之内，比值比从 {odds_ratio:.2f} 降到 {within:.2f}"
            "(95%CI {low:.2f}-{high:.2f})，而“{segment}”本身与流失有关：该主题可能只是反映了用户是谁。"
            "可加 --adjust-for {segment} 重新分析。",
            **v,
        )
    if warning.code == "low_coverage":
        return t(
            "分类“{taxonomy}”只覆盖了 {share:.0%} 的负面反馈({n} 条)：多数原因不在分类中。"
            "请对这些数据运行 feedback-miner themes discover 查看遗漏的主题，或换用其他分类。",
            **v,
        )
    if warning.code == "incremental_not_measured":
        reason = _CUTOFF_REASONS.get(str(v.get("kind", "")), "")
        detail = t(reason, **{k: w for k, w in v.items() if k != "kind"}) if reason else ""
        return t("未测量文本对流失模型的价值：{reason}。", reason=detail)
    return warning.message


def reason_notes(result: AnalysisResult, t: Labels) -> pd.Series:
    """The note of each row of the attribution table, from its figures (not its English note)."""
    attribution = result.attribution
    if attribution is None:
        return pd.Series(dtype=object)
    table = attribution.table
    names = table.set_index("theme_id")["theme_name"]
    confounded: dict[str, list[str]] = {}
    for flag in result.confounders:
        confounded.setdefault(flag.theme_id, []).append(segment_label(flag.segment))
    notes: list[str] = []
    for row in table.to_dict("records"):
        parts: list[str] = []
        if row["certainty"] == "not_modelled":
            if int(row["n_users"]) > attribution.n_users - attribution.min_exposed:
                parts.append(t("几乎所有用户都提及，无法比较，未建模"))
            else:
                parts.append(
                    t(
                        "提及用户太少({n} 人，至少需要 {min} 人)，未建模",
                        n=row["n_users"],
                        min=attribution.min_exposed,
                    )
                )
        parent = str(row["parent_id"] or "")
        if parent and row["certainty"] != "not_modelled":
            parts.append(t("与“{parent}”的其他子主题并列建模", parent=names.get(parent, parent)))
        if pd.notna(row["own_odds_ratio"]):
            parts.append(
                t(
                    "其中不含子主题的自身提及：比值比 {ratio:.2f}({low:.2f}-{high:.2f})",
                    ratio=row["own_odds_ratio"],
                    low=row["own_ci_low"],
                    high=row["own_ci_high"],
                )
            )
        for segment in confounded.get(str(row["theme_id"]), []):
            parts.append(t("可能的混杂：{segment}", segment=segment))
        notes.append("；".join(parts))
    return pd.Series(notes, index=table.index, dtype=object)
