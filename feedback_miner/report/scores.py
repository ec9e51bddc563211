"""The score-driver sheet (what drags the score down) and the change sheet (two periods)."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart

from ..result import AnalysisResult
from .cells import Grid, number
from .i18n import Labels
from .style import HEADER, PERCENT, SECTION, WRAP

__all__ = ["METRIC_NAMES", "changes_sheet", "score_drivers_sheet"]

METRIC_NAMES = {"nps": "NPS(净推荐值)", "mean": "平均分", "top2box": "满意占比(前两档)"}
_DRIVER_CERTAINTY = {
    "sure": "有把握：区间不含 0",
    "uncertain": "不确定：区间包含 0",
    "too_few": "文档太少，未计算",
}
_FLAGS = {
    "rising": "上升",
    "falling": "下降",
    "steady": "平稳",
    "new": "新出现",
    "gone": "消失",
}


def score_drivers_sheet(grid: Grid, result: AnalysisResult, t: Labels) -> Grid:
    """Per theme: the score with and without its documents, the impact and its interval."""
    drivers = result.drivers
    if drivers is None:
        grid.put(
            1,
            1,
            t("输入中没有评分列(NPS、满意度、星级)，无法计算评分驱动；可用 --score-col 指定。"),
        )
        return grid
    metric = drivers.metric
    grid.put(
        1,
        1,
        t(
            "评分：“{column}”的{metric}，{n} 条有评分的文档，总体 {overall:.1f}。"
            "影响 = 总体评分 − 去掉提及该主题的文档后的评分，负值表示该主题拉低了评分；"
            "区间包含 0 的为“不确定”，不据此下结论。",
            column=drivers.column,
            metric=t(METRIC_NAMES[metric.name]),
            n=drivers.n_docs,
            overall=drivers.overall,
        ),
    )
    table = drivers.table[drivers.table["n_docs"] > 0]
    frame = pd.DataFrame(
        {
            "theme": table["theme_name"],
            "n_docs": table["n_docs"],
            "score_with": table["score_with"],
            "score_without": table["score_without"],
            "impact": table["impact"],
            "ci_low": table["ci_low"],
            "ci_high": table["ci_high"],
            "coef": table["coef"],
            "coef_ci_low": table["coef_ci_low"],
            "coef_ci_high": table["coef_ci_high"],
            "q_value": table["q_value"],
            "certainty": table["certainty"].map(lambda c: t(_DRIVER_CERTAINTY[c])),
        }
    )
    headers = [
        t("原因"),
        t("提及文档数"),
        t("提及文档的评分"),
        t("其余文档的评分"),
        t("对评分的影响"),
        t("影响区间下限"),
        t("影响区间上限"),
        t("关键驱动系数"),
        t("系数区间下限"),
        t("系数区间上限"),
        t("q值(BH)"),
        t("把握程度"),
    ]
    if result.attribution is not None:
        churn = result.attribution.table.set_index("theme_id")["impact"]
        frame["churn_impact"] = table["theme_id"].map(churn).to_numpy()
        headers.append(t("归因流失占比"))
    formats = {c: "0.0" for c in frame.columns if c not in ("theme", "n_docs", "certainty")}
    formats.update(q_value="0.0000", churn_impact=PERCENT)
    last = grid.table(frame, start_row=3, headers=headers, formats=formats, header_style=HEADER)
    grid.widths = [18, 10, 12, 12, 12, 11, 11, 12, 11, 11, 9, 18, 12]
    grid.freeze = "B4"
    charted = 3 + int(table["impact"].notna().sum())
    if charted > 3:
        chart = BarChart()
        chart.type = "bar"
        chart.title = t("各原因对评分的影响")
        chart.legend = None
        chart.add_data(grid.ref(5, 3, max_row=charted), titles_from_data=True)
        chart.set_categories(grid.ref(1, 4, max_row=charted))
        chart.x_axis.scaling.orientation = "maxMin"
        chart.x_axis.tickLblPos = "low"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height, chart.width = max(7.5, 0.7 * (charted - 3)), 16
        grid.charts.append((chart, f"A{last + 3}"))
    return grid


def changes_sheet(grid: Grid, result: AnalysisResult, t: Labels) -> Grid:
    """The alerts first (themes rising or new), then every theme's share in both periods."""
    changes = result.changes
    if changes is None:
        grid.put(
            1,
            1,
            t(
                "文档的日期不足以比较两个时期(需要两个各有至少 30 条文档的月份)。"
                "可用 --period 选更长的周期，或 --split-date、--baseline 指定比较方式。"
            ),
        )
        return grid
    grid.put(
        1,
        1,
        t(
            "比较“{before}”({n0} 条文档)与“{after}”({n1} 条文档)：各主题文档占比的变化，"
            "双比例检验，q 值经 Benjamini-Hochberg 校正；q<0.05 且至少 5 条文档才标为上升、下降、新出现或消失。",
            before=changes.before,
            after=changes.after,
            n0=changes.docs_before,
            n1=changes.docs_after,
        ),
    )
    alerts = changes.alerts()
    row = 3
    grid.put(row, 1, t("预警"), SECTION)
    if alerts.empty:
        grid.put(row + 1, 1, t("没有显著上升或新出现的主题。"))
        row += 3
    else:
        headers = (t("原因"), t("标记"), t("前期占比"), t("后期占比"), t("q值(BH)"), t("后期原声"))
        for j, name in enumerate(headers, start=1):
            grid.put(row + 1, j, name, HEADER)
        for i, alert in enumerate(alerts.to_dict("records"), start=row + 2):
            grid.put(i, 1, alert["theme_name"])
            grid.put(i, 2, t(_FLAGS[str(alert["flag"])]))
            grid.put(i, 3, alert["share_before"], number(PERCENT))
            grid.put(i, 4, alert["share_after"], number(PERCENT))
            grid.put(i, 5, alert["q_value"], number("0.0000"))
            grid.put(i, 6, changes.quotes.get(str(alert["theme_id"]), ""), WRAP)
        row += 3 + len(alerts)
    grid.put(row, 1, t("全部主题"), SECTION)
    table = changes.table[(changes.table["n_before"] > 0) | (changes.table["n_after"] > 0)]
    frame = pd.DataFrame(
        {
            "theme": table["theme_name"],
            "n_before": table["n_before"],
            "n_after": table["n_after"],
            "share_before": table["share_before"],
            "share_after": table["share_after"],
            "change": table["change"],
            "q_value": table["q_value"],
            "flag": table["flag"].map(lambda f: t(_FLAGS[f])),
            "sentiment_change": table["sentiment_change"],
        }
    )
    headers_all = [
        t("原因"),
        t("前期文档数"),
        t("后期文档数"),
        t("前期占比"),
        t("后期占比"),
        t("占比变化"),
        t("q值(BH)"),
        t("标记"),
        t("情感变化"),
    ]
    if "score_volume_effect" in table.columns:
        frame["volume"] = table["score_volume_effect"]
        frame["effect"] = table["score_effect_change"]
        headers_all += [t("评分变化：数量效应"), t("评分变化：效应变化")]
    formats = {
        "share_before": PERCENT,
        "share_after": PERCENT,
        "change": PERCENT,
        "q_value": "0.0000",
        "sentiment_change": "0.00",
        "volume": "0.0",
        "effect": "0.0",
    }
    grid.table(frame, start_row=row + 1, headers=headers_all, formats=formats, header_style=HEADER)
    grid.widths = [18, 10, 10, 10, 10, 40, 9, 9, 10, 14, 14]
    return grid
