"""The early-warning workbook of ``feedback-miner risk``: the list, the backtest, the actions.

It formats a :class:`~feedback_miner.activity.RiskResult`; it computes no statistics.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart
from openpyxl.formatting.rule import DataBarRule

from ..activity import RiskResult
from ..themes import Taxonomy
from .cells import Grid, number
from .files import replacing
from .i18n import Labels, ReportLanguage
from .style import HEADER, PERCENT, SECTION, TITLE, WRAP

__all__ = ["MODEL_NAMES", "write_risk_report"]

logger = logging.getLogger(__name__)

MODEL_NAMES = {
    "logistic regression": "逻辑回归",
    "random forest": "随机森林",
    "gradient boosting": "梯度提升树",
}
_LIST_HEADERS = (
    "排名",
    "用户",
    "流失风险",
    "最近的负面原因",
    "原声",
    "建议动作",
    "RFM 分群",
    "最近活跃",
)


def write_risk_report(
    risk: RiskResult, taxonomy: Taxonomy, path: str | Path, *, lang: ReportLanguage = "zh"
) -> Path:
    """Write the risk list, its backtest and the actions per reason to ``path`` (.xlsx).

    Parameters
    ----------
    risk : RiskResult
        What :func:`~feedback_miner.activity.risk_list` returned.
    taxonomy : Taxonomy
        The themes, for their names.
    path : path
        The workbook to write.
    lang : {"zh", "en"}
        Language of sheet names, headers and explanations.
    """
    t = Labels(lang)
    out = Path(path)
    book = Workbook(write_only=True)
    _list_sheet(Grid(t("风险名单")), risk, taxonomy, t).write(book)
    _actions_sheet(Grid(t("行动建议")), risk, t).write(book)
    _backtest_sheet(Grid(t("回测")), risk, t).write(book)
    with replacing(out, "the risk report") as temporary:
        book.save(temporary)
    logger.info("risk report written to %s", out)
    return out


def _list_sheet(grid: Grid, risk: RiskResult, taxonomy: Taxonomy, t: Labels) -> Grid:
    backtest = risk.backtest
    names = {theme.id: theme.name for theme in taxonomy.themes}
    grid.put(
        1,
        1,
        t(
            "{as_of} 仍活跃的 {n} 位用户，按未来 {h} 天内流失(连续 {days} 天无活动)的风险排序。"
            "原因取其最近 {reason_days} 天的负面反馈；模型：{model}，{features}(见“回测”)。",
            as_of=backtest.as_of.date(),
            n=len(risk.table),
            h=risk.horizon_days,
            days=risk.inactive_days,
            reason_days=risk.reason_days,
            model=t(MODEL_NAMES[backtest.chosen]),
            features=t("含文本") if backtest.uses_text else t("仅活动数据(回测中文本没有让它更准)"),
        ),
    )
    table = risk.table
    frame = pd.DataFrame(
        {
            "rank": table["rank"],
            "user_id": table["user_id"],
            "risk": table["risk"],
            "reasons": table["top_reasons"].map(
                lambda ids: "；".join(names.get(i, i) for i in ids.split(";") if i)
            ),
            "quote": table["reason_quote"],
            "action": table["suggested_action"],
            "rfm_segment": table["rfm_segment"],
            "last_active": table["last_active"],
        }
    )
    last = grid.table(
        frame,
        start_row=3,
        headers=[t(h) for h in _LIST_HEADERS],
        formats={"risk": PERCENT, "last_active": "yyyy-mm-dd"},
        header_style=HEADER,
        wrap=("reasons", "quote", "action"),
    )
    grid.widths = [7, 14, 10, 26, 50, 34, 16, 12]
    grid.freeze = "C4"
    grid.autofilter = f"A3:H{max(last, 3)}"
    if last > 3:
        grid.rules.append(
            (
                f"C4:C{last}",
                DataBarRule(
                    start_type="num", start_value=0, end_type="num", end_value=1, color="F4B183"
                ),
            )
        )
    return grid


def _actions_sheet(grid: Grid, risk: RiskResult, t: Labels) -> Grid:
    grid.put(
        1,
        1,
        t(
            "每个原因：风险最高的一成活跃用户中有多少人的最近负面反馈提到它，整个名单中有多少人，"
            "截至 {as_of} 已流失的用户中有多少人流失前负面提到过它；动作与负责人来自分类(taxonomy)。",
            as_of=risk.backtest.as_of.date(),
        ),
    )
    actions = risk.actions
    if actions.empty:
        grid.put(3, 1, t("名单中的用户和已流失用户都没有负面反馈提到任何原因。"))
        return grid
    frame = pd.DataFrame(
        {
            "theme": actions["theme_name"],
            "at_risk": actions["at_risk_users"],
            "listed": actions["listed_users"],
            "churned": actions["churned_users"],
            "actions": actions["actions"].map(lambda a: "\n".join(a.split(";")) if a else ""),
            "owner": actions["owner"],
            "quote": actions["quote"],
        }
    )
    grid.table(
        frame,
        start_row=3,
        headers=[
            t("原因"),
            t("高风险用户(前10%)"),
            t("名单中的用户"),
            t("已流失用户"),
            t("建议动作"),
            t("负责人"),
            t("高风险用户原声"),
        ],
        header_style=HEADER,
        wrap=("actions", "quote"),
    )
    grid.widths = [18, 12, 12, 12, 44, 14, 50]
    grid.freeze = "B4"
    return grid


def _backtest_sheet(grid: Grid, risk: RiskResult, t: Labels) -> Grid:
    backtest = risk.backtest
    grid.widths = [30, 16, 16, 16]
    grid.put(1, 1, t("回测：模型能否提前认出流失用户"), TITLE)
    grid.put(
        2,
        1,
        t(
            "在 {cutoff}(今天往前 {h} 天)仍活跃的 {n} 位用户，按当时已知的活动与反馈描述；"
            "其中 {churned} 位到 {as_of} 已流失。下面是 5 折交叉验证(同样的折)的 ROC AUC，"
            "0.5 等于随机排序，1 为完美。",
            cutoff=backtest.cutoff.date(),
            h=risk.horizon_days,
            n=backtest.n_users,
            churned=backtest.n_churned,
            as_of=backtest.as_of.date(),
        ),
        WRAP,
    )
    row = 4
    for j, name in enumerate((t("模型"), t("AUC：不含文本"), t("AUC：含文本")), start=1):
        grid.put(row, j, name, HEADER)
    for model, (without, with_text) in backtest.auc.items():
        row += 1
        label = t(MODEL_NAMES[model])
        grid.put(row, 1, t("{model}(选用)", model=label) if model == backtest.chosen else label)
        grid.put(row, 2, without, number("0.000"))
        grid.put(row, 3, with_text, number("0.000"))
    gain, low, high = backtest.text_gain
    row += 2
    grid.put(row, 1, t("文本带来的 AUC 提升(95%置信区间)"), SECTION)
    grid.put(row, 2, f"{gain:+.3f} ({low:+.3f} ~ {high:+.3f})")
    row += 1
    if low > 0:
        verdict = t("区间不含 0：反馈文本让名单排得更准。")
    elif high < 0:
        verdict = t(
            "区间在 0 以下：加入文本特征反而让名单排得更差(样本少时多出的特征带来噪声)，"
            "名单只用活动数据；原因与原声仍取自反馈。"
        )
    else:
        verdict = t("区间包含 0：没有证据表明文本让名单排得更准，名单主要靠活动数据。")
    grid.put(row, 1, verdict)
    row += 2
    grid.put(row, 1, t("按风险分十组：每组的实际流失率"), SECTION)
    top = row + 1
    lift = backtest.lift
    frame = pd.DataFrame(
        {
            "decile": lift["decile"].map(lambda d: t("第 {d} 组", d=d)),
            "users": lift["users"],
            "churn_rate": lift["churn_rate"],
            "lift": lift["lift"],
        }
    )
    last = grid.table(
        frame,
        start_row=top,
        headers=[t("风险组(1 最高)"), t("用户数"), t("实际流失率"), t("提升度")],
        formats={"churn_rate": PERCENT, "lift": "0.00"},
        header_style=HEADER,
    )
    if last > top:
        chart = BarChart()
        chart.type = "col"
        chart.title = t("提升图：各风险组的实际流失率")
        chart.legend = None
        chart.add_data(grid.ref(3, top, max_row=last), titles_from_data=True)
        chart.set_categories(grid.ref(1, top + 1, max_row=last))
        chart.y_axis.numFmt = "0%"
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.height, chart.width = 8, 16
        grid.charts.append((chart, f"F{top}"))
    return grid
