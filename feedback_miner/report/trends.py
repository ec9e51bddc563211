"""The trend sheet (themes per month) and the segment sheet (themes and churn by segment)."""

from __future__ import annotations

from openpyxl.chart import LineChart
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.utils import get_column_letter

from ..result import AnalysisResult
from ..summary import Summary
from ..summary.trends import MIN_MONTH_DOCUMENTS
from .cells import Grid
from .i18n import Labels
from .style import HEADER, PERCENT, SECTION

__all__ = ["segments_sheet", "trends_sheet"]


def _heat() -> ColorScaleRule:
    """White for the segment's lowest share, red for the highest."""
    return ColorScaleRule(
        start_type="min", start_color="FFFFFF", end_type="max", end_color="F8696B"
    )


def trends_sheet(grid: Grid, result: AnalysisResult, summary: Summary, t: Labels) -> Grid:
    """Monthly share of the top themes and mean sentiment, with two line charts."""
    trends = summary.trends
    if trends is None:
        dated = int(result.docs["created_at"].notna().sum()) if len(result.docs) else 0
        grid.put(
            1,
            1,
            t(
                "输入中有日期的文档为 {dated} 条，跨度不足两个月，无法画出趋势。"
                "用 --time-col 指定时间列。",
                dated=dated,
            ),
        )
        return grid
    names = summary.themes.set_index("theme_id")["theme_name"]
    grid.put(
        1,
        1,
        t(
            "每月提及各主要原因的文档占比，以及当月平均情感分(只计有日期的文档；"
            "文档少于 {n} 条的月份不计算占比)。",
            n=MIN_MONTH_DOCUMENTS,
        ),
    )
    frame = trends.assign(month=trends["month"].dt.strftime("%Y-%m"))
    themes = [c for c in trends.columns if c not in ("month", "documents", "mean_sentiment")]
    headers = [t("月份"), t("文档数"), t("平均情感"), *[str(names[c]) for c in themes]]
    formats = {"mean_sentiment": "0.00", **{c: PERCENT for c in themes}}
    last = grid.table(frame, start_row=3, headers=headers, formats=formats, header_style=HEADER)
    grid.freeze = "B4"
    grid.widths = [10, 9, 10, *[14] * len(themes)]

    shares = LineChart()
    shares.title = t("主要原因的月度提及占比")
    shares.y_axis.number_format = "0%"
    shares.y_axis.title = t("提及占比")
    shares.add_data(grid.ref(4, 3, max_col=3 + len(themes), max_row=last), titles_from_data=True)
    shares.set_categories(grid.ref(1, 4, max_row=last))
    mood = LineChart()
    mood.title = t("月度平均情感分")
    mood.legend = None
    mood.add_data(grid.ref(3, 3, max_row=last), titles_from_data=True)
    mood.set_categories(grid.ref(1, 4, max_row=last))
    for chart in (shares, mood):
        for series in chart.series:
            series.smooth = False  # a smoothed line invents values between months
        chart.x_axis.delete = False
        chart.x_axis.tickLblPos = "low"  # month names below the plot, also for negative values
        chart.y_axis.delete = False
        chart.height, chart.width = 8, 18
    anchor_col = get_column_letter(5 + len(themes))
    grid.charts.append((shares, f"{anchor_col}3"))
    grid.charts.append((mood, f"{anchor_col}20"))
    return grid


def segments_sheet(grid: Grid, result: AnalysisResult, summary: Summary, t: Labels) -> Grid:
    """Theme by segment heat maps, one block per segment column."""
    if not summary.segments:
        grid.put(
            1,
            1,
            t(
                "输入中没有可用于细分的列(来源、渠道，或取值 2-12 种的列)。"
                "用 --segment-col 指定，如会员等级或地区。"
            ),
        )
        return grid
    names = summary.themes.set_index("theme_id")["theme_name"]
    labelled = result.labels is not None
    grid.put(
        1,
        1,
        t(
            "各细分人群中提及每个原因的文档占比；颜色越深占比越高。"
            "“流失率”为该细分中写过反馈、在标签文件中的用户的流失比例(描述，未做调整)。"
        )
        if labelled
        else t("各细分人群中提及每个原因的文档占比；颜色越深占比越高。"),
    )
    row = 3
    widest = 0
    fixed = ["segment", "documents", *(["users", "churn_rate"] if labelled else [])]
    for column, table in summary.segments.items():
        grid.put(row, 1, _segment_title(column, t), SECTION)
        themes = [c for c in table.columns if c not in fixed]
        widest = max(widest, len(themes))
        shown = table[[c for c in fixed if c in table.columns] + themes]
        if column in ("source", "channel"):
            shown = shown.assign(
                segment=shown["segment"].map(t.source if column == "source" else t.channel)
            )
        headers = [t("细分"), t("文档数")]
        if "churn_rate" in shown.columns:
            headers += [t("标签用户数"), t("流失率")]
        last = grid.table(
            shown,
            start_row=row + 1,
            headers=[*headers, *[str(names[c]) for c in themes]],
            formats={"churn_rate": PERCENT, **{c: PERCENT for c in themes}},
            header_style=HEADER,
        )
        first_theme = len(headers) + 1
        if themes and last > row + 1:
            block = (
                f"{get_column_letter(first_theme)}{row + 2}:"
                f"{get_column_letter(first_theme + len(themes) - 1)}{last}"
            )
            grid.rules.append((block, _heat()))
        if "churn_rate" in shown.columns and last > row + 1:
            grid.rules.append(
                (
                    f"D{row + 2}:D{last}",
                    DataBarRule(start_type="num", start_value=0, end_type="max", color="F4B183"),
                )
            )
        row = last + 3
    grid.widths = [22, 9, *([10, 9] if labelled else []), *[12] * widest]
    return grid


def _segment_title(column: str, t: Labels) -> str:
    known = {"source": t("来源类型"), "channel": t("渠道")}
    if column in known:
        return known[column]
    return t("按“{name}”", name=column.removeprefix("meta:"))
