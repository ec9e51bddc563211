"""The key-driver view and the time-to-churn chart of the report."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import PatternFill

from ..attribution import AttributionResult, quadrant_cuts
from ..result import AnalysisResult
from .cells import CellStyle, Grid, number
from .i18n import Labels
from .style import HEADER, PERCENT, SECTION

__all__ = ["CERTAINTY_WORDS", "key_drivers_sheet", "survival_chart"]

_QUADRANT_COLOURS = {
    "fix_first": "E8534A",
    "monitor": "F4B183",
    "strength": "70AD47",
    "low_priority": "A5A5A5",
    "uncertain": "D9E1F2",
}
_QUADRANT_NAMES = {
    "fix_first": "优先解决",
    "monitor": "重点关注",
    "strength": "优势",
    "low_priority": "低优先级",
    "uncertain": "不确定",
}
CERTAINTY_WORDS = {
    "strong": "很有把握(q<0.01)",
    "moderate": "较有把握(q<0.05)",
    "weak": "有一定把握(q<0.1)",
    "uncertain": "不确定：区间包含 1，可能是偶然",
    "not_modelled": "提及用户太少，未建模",
}
_KM_THEMES = 3
# one colour per reason (exposed: solid, others: dashed), apart from the quadrant colours
_KM_COLOURS = ("C00000", "2F5597", "BF8F00")


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def survival_chart(grid: Grid, attribution: AttributionResult, t: Labels, *, start: int) -> None:
    """Kaplan-Meier curves (share not yet churned by day) of the top reasons: exposed and others."""
    curves = attribution.survival_curves
    top = [
        theme
        for theme in attribution.table.dropna(subset=["impact"])["theme_id"]
        if curves is not None and theme in set(curves["theme_id"])
    ][:_KM_THEMES]
    if curves is None or not top:
        return
    names = attribution.table.set_index("theme_id")["theme_name"]
    grid.put(start, 1, t("随时间仍未流失的比例(Kaplan-Meier)"), SECTION)
    grid.put(start + 1, 1, t("天数"), HEADER)
    days = curves[curves["theme_id"] == top[0]]
    days = days[days["group"] == "exposed"]["days"].to_numpy()
    for i, value in enumerate(days, start=start + 2):
        grid.put(i, 1, float(round(value, 1)), number("0"))
    chart = ScatterChart()
    chart.title = t("随时间仍未流失的比例(Kaplan-Meier)")
    chart.style = 13
    chart.x_axis.title = t("天数")
    chart.y_axis.title = t("仍未流失的比例")
    chart.y_axis.number_format = "0%"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    column = 2
    for theme, colour in zip(top, _KM_COLOURS, strict=False):
        for group, label in (("exposed", "提及者"), ("others", "其他人")):
            values = curves[(curves["theme_id"] == theme) & (curves["group"] == group)]
            title = f"{names[theme]} · {t(label)}"
            grid.put(start + 1, column, title, HEADER)
            for i, value in enumerate(values["share_retained"], start=start + 2):
                grid.put(i, column, float(value), number(PERCENT))
            series = Series(
                grid.ref(column, start + 2, max_row=start + 1 + len(days)),
                grid.ref(1, start + 2, max_row=start + 1 + len(days)),
                title=title,
            )
            series.marker.symbol = "none"
            series.smooth = False
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575 if group == "exposed" else 19050
            if group == "others":
                series.graphicalProperties.line.dashStyle = "dash"
            chart.series.append(series)
            column += 1
    chart.height, chart.width = 9, 18
    grid.charts.append((chart, f"{_column_letter(column + 1)}{start + 1}"))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _quadrant_lines(
    grid: Grid, chart: ScatterChart, table: pd.DataFrame, t: Labels, *, top: int
) -> None:
    """The lines dividing the quadrants: the median prevalence (vertical) and no impact
    (horizontal), as two-point series whose points are in a small table at ``top``."""
    prevalence_cut, _ = quadrant_cuts(table)
    low = min(float(table["impact"].min()), 0.0)
    high = max(float(table["impact"].max()), 0.0)
    right = max(float(table["prevalence"].max()), prevalence_cut)
    grid.put(top, 1, t("象限分界线(图中的虚线)"), HEADER)
    grid.put(top, 2, t("提及占比"), HEADER)
    grid.put(top, 3, t("归因流失占比"), HEADER)
    points = (
        (t("提及占比的中位数"), prevalence_cut, low),
        (t("提及占比的中位数"), prevalence_cut, high),
        (t("归因流失占比为 0"), 0.0, 0.0),
        (t("归因流失占比为 0"), right, 0.0),
    )
    for i, (name, x, y) in enumerate(points, start=top + 1):
        grid.put(i, 1, name)
        grid.put(i, 2, x, number(PERCENT))
        grid.put(i, 3, y, number(PERCENT))
    for first in (top + 1, top + 3):
        line = Series(
            grid.ref(3, first, max_row=first + 1),
            grid.ref(2, first, max_row=first + 1),
            title=str(points[first - top - 1][0]),
        )
        line.marker.symbol = "none"
        line.graphicalProperties.line.solidFill = "7F7F7F"
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.width = 12700
        chart.series.append(line)


def key_drivers_sheet(grid: Grid, result: AnalysisResult, t: Labels) -> Grid:
    attribution = result.attribution
    if attribution is None:
        grid.put(1, 1, t("未提供流失标签文件(--labels)：关键驱动需要归因结果。"))
        return grid
    table = attribution.table.dropna(subset=["impact"])
    if table.empty:
        grid.put(1, 1, t("没有主题有足够多的暴露用户进入模型，无法划分关键驱动。"))
        return grid
    grid.put(1, 1, t("提及占比(横轴) × 归因流失占比(纵轴)。象限的划分见“方法说明”。"))
    frame = pd.DataFrame(
        {
            "theme": table["theme_name"],
            "prevalence": table["prevalence"],
            "impact": table["impact"],
            "quadrant": table["quadrant"].map(lambda q: t(_QUADRANT_NAMES[q])),
            "odds_ratio": table["odds_ratio"],
        }
    )
    last = grid.table(
        frame,
        start_row=3,
        headers=[t("原因"), t("提及占比"), t("归因流失占比"), t("象限"), t("调整后比值比")],
        formats={"prevalence": PERCENT, "impact": PERCENT, "odds_ratio": "0.00"},
        header_style=HEADER,
    )
    chart = ScatterChart()
    chart.title = t("关键驱动：提及占比 × 归因流失占比")
    chart.style = 13
    chart.x_axis.title = t("提及占比")
    chart.y_axis.title = t("归因流失占比")
    chart.x_axis.number_format = "0%"
    chart.y_axis.number_format = "0%"
    chart.x_axis.tickLblPos = "low"  # below the plot, clear of negative shares
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for row, name, quadrant in zip(
        range(4, last + 1), frame["theme"], table["quadrant"], strict=True
    ):
        series = Series(grid.ref(3, row), grid.ref(2, row), title=str(name))
        series.marker.symbol = "circle"
        series.marker.size = 9
        series.marker.graphicalProperties.solidFill = _QUADRANT_COLOURS[quadrant]
        series.marker.graphicalProperties.line.solidFill = _QUADRANT_COLOURS[quadrant]
        series.graphicalProperties.line.noFill = True
        # each dot named beside it: with a dozen reasons colours alone do not tell them apart
        series.dLbls = DataLabelList()
        series.dLbls.showSerName = True
        for hidden in ("showVal", "showCatName", "showLegendKey", "showPercent"):
            setattr(series.dLbls, hidden, False)
        series.dLbls.position = "r"
        chart.series.append(series)
        grid.restyle(row, 4, fill=_fill(_QUADRANT_COLOURS[quadrant]))
    _quadrant_lines(grid, chart, table, t, top=last + 10)
    chart.legend = None  # the labels name the dots; the table below names the colours
    chart.x_axis.majorGridlines = None  # the dashed quadrant lines stand out alone
    chart.y_axis.majorGridlines = None
    chart.height, chart.width = 13, 22
    grid.charts.append((chart, "G3"))
    # the four quadrants, in the colours of the points
    grid.put(last + 2, 1, t("象限"), HEADER)
    grid.put(last + 2, 2, t("含义"), HEADER)
    meanings = (
        ("fix_first", "提及多且带来流失：先解决"),
        ("monitor", "提及不多但带来较多流失：盯住，防止扩大"),
        ("strength", "提及者反而流失更少：保持"),
        ("low_priority", "提及少、带来的流失也少"),
        ("uncertain", "区间包含 1 或 q≥0.1：可能是偶然，既不列为优先也不算优势"),
    )
    for i, (quadrant, meaning) in enumerate(meanings, start=last + 3):
        grid.put(
            i, 1, t(_QUADRANT_NAMES[quadrant]), CellStyle(fill=_fill(_QUADRANT_COLOURS[quadrant]))
        )
        grid.put(i, 2, t(meaning))
    grid.widths = [22, 12, 14, 12, 14]
    return grid
