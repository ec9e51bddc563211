"""The reasons sheet (what a manager reads) and the reason statistics sheet (every figure)."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..attribution import ATTRIBUTION_COLUMNS, AttributionResult
from ..attribution.survival import SURVIVAL_COLUMNS
from ..result import AnalysisResult
from ..summary import Summary
from .cells import Grid
from .drivers import CERTAINTY_WORDS, survival_chart
from .i18n import Labels
from .layout import FIRST_ROW, Layout, reason_order
from .notes import reason_notes
from .style import HEADER, PERCENT

__all__ = ["REASON_HEADERS", "SIGNED_PERCENT", "reason_statistics_sheet", "reasons_sheet"]

# a negative share (the exposed churn less) in red with its minus sign
SIGNED_PERCENT = "0.0%;[Red]-0.0%"
REASON_HEADERS = {
    "theme_id": "主题ID",
    "theme_name": "流失原因",
    "churn_type": "流失类型",
    "n_users": "负面提及用户数",
    "churn_rate_with": "提及者流失率",
    "churn_rate_without": "未提及者流失率",
    "lift": "提升度",
    "odds_ratio": "调整后比值比",
    "interval": "95%置信区间",
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
_FORMATS = {
    "churn_rate_with": PERCENT,
    "churn_rate_without": PERCENT,
    "impact": SIGNED_PERCENT,
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
# what a manager reads; the statistics sheet has every column
_SHOWN = (
    "theme_name",
    "churn_type",
    "n_users",
    "churn_rate_with",
    "churn_rate_without",
    "odds_ratio",
    "interval",
    "impact",
    "certainty",
    "note",
    "top_keywords",
)
# one line a reason: the certainty, note and keyword texts fit their columns
_SHOWN_WIDTHS = [22, 10, 12, 11, 12, 11, 13, 12, 33, 48, 44]
# the statistics sheet: the contract's columns, then the extra ones
_DETAIL = (
    *ATTRIBUTION_COLUMNS[:2],
    "churn_type",
    *ATTRIBUTION_COLUMNS[2:],
    "certainty",
    "crude_odds_ratio",
    *SURVIVAL_COLUMNS,
    "note",
)


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


def _reason_table(
    result: AnalysisResult, attribution: AttributionResult, summary: Summary, t: Labels
) -> pd.DataFrame:
    """The attribution table in the report's order, with words for codes."""
    keywords = summary.themes.set_index("theme_id")["top_keywords"]
    ordered = attribution.table.set_index("theme_id").loc[reason_order(result, summary)]
    ordered = ordered.reset_index()
    notes = pd.Series(
        reason_notes(result, t).to_numpy(), index=attribution.table["theme_id"].to_numpy()
    )
    interval = [
        f"{low:.2f} ~ {high:.2f}" if pd.notna(low) and pd.notna(high) else ""
        for low, high in zip(ordered["ci_low"], ordered["ci_high"], strict=True)
    ]
    return ordered.assign(
        churn_type=ordered["churn_type"].map(t.churn_type),
        top_keywords=ordered["theme_id"].map(keywords),
        certainty=ordered["certainty"].map(lambda c: t(CERTAINTY_WORDS[c])),
        note=ordered["theme_id"].map(notes),
        theme_name=ordered["theme_id"].map(_indented_names(summary)),
        interval=interval,
    )


def _bar_chart(grid: Grid, title: str, value_col: int, charted: int, last: int) -> int:
    """The reasons as bars below the table; the last row the chart covers."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.add_data(grid.ref(value_col, 3, max_row=charted), titles_from_data=True)
    chart.set_categories(grid.ref(1, 4, max_row=charted))
    chart.x_axis.scaling.orientation = "maxMin"  # the first reason on top, as in the table
    chart.x_axis.tickLblPos = "low"  # names stay clear of negative bars
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.height, chart.width = max(7.5, 0.8 * (charted - 3)), 18
    grid.charts.append((chart, f"A{last + 3}"))
    # about two rows per centimetre of chart
    return last + 3 + int(chart.height * 2) + 2


def reasons_sheet(
    grid: Grid, result: AnalysisResult, summary: Summary, t: Labels, layout: Layout
) -> Grid:
    """The reasons, largest share of churn first, in the columns a manager reads."""
    attribution = result.attribution
    grid.freeze = "B4"
    _hidden_line(grid, summary, t)
    if attribution is None:
        grid.put(1, 1, t("未提供流失标签文件(--labels)：下表为各主题的提及情况，不含归因统计。"))
        shown = reason_order(result, summary)
        themes = summary.themes.set_index("theme_id").loc[shown].reset_index()
        table = themes.assign(
            churn_type=themes["churn_type"].map(t.churn_type),
            theme_name=themes["theme_id"].map(_indented_names(summary)),
        )[["theme_name", "churn_type", "mentions", "negative", "share", "mean_sentiment"]]
        table = table.assign(top_keywords=themes["top_keywords"])
        last = grid.table(
            table,
            start_row=3,
            headers=[
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
        value_col, title = 4, t("各主题负面提及数")
        charted = 3 + int((table["mentions"] > 0).sum())
        grid.widths = [22, 10, 12, 12, 12, 10, 36]
    else:
        table = _reason_table(result, attribution, summary, t)
        grid.put(
            1,
            1,
            t(
                "按归因流失占比排序，子主题列在其上级主题之下；比值比已对其他主题和标签文件中的协变量做调整。"
                "归因流失占比为负(红色)：提及者反而流失更少。p 值、q 值、风险比等见“原因统计”，定义见“方法说明”。"
            ),
        )
        last = grid.table(
            table[list(_SHOWN)],
            start_row=3,
            headers=[t(REASON_HEADERS[c]) for c in _SHOWN],
            formats=_FORMATS,
            header_style=HEADER,
        )
        interval_col = _SHOWN.index("interval") + 1
        for row in range(FIRST_ROW, last + 1):  # apart from the odds ratio beside it
            grid.restyle(row, interval_col, alignment=Alignment(horizontal="center"))
        _reason_rules(grid, table["impact"])
        value_col, title = _SHOWN.index("impact") + 1, t("归因流失占比(按原因)")
        charted = 3 + len(table)  # themes the model could not estimate have no bar
        grid.widths = list(_SHOWN_WIDTHS)
    for theme_id, row in layout.reason_rows.items():
        if theme_id in layout.quote_rows:  # the reason's name opens its quotes
            grid.restyle(row, 1, link=layout.link("quotes", layout.quote_rows[theme_id]))
    if charted > 3:
        last = _bar_chart(grid, title, value_col, charted, last)
    if attribution is not None and attribution.survival_curves is not None:
        survival_chart(grid, attribution, t, start=last + 2)
    return grid


def _reason_rules(grid: Grid, impact: pd.Series) -> None:
    """Bars for the positive shares only (a bar is read as "this much churn"), and odds
    ratios green below 1, white at 1, red above."""
    impact_col = get_column_letter(_SHOWN.index("impact") + 1)
    positive = [
        f"{impact_col}{FIRST_ROW + i}"
        for i, value in enumerate(impact)
        if pd.notna(value) and value > 0
    ]
    if positive:
        grid.rules.append(
            (
                " ".join(positive),
                DataBarRule(start_type="num", start_value=0, end_type="max", color="F4B183"),
            )
        )
    if len(impact):
        ratio_col = get_column_letter(_SHOWN.index("odds_ratio") + 1)
        grid.rules.append(
            (
                f"{ratio_col}{FIRST_ROW}:{ratio_col}{FIRST_ROW + len(impact) - 1}",
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


def reason_statistics_sheet(
    grid: Grid, result: AnalysisResult, summary: Summary, t: Labels
) -> Grid:
    """Every column of the attribution table, for analysts, with why some cells are empty."""
    if result.attribution is None:
        grid.put(1, 1, t("未提供流失标签文件(--labels)，没有归因统计。"))
        return grid
    table = _reason_table(result, result.attribution, summary, t)
    grid.put(
        1,
        1,
        t("归因表的全部列(与 --attribution 输出的 CSV 相同的数字)。列的定义见“方法说明”。"),
    )
    grid.put(
        2,
        1,
        t(
            "空白的格：比值比等统计为空的主题提及用户太少，未建模；子主题不单独进入 Cox 模型，风险比为空；"
            "“半数流失所需天数”在观察期内该组流失不到一半时为空。"
        ),
    )
    grid.table(
        table[list(_DETAIL)],
        start_row=3,
        headers=[t(REASON_HEADERS[c]) for c in _DETAIL],
        formats=_FORMATS,
        header_style=HEADER,
    )
    grid.freeze = "C4"
    grid.widths = [18, 22, 10, 12, 11, 12, 9, 11, 10, 10, 9, 9, 12, 26, 11, 11, 11, 11, 10]
    grid.widths += [14, 14, 40]
    return grid
