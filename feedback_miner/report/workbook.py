"""The Excel reason report. It formats an :class:`AnalysisResult`; it computes no statistics."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import DataBarRule
from openpyxl.worksheet.worksheet import Worksheet

from ..attribution import ATTRIBUTION_COLUMNS
from ..attribution.survival import SURVIVAL_COLUMNS
from ..pipeline import AnalysisResult
from .cells import put, set_widths, write_table
from .evidence import (
    EXCEL_MAX_ROWS,
    competitors_sheet,
    documents_sheet,
    quality_sheet,
    quotes_sheet,
)
from .style import BOLD, PERCENT, TITLE, WRAP, header_style

__all__ = ["EXCEL_MAX_ROWS", "SHEETS", "build_report"]

logger = logging.getLogger(__name__)

SHEETS = ("概览", "流失原因", "关键驱动", "原声", "竞品去向", "明细", "数据质量", "方法说明")
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
    "crude_odds_ratio": "未调整比值比",
    "hazard_ratio": "风险比(Cox)",
    "hr_ci_low": "风险比CI下限",
    "hr_ci_high": "风险比CI上限",
    "hr_p_value": "风险比p值",
    "median_days_exposed": "提及者中位留存天数",
    "median_days_others": "其他人中位留存天数",
    "note": "备注",
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
_CHURN_TYPE_NAMES = {"natural": "自然流失", "active": "主动流失", "passive": "被动流失"}


def build_report(result: AnalysisResult, path: str | Path) -> Path:
    """Write the reason report for ``result`` to ``path`` (.xlsx) and return the path."""
    book = Workbook()
    overview = book.active
    overview.title = SHEETS[0]
    _overview(overview, result)
    _reasons(book.create_sheet(SHEETS[1]), result)
    _key_drivers(book.create_sheet(SHEETS[2]), result)
    quotes_sheet(book.create_sheet(SHEETS[3]), result)
    competitors_sheet(book.create_sheet(SHEETS[4]), result)
    documents_sheet(book.create_sheet(SHEETS[5]), result)
    quality_sheet(book.create_sheet(SHEETS[6]), result)
    _method(book.create_sheet(SHEETS[7]), result)
    for sheet in book.worksheets:
        _print_setup(sheet)
    out = Path(path)
    book.save(out)
    logger.info("report written to %s", out)
    return out


def _print_setup(sheet: Worksheet) -> None:
    """Landscape, one page wide: the report is printed and turned into PDF too."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _theme_summary(result: AnalysisResult) -> pd.DataFrame:
    """Mentions and negative mentions per theme, in taxonomy order (for runs without labels)."""
    band = float(str(result.settings.get("neutral_band", 0.1)))
    mentions = result.mentions
    rows = []
    n_docs = max(len(result.docs), 1)
    for theme in result.taxonomy.themes:
        own = mentions[mentions["theme_id"] == theme.id]
        negative = own[own["sentiment_score"] <= -band]
        rows.append(
            {
                "theme_id": theme.id,
                "theme_name": theme.name,
                "churn_type": _CHURN_TYPE_NAMES[theme.churn_type],
                "mentions": len(own),
                "negative": len(negative),
                "share": len(own) / n_docs,
                "mean_sentiment": own["sentiment_score"].mean() if len(own) else None,
            }
        )
    return pd.DataFrame(rows).sort_values(["negative", "theme_id"], ascending=[False, True])


def _overview(sheet: Worksheet, result: AnalysisResult) -> None:
    put(sheet, 1, 1, "流失原因分析报告")
    sheet.cell(row=1, column=1).font = TITLE
    docs = result.docs
    labels = docs["sentiment_label"].value_counts()
    figures: list[tuple[str, object, str | None]] = [
        ("分析文档数", len(docs), None),
        ("涉及用户数", int(docs["user_id"].dropna().nunique()), None),
        (
            "负面文档占比",
            float((docs["sentiment_label"] == "negative").mean()) if len(docs) else 0.0,
            PERCENT,
        ),
        ("被剔除的行", len(result.rejects), None),
    ]
    attribution = result.attribution
    if attribution is not None and result.exposure is not None:
        figures += [
            ("标签文件用户数", result.exposure.users_in_labels, None),
            ("纳入归因的用户数(有流失前反馈)", attribution.n_users, None),
            ("其中流失用户", attribution.n_churned, None),
            (
                "流失率(纳入归因的用户)",
                attribution.n_churned / max(attribution.n_users, 1),
                PERCENT,
            ),
        ]
    if result.incremental is not None:
        inc = result.incremental
        figures += [
            ("流失模型AUC：仅标签文件中的列", inc.auc_covariates, "0.000"),
            ("流失模型AUC：加入文本特征", inc.auc_with_text, "0.000"),
            (
                "文本带来的AUC提升(95%置信区间)",
                f"{inc.delta:+.3f} ({inc.ci_low:+.3f} ~ {inc.ci_high:+.3f})",
                None,
            ),
        ]
    put(sheet, 3, 1, "关键数字")
    sheet.cell(row=3, column=1).font = BOLD
    row = 4
    for name, value, fmt in figures:
        put(sheet, row, 1, name)
        put(sheet, row, 2, value, fmt)
        row += 1

    row += 1
    put(sheet, row, 1, "主要流失原因")
    sheet.cell(row=row, column=1).font = BOLD
    row += 1
    if attribution is not None:
        top = attribution.table.dropna(subset=["impact"]).head(5)
        put(sheet, row, 1, "原因")
        put(sheet, row, 2, "归因流失占比")
        put(sheet, row, 3, "调整后比值比")
        header_style(sheet, row, 3)
        for _, reason in top.iterrows():
            row += 1
            put(sheet, row, 1, reason["theme_name"])
            put(sheet, row, 2, reason["impact"], PERCENT)
            put(sheet, row, 3, reason["odds_ratio"], "0.00")
    else:
        put(sheet, row, 1, "未提供流失标签文件(--labels)，无法计算归因；下表按负面提及数排序。")
        summary = _theme_summary(result).head(5)
        for _, theme in summary.iterrows():
            row += 1
            put(sheet, row, 1, theme["theme_name"])
            put(sheet, row, 2, int(theme["negative"]))

    row += 2
    put(sheet, row, 1, "情感分布")
    sheet.cell(row=row, column=1).font = BOLD
    chart_top = row + 1
    put(sheet, chart_top, 1, "情感")
    put(sheet, chart_top, 2, "文档数")
    names = {"negative": "负面", "neutral": "中性", "positive": "正面"}
    for i, key in enumerate(("negative", "neutral", "positive"), start=1):
        put(sheet, chart_top + i, 1, names[key])
        put(sheet, chart_top + i, 2, int(labels.get(key, 0)))
    chart = BarChart()
    chart.type = "col"
    chart.title = "文档情感分布"
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=2, min_row=chart_top, max_row=chart_top + 3), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=chart_top + 1, max_row=chart_top + 3))
    chart.height, chart.width = 7, 12
    sheet.add_chart(chart, "E3")

    row = chart_top + 5
    put(sheet, row, 1, "输入与设置")
    sheet.cell(row=row, column=1).font = BOLD
    for key, value in result.settings.items():
        row += 1
        put(sheet, row, 1, key)
        put(
            sheet,
            row,
            2,
            "; ".join(map(str, value))
            if isinstance(value, list)
            else ("" if value is None else str(value)),
        )
    set_widths(sheet, [34, 40, 16])


def _reasons(sheet: Worksheet, result: AnalysisResult) -> None:
    attribution = result.attribution
    if attribution is None:
        put(sheet, 1, 1, "未提供流失标签文件(--labels)：下表为各主题的提及情况，不含归因统计。")
        summary = _theme_summary(result)
        last = write_table(
            sheet,
            summary,
            start_row=3,
            headers=[
                "主题ID",
                "主题",
                "流失类型",
                "提及文档数",
                "负面提及数",
                "提及占比",
                "平均情感",
            ],
            formats={"share": PERCENT, "mean_sentiment": "0.00"},
        )
        header_style(sheet, 3, 7)
        value_col, title = 5, "各主题负面提及数"
        charted = last
    else:
        table = attribution.table.copy()
        table["churn_type"] = table["churn_type"].map(_CHURN_TYPE_NAMES)
        # churn type beside the name, the extra columns after the contract's
        order = [
            *ATTRIBUTION_COLUMNS[:2],
            "churn_type",
            *ATTRIBUTION_COLUMNS[2:],
            "crude_odds_ratio",
            *SURVIVAL_COLUMNS,
            "note",
        ]
        put(
            sheet,
            1,
            1,
            "按归因流失占比排序；比值比已对其他主题和标签文件中的协变量做调整。定义见“方法说明”。",
        )
        last = write_table(
            sheet,
            table[order],
            start_row=3,
            headers=[REASON_HEADERS[c] for c in order],
            formats=_REASON_FORMATS,
        )
        header_style(sheet, 3, len(order))
        if last > 3:
            sheet.conditional_formatting.add(
                f"M4:M{last}",
                DataBarRule(start_type="num", start_value=0, end_type="max", color="F4B183"),
            )
        value_col, title = 13, "归因流失占比(按原因)"
        charted = 3 + int(table["impact"].notna().sum())  # modelled themes come first
    sheet.freeze_panes = "C4"
    if charted > 3:
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.legend = None
        chart.add_data(
            Reference(sheet, min_col=value_col, min_row=3, max_row=charted), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=4, max_row=charted))
        chart.x_axis.scaling.orientation = "maxMin"  # the first reason on top, as in the table
        chart.x_axis.tickLblPos = "low"  # names stay clear of negative bars
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.majorGridlines = None
        chart.height, chart.width = max(7.5, 0.8 * (charted - 3)), 18
        sheet.add_chart(chart, f"B{last + 3}")
    set_widths(
        sheet, [16, 18, 10, 14, 12, 14, 9, 13, 10, 10, 9, 9, 13, 13, 11, 11, 11, 10, 14, 14, 36]
    )


_QUADRANT_NAMES = {
    "fix_first": "优先解决",
    "monitor": "重点关注",
    "strength": "优势",
    "low_priority": "低优先级",
}


def _key_drivers(sheet: Worksheet, result: AnalysisResult) -> None:
    attribution = result.attribution
    if attribution is None:
        put(sheet, 1, 1, "未提供流失标签文件(--labels)：关键驱动需要归因结果。")
        return
    table = attribution.table.dropna(subset=["impact"])
    if table.empty:
        put(sheet, 1, 1, "没有主题有足够多的暴露用户进入模型，无法划分关键驱动。")
        return
    put(sheet, 1, 1, "提及占比(横轴) × 归因流失占比(纵轴)。象限的划分见“方法说明”。")
    frame = pd.DataFrame(
        {
            "theme": table["theme_name"],
            "prevalence": table["prevalence"],
            "impact": table["impact"],
            "quadrant": table["quadrant"].map(_QUADRANT_NAMES),
            "odds_ratio": table["odds_ratio"],
        }
    )
    last = write_table(
        sheet,
        frame,
        start_row=3,
        headers=["原因", "提及占比", "归因流失占比", "象限", "调整后比值比"],
        formats={"prevalence": PERCENT, "impact": PERCENT, "odds_ratio": "0.00"},
    )
    header_style(sheet, 3, 5)
    chart = ScatterChart()
    chart.title = "关键驱动：提及占比 × 归因流失占比"
    chart.style = 13
    chart.x_axis.title = "提及占比"
    chart.y_axis.title = "归因流失占比"
    chart.x_axis.number_format = "0%"
    chart.y_axis.number_format = "0%"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for row in range(4, last + 1):
        series = Series(
            Reference(sheet, min_col=3, min_row=row),
            Reference(sheet, min_col=2, min_row=row),
            title_from_data=False,
            title=str(sheet.cell(row=row, column=1).value),
        )
        series.marker.symbol = "circle"
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    chart.height, chart.width = 11, 18
    sheet.add_chart(chart, "G3")
    set_widths(sheet, [18, 12, 14, 12, 14])


def _method(sheet: Worksheet, result: AnalysisResult) -> None:
    band = result.settings.get("neutral_band", 0.1)
    min_exposed = result.attribution.min_exposed if result.attribution is not None else 5
    model = result.attribution.model if result.attribution is not None else None
    lines = [
        (
            "情感分",
            f"每个子句按情感词典打分(否定词翻转、程度副词加权、转折后句加重、感叹号加强)，合并后压缩到 [-1, 1]。"
            f"≤ -{band} 为负面，≥ {band} 为正面，其余为中性。",
        ),
        (
            "主题提及",
            "分类(taxonomy)中的关键词按整词或词序列在子句中匹配(“贵”不会匹配“贵宾”)；含 exclude 词的子句不计。"
            "提及的情感分是命中子句的情感分(子句本身中性时取同一句中相邻子句)。",
        ),
        (
            "暴露",
            "用户在流失日期之前写的反馈中，以负面情感提及该主题，即视为暴露于该原因。流失之后写的反馈不计入。",
        ),
        (
            "纳入归因的用户",
            "标签文件中、至少有一条流失前反馈的用户。这样“是否写过反馈”对暴露与未暴露用户相同。",
        ),
        ("提及者流失率 / 未提及者流失率", "暴露用户中流失的比例；其余纳入用户中流失的比例。"),
        ("提升度 (lift)", "提及者流失率 ÷ 未提及者流失率。"),
        (
            "调整后比值比 (odds_ratio)",
            "对所有主题暴露和标签文件中的其他列(协变量：数值列标准化，类别列取哑变量)做多元逻辑回归，"
            "该主题系数的指数；95% 置信区间为 exp(系数 ± 1.96 × 标准误)，p 值为 Wald 检验。"
            f"暴露用户少于 {min_exposed} 人的主题不进入模型。",
        ),
        ("q 值", "对各主题 p 值做 Benjamini-Hochberg 多重比较校正。"),
        (
            "归因流失占比 (impact)",
            "模型预测的暴露用户流失人数，减去假设这些用户没有暴露于该主题时的预测流失人数，再除以实际流失总人数。"
            "表示该原因“多带来”的流失占全部流失的份额；数值越大，该原因解释的流失越多。各主题之和不一定等于 100%。",
        ),
        ("未调整比值比", "2×2 表的比值比(各格加 0.5 校正)，供与调整后比值比对比。"),
        (
            "风险比(Cox)与中位留存天数",
            "以所有进入模型的主题暴露和协变量为自变量的 Cox 比例风险模型(lifelines，惩罚 0.01)，该主题的 exp(系数)及 95% 置信区间；"
            "中位留存天数为提及者与其他人的 Kaplan-Meier 中位数(一半以上的人在观察期内未流失时为空)。"
            f"时长来源：{result.attribution.survival_source if result.attribution is not None and result.attribution.survival_source else '无(没有流失日期或在网时长列)'}。",
        ),
        (
            "关键驱动象限",
            "提及占比 = 暴露用户 ÷ 纳入归因的用户。归因流失占比小于 0 为“优势”；大于 0 且提及占比不低于"
            "进入模型的主题的中位数为“优先解决”；提及较少但归因流失占比不低于正值中位数为“重点关注”；其余为“低优先级”。",
        ),
        (
            "文本带来的AUC提升",
            "用户级特征(各主题提及数、负面提及数、近期负面强度、平均/最低情感、距最近一次抱怨的天数，只计流失日期之前的反馈)"
            "加入仅含标签文件协变量的逻辑回归，比较两者的交叉验证 ROC AUC(有日期时按最近反馈时间顺序切分，否则分层 5 折)；"
            "置信区间来自 1000 次自助抽样。",
        ),
        ("模型", model.method if model is not None else "(未拟合)"),
        ("模型备注", (model.note or "") if model is not None else ""),
        ("版本", str(result.settings.get("version", ""))),
        ("分类", str(result.settings.get("taxonomy", ""))),
    ]
    put(sheet, 1, 1, "方法说明")
    sheet.cell(row=1, column=1).font = TITLE
    for i, (name, text) in enumerate(lines, start=3):
        put(sheet, i, 1, name)
        put(sheet, i, 2, text)
        sheet.cell(row=i, column=1).font = BOLD
        sheet.cell(row=i, column=2).alignment = WRAP
    set_widths(sheet, [28, 100])
