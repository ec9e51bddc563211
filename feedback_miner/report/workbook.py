"""The Excel reason report. It formats an :class:`AnalysisResult`; it computes no statistics."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import PatternFill

from ..attribution import ATTRIBUTION_COLUMNS
from ..attribution.survival import SURVIVAL_COLUMNS
from ..result import AnalysisResult
from ..summary import Summary
from .actions import actions_sheet
from .cells import Grid, number
from .documents import EXCEL_MAX_ROWS, documents_sheet, quality_sheet
from .drivers import CERTAINTY_WORDS, key_drivers_sheet, survival_chart
from .evidence import churn_types_sheet, competitors_sheet, emerging_sheet, quotes_sheet
from .files import replacing
from .i18n import Labels, ReportLanguage, sheet_names
from .layout import Layout, reason_order
from .method import method_sheet
from .notes import WARNING_TITLES, reason_notes, warning_text
from .scores import METRIC_NAMES, changes_sheet, score_drivers_sheet
from .style import HEADER, PERCENT, SECTION, TITLE, WRAP
from .trends import segments_sheet, trends_sheet

__all__ = ["EXCEL_MAX_ROWS", "SHEETS", "ReportFiles", "build_report"]

logger = logging.getLogger(__name__)

SHEETS = sheet_names("zh")
REASON_HEADERS = {
    "theme_id": "主题ID",
    "theme_name": "流失原因",
    "churn_type": "流失类型",
    "n_users": "负面提及用户数",
    "churn_rate_with": "提及者流失率",
    "churn_rate_without": "未提及者流失率",
    "lift": "提升度",
    "odds_ratio": "调整后比值比",
    "ci_low": "95%CI下限",
    "ci_high": "95%CI上限",
    "p_value": "p值",
    "q_value": "q值(BH)",
    "impact": "归因流失占比",
    "certainty": "把握程度",
    "crude_odds_ratio": "未调整比值比",
    "hazard_ratio": "风险比(Cox)",
    "hr_ci_low": "风险比CI下限",
    "hr_ci_high": "风险比CI上限",
    "hr_p_value": "风险比p值",
    "median_days_exposed": "提及者半数流失所需天数",
    "median_days_others": "其他人半数流失所需天数",
    "note": "备注",
    "top_keywords": "主要关键词",
}
_REASON_FORMATS = {
    "churn_rate_with": PERCENT,
    "churn_rate_without": PERCENT,
    "impact": PERCENT,
    "lift": "0.00",
    "odds_ratio": "0.00",
    "ci_low": "0.00",
    "ci_high": "0.00",
    "crude_odds_ratio": "0.00",
    "hazard_ratio": "0.00",
    "hr_ci_low": "0.00",
    "hr_ci_high": "0.00",
    "hr_p_value": "0.0000",
    "median_days_exposed": "0",
    "median_days_others": "0",
    "p_value": "0.0000",
    "q_value": "0.0000",
}


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    workbook : Path
        The .xlsx report.
    overflow : Path or None
        The CSV beside it holding the documents beyond the sheet's row limit.
    """

    workbook: Path
    overflow: Path | None = None


def build_report(
    result: AnalysisResult,
    path: str | Path,
    *,
    lang: ReportLanguage = "zh",
    max_rows: int = EXCEL_MAX_ROWS,
    raw_csv: bool = False,
) -> ReportFiles:
    """Write the reason report for ``result`` to ``path`` (.xlsx).

    Parameters
    ----------
    result : AnalysisResult
        What :func:`~feedback_miner.pipeline.analyze` returned.
    path : path
        The workbook to write.
    lang : {"zh", "en"}
        Language of sheet names, headers and explanations (the customers'
        text stays as written).
    max_rows : int
        Rows per sheet (Excel's limit by default); documents beyond it go to
        ``<report name>.documents.csv`` beside the workbook.
    raw_csv : bool
        Write that CSV's cells as they are, without protecting formula-like
        text (see :func:`~feedback_miner.report.tables.excel_safe`).

    Returns
    -------
    ReportFiles
    """
    summary = result.summary
    if summary is None:
        raise ValueError("the result has no summary; build it with feedback_miner.analyze().")
    t = Labels(lang)
    layout = Layout.of(result, summary, t)
    out = Path(path)
    book = Workbook(write_only=True)
    title = layout.title
    _overview(Grid(title("overview")), result, summary, t).write(book)
    _reasons(Grid(title("reasons")), result, summary, t, layout).write(book)
    key_drivers_sheet(Grid(title("drivers")), result, t).write(book)
    actions_sheet(Grid(title("actions")), result, summary, t, layout).write(book)
    score_drivers_sheet(Grid(title("scores")), result, t).write(book)
    quotes_sheet(Grid(title("quotes")), summary, t, layout).write(book)
    trends_sheet(Grid(title("trends")), result, summary, t).write(book)
    changes_sheet(Grid(title("changes")), result, t).write(book)
    segments_sheet(Grid(title("segments")), result, summary, t).write(book)
    churn_types_sheet(Grid(title("churn_types")), result, summary, t).write(book)
    competitors_sheet(Grid(title("competitors")), result, summary, t).write(book)
    emerging_sheet(Grid(title("emerging")), summary, t).write(book)
    overflow = documents_sheet(book, title("documents"), result, t, out, max_rows, raw_csv=raw_csv)
    quality_sheet(Grid(title("quality")), result, t).write(book)
    method_sheet(Grid(title("method")), result, t).write(book)
    with replacing(out, "the report") as temporary:
        book.save(temporary)
    logger.info("report written to %s", out)
    return ReportFiles(out, overflow)


def _overview(grid: Grid, result: AnalysisResult, summary: Summary, t: Labels) -> Grid:
    grid.widths = [34, 40, 16]
    grid.put(1, 1, t("流失原因分析报告"), TITLE)
    docs = result.docs
    counts = summary.sentiment_counts
    figures: list[tuple[str, object, str | None]] = [
        (t("分析文档数"), len(docs), None),
        (t("涉及用户数"), int(docs["user_id"].dropna().nunique()), None),
        (t("负面文档占比"), counts["negative"] / max(len(docs), 1), PERCENT),
        (t("被剔除的行"), len(result.rejects), None),
    ]
    attribution = result.attribution
    if attribution is not None and result.exposure is not None:
        figures += [
            (t("标签文件用户数"), result.exposure.users_in_labels, None),
            (t("纳入归因的用户数(有流失前反馈)"), attribution.n_users, None),
            (t("其中流失用户"), attribution.n_churned, None),
            (
                t("流失率(纳入归因的用户)"),
                attribution.n_churned / max(attribution.n_users, 1),
                PERCENT,
            ),
        ]
    if result.incremental is not None:
        inc = result.incremental
        if inc.cutoff is not None:
            figures.append(
                (
                    t("流失模型的截止日(特征取其之前的反馈，结果为其之后的流失)"),
                    f"{inc.cutoff.date.date()} ~ {inc.cutoff.end.date()}",
                    None,
                )
            )
        base = (
            (t("流失模型AUC：仅标签文件中的列"), inc.auc_covariates, "0.000")
            if inc.auc_covariates is not None
            else (t("流失模型AUC：仅标签文件中的列"), t("标签文件无协变量：与随机(0.5)比较"), None)
        )
        figures += [
            base,
            (t("流失模型AUC：加入文本特征"), inc.auc_with_text, "0.000"),
            (
                t("文本带来的AUC提升(95%置信区间)"),
                f"{inc.delta:+.3f} ({inc.ci_low:+.3f} ~ {inc.ci_high:+.3f})",
                None,
            ),
        ]
        names = {"text count": t("对照：只用反馈条数"), "sentiment": t("对照：只用条数与情感")}
        figures += [(names[k], v, "0.000") for k, v in inc.baselines.items() if k in names]
    elif result.incremental_note is not None:
        figures.append((t("流失模型AUC"), t("未测量(原因见“需要注意”)"), None))
    if result.drivers is not None:
        drivers = result.drivers
        figures.append(
            (
                t(
                    "评分：{metric}(“{column}”)",
                    metric=t(METRIC_NAMES[drivers.metric.name]),
                    column=drivers.column,
                ),
                drivers.overall,
                "0.0",
            )
        )
        costly = drivers.table[
            (drivers.table["certainty"] == "sure") & (drivers.table["impact"] < 0)
        ]
        for driver in costly.head(3).to_dict("records"):
            figures.append(
                (t("拉低评分：{theme}", theme=driver["theme_name"]), driver["impact"], "+0.0;-0.0")
            )
    fit = result.taxonomy_fit
    if fit is not None:
        how = t("自动选择") if fit.how == "auto" else t("指定")
        figures.append(
            (
                t("流失原因分类(taxonomy)"),
                t(
                    "{name}（{how}）：{coverage} 的文档、{negative} 的负面文档有主题",
                    name=result.taxonomy.name,
                    how=how,
                    coverage=f"{fit.coverage:.0%}",
                    negative=f"{fit.negative_coverage:.0%}",
                ),
                None,
            )
        )
    grid.put(3, 1, t("关键数字"), SECTION)
    row = 4
    for name, value, fmt in figures:
        grid.put(row, 1, name)
        grid.put(row, 2, value, number(fmt))
        row += 1

    row += 1
    grid.put(row, 1, t("主要流失原因"), SECTION)
    row += 1
    if attribution is not None:
        # top-level reasons: a sub-theme's churn is already within its parent's
        table = attribution.table
        top = table[table["parent_id"] == ""].dropna(subset=["impact"]).head(5)
        headers = (t("原因"), t("归因流失占比"), t("调整后比值比"), t("把握程度"))
        for j, name in enumerate(headers, start=1):
            grid.put(row, j, name, HEADER)
        for _, reason in top.iterrows():
            row += 1
            grid.put(row, 1, reason["theme_name"])
            grid.put(row, 2, reason["impact"], number(PERCENT))
            grid.put(row, 3, reason["odds_ratio"], number("0.00"))
            grid.put(row, 4, t(CERTAINTY_WORDS[reason["certainty"]]))
    else:
        grid.put(row, 1, t("未提供流失标签文件(--labels)，无法计算归因；下表按负面提及数排序。"))
        row += 1
        for j, name in enumerate((t("原因"), t("负面提及数")), start=1):
            grid.put(row, j, name, HEADER)
        for _, theme in summary.themes.head(5).iterrows():
            row += 1
            grid.put(row, 1, theme["theme_name"])
            grid.put(row, 2, int(theme["negative"]))

    if result.warnings:
        row += 2
        grid.put(row, 1, t("需要注意"), SECTION)
        for warning in result.warnings:
            row += 1
            grid.put(row, 1, t(WARNING_TITLES.get(warning.code, "提示")))
            grid.put(row, 2, warning_text(warning, t), WRAP)
    row += 2
    grid.put(row, 1, t("情感分布"), SECTION)
    top_row = row + 1
    grid.put(top_row, 1, t("情感"), HEADER)
    grid.put(top_row, 2, t("文档数"), HEADER)
    for i, key in enumerate(("negative", "neutral", "positive"), start=1):
        grid.put(top_row + i, 1, t.sentiment(key))
        grid.put(top_row + i, 2, counts[key])
    chart = BarChart()
    chart.type = "col"
    chart.title = t("文档情感分布")
    chart.legend = None
    chart.add_data(grid.ref(2, top_row, max_row=top_row + 3), titles_from_data=True)
    chart.set_categories(grid.ref(1, top_row + 1, max_row=top_row + 3))
    chart.height, chart.width = 7, 12
    grid.charts.append((chart, "E3"))

    row = top_row + 5
    grid.put(row, 1, t("输入与设置"), SECTION)
    for setting in fields(result.settings):
        value = getattr(result.settings, setting.name)
        row += 1
        grid.put(row, 1, setting.name)
        shown = "; ".join(map(str, value)) if isinstance(value, tuple) else value
        grid.put(row, 2, "" if shown is None else str(shown))
    return grid


def _reasons(
    grid: Grid, result: AnalysisResult, summary: Summary, t: Labels, layout: Layout
) -> Grid:
    attribution = result.attribution
    grid.freeze = "C4"
    keywords = summary.themes.set_index("theme_id")["top_keywords"]
    shown = reason_order(result, summary)
    names = _indented_names(summary)
    _hidden_line(grid, summary, t)
    if attribution is None:
        grid.put(1, 1, t("未提供流失标签文件(--labels)：下表为各主题的提及情况，不含归因统计。"))
        themes = summary.themes.set_index("theme_id").loc[shown].reset_index()
        table = themes.assign(
            churn_type=themes["churn_type"].map(t.churn_type),
            theme_name=themes["theme_id"].map(names),
        )[list(summary.themes.columns[:8])]
        last = grid.table(
            table,
            start_row=3,
            headers=[
                t("主题ID"),
                t("流失原因"),
                t("流失类型"),
                t("提及文档数"),
                t("负面提及数"),
                t("提及文档占比"),
                t("平均情感"),
                t("主要关键词"),
            ],
            formats={"share": PERCENT, "mean_sentiment": "0.00"},
            header_style=HEADER,
        )
        value_col, title = 5, t("各主题负面提及数")
        charted = 3 + int((table["mentions"] > 0).sum())
        grid.widths = [16, 18, 10, 12, 12, 10, 10, 36]
    else:
        ordered = attribution.table.set_index("theme_id").loc[shown].reset_index()
        notes = pd.Series(
            reason_notes(result, t).to_numpy(), index=attribution.table["theme_id"].to_numpy()
        )
        table = ordered.assign(
            churn_type=ordered["churn_type"].map(t.churn_type),
            top_keywords=ordered["theme_id"].map(keywords),
            certainty=ordered["certainty"].map(lambda c: t(CERTAINTY_WORDS[c])),
            note=ordered["theme_id"].map(notes),
            theme_name=ordered["theme_id"].map(names),
        )
        # churn type beside the name, the extra columns after the contract's
        order = [
            *ATTRIBUTION_COLUMNS[:2],
            "churn_type",
            *ATTRIBUTION_COLUMNS[2:],
            "certainty",
            "crude_odds_ratio",
            *SURVIVAL_COLUMNS,
            "note",
            "top_keywords",
        ]
        grid.put(
            1,
            1,
            t(
                "按归因流失占比排序，子主题列在其上级主题之下；比值比已对其他主题和标签文件中的协变量做调整。定义见“方法说明”。"
            ),
        )
        last = grid.table(
            table[order],
            start_row=3,
            headers=[t(REASON_HEADERS[c]) for c in order],
            formats=_REASON_FORMATS,
            header_style=HEADER,
        )
        if last > 3:
            grid.rules.append(
                (
                    f"M4:M{last}",
                    DataBarRule(start_type="num", start_value=0, end_type="max", color="F4B183"),
                )
            )
            # odds ratios: green below 1, white at 1, red above
            grid.rules.append(
                (
                    f"H4:H{last}",
                    ColorScaleRule(
                        start_type="num",
                        start_value=0.5,
                        start_color="A9D08E",
                        mid_type="num",
                        mid_value=1,
                        mid_color="FFFFFF",
                        end_type="num",
                        end_value=3,
                        end_color="F8696B",
                    ),
                )
            )
        value_col, title = 13, t("归因流失占比(按原因)")
        charted = 3 + len(table)  # themes the model could not estimate have no bar
        grid.widths = [16, 18, 10, 14, 12, 14, 9, 13, 10, 10, 9, 9, 13, 22, 13]
        grid.widths += [11, 11, 11, 10, 14, 14, 30, 36]
    for theme_id, row in layout.reason_rows.items():
        if theme_id in layout.quote_rows:  # the reason's name opens its quotes
            grid.restyle(row, 2, link=layout.link("quotes", layout.quote_rows[theme_id]))
    if charted > 3:
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.legend = None
        chart.add_data(grid.ref(value_col, 3, max_row=charted), titles_from_data=True)
        chart.set_categories(grid.ref(2, 4, max_row=charted))
        chart.x_axis.scaling.orientation = "maxMin"  # the first reason on top, as in the table
        chart.x_axis.tickLblPos = "low"  # names stay clear of negative bars
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.majorGridlines = None
        chart.height, chart.width = max(7.5, 0.8 * (charted - 3)), 18
        grid.charts.append((chart, f"B{last + 3}"))
        # about two rows per centimetre of chart
        last += 3 + int(chart.height * 2) + 2
    if attribution is not None and attribution.survival_curves is not None:
        survival_chart(grid, attribution, t, start=last + 2)
    return grid


def _indented_names(summary: Summary) -> dict[str, str]:
    """Theme id -> its name, sub-themes indented under their parent (└ 扣费与续费)."""
    themes = summary.themes
    return {
        theme_id: ("\u3000" * (int(depth) - 1) + "└ " if depth else "") + str(name)
        for theme_id, name, depth in zip(
            themes["theme_id"], themes["theme_name"], themes["depth"], strict=True
        )
    }


def _hidden_line(grid: Grid, summary: Summary, t: Labels) -> None:
    """One line naming the themes without any mention, which the table leaves out."""
    if summary.hidden_themes:
        names = summary.themes.set_index("theme_id")["theme_name"]
        grid.put(
            2,
            1,
            t(
                "没有被提及、未列出的主题：{names}",
                names="、".join(str(names[h]) for h in summary.hidden_themes),
            ),
        )
