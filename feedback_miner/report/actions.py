"""The action sheet (行动建议): what to do about each reason, who does it, and how many it touches.

Reasons whose churn link is sure (the interval of the odds ratio excludes 1)
come first, with the taxonomy's actions and owner, the churned users who
complained about the reason before leaving, and a quote. Reasons the data
cannot separate from chance follow under their own heading, without colour:
they are not a priority until more data says so.
"""

from __future__ import annotations

import pandas as pd

from ..result import AnalysisResult
from ..summary import Summary
from ..themes import Theme
from .cells import Grid
from .drivers import CERTAINTY_WORDS
from .i18n import Labels
from .layout import Layout
from .style import HEADER, PERCENT, SECTION

__all__ = ["actions_sheet"]

_SURE = ("strong", "moderate", "weak")
_TOP = 10


def actions_sheet(
    grid: Grid, result: AnalysisResult, summary: Summary, t: Labels, layout: Layout
) -> Grid:
    """The top reasons by impact with their actions, owner, churned users and a quote."""
    themes = {theme.id: theme for theme in result.taxonomy.themes}
    quotes = _first_quotes(summary)
    grid.widths = [18, 12, 12, 12, 22, 44, 14, 50]
    grid.freeze = "B4"
    headers = [
        t("原因"),
        t("归因流失占比"),
        t("流失用户中提到的人数"),
        t("负面提及用户数"),
        t("把握程度"),
        t("建议动作"),
        t("负责人"),
        t("原声"),
    ]
    attribution = result.attribution
    if attribution is None:
        grid.put(
            1,
            1,
            t(
                "未提供流失标签文件(--labels)：按负面提及数列出各原因的建议动作；"
                "有标签时按归因流失占比排序，并给出流失用户中提到的人数。"
            ),
        )
        table = summary.themes[summary.themes["negative"] > 0].head(_TOP)
        frame = pd.DataFrame(
            {
                "theme": table["theme_name"],
                "impact": None,
                "churned": None,
                "users": table["negative"],
                "certainty": "",
                "actions": table["theme_id"].map(lambda i: _actions(themes, i)),
                "owner": table["theme_id"].map(lambda i: themes[i].owner if i in themes else ""),
                "quote": table["theme_id"].map(quotes).fillna(""),
            }
        )
        headers[3] = t("负面提及数")
        grid.table(
            frame, start_row=3, headers=headers, header_style=HEADER, wrap=("actions", "quote")
        )
        return grid
    grid.put(
        1,
        1,
        t(
            "按归因流失占比排序。上面是与流失的关联有把握的原因(比值比区间不含 1)，"
            "下面是证据不足、可能是偶然的原因：先观察，不建议据此投入。"
            "“流失用户中提到的人数”= 流失前负面提到该原因的流失用户。"
        ),
    )
    table = attribution.table.dropna(subset=["impact"])
    sure = table[table["certainty"].isin(_SURE) & (table["odds_ratio"] > 1)].head(_TOP)
    unsure = table[~table.index.isin(sure.index) & (table["impact"] > 0)].head(_TOP)
    row = 3
    for title, part in (
        (t("有把握的流失原因：建议行动"), sure),
        (t("证据不足的原因：先观察"), unsure),
    ):
        grid.put(row, 1, title, SECTION)
        row += 1
        if part.empty:
            grid.put(row, 1, t("无"))
            row += 2
            continue
        frame = pd.DataFrame(
            {
                "theme": part["theme_name"],
                "impact": part["impact"],
                "churned": (part["n_users"] * part["churn_rate_with"]).round().astype(int),
                "users": part["n_users"],
                "certainty": part["certainty"].map(lambda c: t(CERTAINTY_WORDS[c])),
                "actions": part["theme_id"].map(lambda i: _actions(themes, i)),
                "owner": part["theme_id"].map(lambda i: themes[i].owner if i in themes else ""),
                "quote": part["theme_id"].map(quotes).fillna(""),
            }
        )
        last = grid.table(
            frame,
            start_row=row,
            headers=headers,
            formats={"impact": PERCENT},
            header_style=HEADER,
            wrap=("actions", "quote", "certainty"),
        )
        for i, theme_id in enumerate(part["theme_id"], start=row + 1):
            if theme_id in layout.reason_rows:  # the name opens the reason's row
                grid.restyle(i, 1, link=layout.link("reasons", layout.reason_rows[theme_id]))
        row = last + 2
    grid.put(
        row,
        1,
        t(
            "高风险用户：用 feedback-miner risk 生成预警名单，其报告的“行动建议”给出每个原因在风险最高的"
            "一成活跃用户中的人数。动作与负责人来自分类(taxonomy)的 actions 与 owner，可在自己的分类文件中改写。"
        ),
    )
    grid.put(row + 1, 1, t("注：归因流失占比为 0 或以下的原因未列出。"))
    return grid


def _actions(themes: dict[str, Theme], theme_id: str) -> str:
    theme = themes.get(theme_id)
    return "\n".join(theme.actions) if theme is not None else ""


def _first_quotes(summary: Summary) -> pd.Series:
    """Per theme: its most telling quote (a negative one before a typical one)."""
    quotes = summary.quotes
    if quotes.empty:
        return pd.Series(dtype=object)
    ordered = quotes.assign(first=quotes["kind"] != "negative").sort_values(
        ["first", "sentiment_score"], kind="mergesort"
    )
    return ordered.drop_duplicates("theme_id").set_index("theme_id")["text"]
