"""The Excel reason report. It formats an :class:`AnalysisResult`; it computes no statistics."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart
from openpyxl.styles import Alignment

from ..result import AnalysisResult
from ..summary import Summary
from .actions import actions_sheet
from .cells import CellStyle, Grid, number, use_report_font
from .documents import EXCEL_MAX_ROWS, documents_sheet, quality_sheet
from .drivers import CERTAINTY_WORDS, key_drivers_sheet
from .evidence import churn_types_sheet, competitors_sheet, emerging_sheet, quotes_sheet
from .files import replacing
from .i18n import Labels, ReportLanguage, sheet_names
from .layout import Layout
from .method import method_sheet
from .notes import WARNING_TITLES, warning_text
from .reasons import SIGNED_PERCENT, reason_statistics_sheet, reasons_sheet
from .scores import METRIC_NAMES, changes_sheet, score_drivers_sheet
from .settings import settings_rows
from .style import HEADER, PERCENT, SECTION, TITLE, WRAP
from .trends import segments_sheet, trends_sheet

__all__ = ["EXCEL_MAX_ROWS", "SHEETS", "ReportFiles", "auc_in_words", "build_report"]

logger = logging.getLogger(__name__)

SHEETS = sheet_names("zh")


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
    use_report_font(book)
    title = layout.title
    _overview(Grid(title("overview")), result, summary, t).write(book)
    reasons_sheet(Grid(title("reasons")), result, summary, t, layout).write(book)
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
    reason_statistics_sheet(Grid(title("reason_stats")), result, summary, t).write(book)
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
        if inc.sampled_from is not None:
            figures.append(
                (
                    t("流失模型的用户(按结果分层的固定种子抽样)"),
                    t("{n} / {total} 位", n=f"{inc.n_users:,}", total=f"{inc.sampled_from:,}"),
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
        figures.append((t("这说明什么"), auc_in_words(inc.delta, inc.ci_low, inc.ci_high, t), None))
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
    top = Alignment(vertical="top")  # a label beside a wrapped value stays on its first line
    for name, value, fmt in figures:
        grid.put(row, 1, name, WRAP if len(name) > 16 else CellStyle(alignment=top))
        wrapped = fmt is None and isinstance(value, str)
        grid.put(row, 2, value, WRAP if wrapped else CellStyle(number_format=fmt, alignment=top))
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
            grid.put(row, 2, reason["impact"], number(SIGNED_PERCENT))
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
    for name, value in settings_rows(result, t):
        row += 1
        grid.put(row, 1, name)
        grid.put(row, 2, value, WRAP)
    return grid


def auc_in_words(gain: float, low: float, high: float, t: Labels) -> str:
    """What the AUC gain of the text features means, for a reader who does not know AUC."""
    what = t(
        "AUC 是模型把一位会流失的用户排在一位不会流失的用户前面的概率：0.5 等于随机，1 为完美。"
    )
    if low > 0:
        verdict = t(
            "加入反馈文本后提升 {gain:.3f}，区间不含 0：文本让流失预测更准，值得把文本特征放进流失模型。",
            gain=gain,
        )
    elif high < 0:
        verdict = t("加入反馈文本后下降 {loss:.3f}，区间不含 0：文本特征没有帮助。", loss=-gain)
    else:
        verdict = t(
            "变化 {gain:+.3f} 的区间包含 0：没有证据表明文本让流失预测更准(也可能是用户太少，看不出差别)。",
            gain=gain,
        )
    return f"{what}{verdict}" if t.lang == "zh" else f"{what} {verdict}"
