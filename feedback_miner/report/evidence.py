"""The sheets that show what customers said: quotes, churn types, competitors, new themes."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import PieChart

from ..result import AnalysisResult
from ..summary import Summary
from .cells import Grid
from .i18n import Labels
from .layout import FIRST_ROW, Layout
from .style import DATE, HEADER, PERCENT, SECTION

__all__ = ["churn_types_sheet", "competitors_sheet", "emerging_sheet", "quotes_sheet"]


def quotes_sheet(grid: Grid, summary: Summary, t: Labels, layout: Layout) -> Grid:
    """Typical and most negative quotes per theme, each linking back to its reason."""
    quotes = summary.quotes
    if quotes.empty:
        grid.put(1, 1, t("没有文档提及分类中的任何主题，因此没有原声摘录。"))
        return grid
    names = summary.themes.set_index("theme_id")["theme_name"]
    kinds = {"typical": t("最典型"), "negative": t("最负面")}
    frame = pd.DataFrame(
        {
            "theme": quotes["theme_id"].map(names),
            "kind": quotes["kind"].map(kinds),
            "sentiment": quotes["sentiment_score"],
            "evidence": quotes["evidence"],
            "text": quotes["text"],
            "source": quotes["source"].map(t.source),
            "created_at": quotes["created_at"],
            "doc_id": quotes["doc_id"],
            "user_id": quotes["user_id"],
        }
    )
    grid.put(
        1,
        1,
        t(
            "每个原因：最典型的原声(措辞最接近该原因的多数负面反馈)和最负面的原声。"
            "点击原因名称回到“流失原因”表中对应的行。"
        ),
    )
    last = grid.table(
        frame,
        start_row=FIRST_ROW - 1,
        headers=[
            t("原因"),
            t("类别"),
            t("情感分"),
            t("命中子句"),
            t("原文"),
            t("来源"),
            t("时间"),
            t("文档ID"),
            t("用户ID"),
        ],
        formats={"sentiment": "0.00", "created_at": DATE},
        header_style=HEADER,
        wrap=("evidence", "text"),
    )
    for row, theme_id in zip(range(FIRST_ROW, last + 1), quotes["theme_id"], strict=True):
        grid.restyle(row, 1, link=layout.link("reasons", layout.reason_rows[theme_id]))
    grid.freeze = "C4"
    grid.autofilter = f"A3:I{last}"
    grid.widths = [16, 9, 8, 30, 60, 10, 17, 28, 10]
    return grid


def churn_types_sheet(grid: Grid, result: AnalysisResult, summary: Summary, t: Labels) -> Grid:
    """Natural / active / passive churn: documents and users per type, with a pie chart."""
    split = summary.churn_types
    grid.widths = [14, 14, 14, 12, 16, 70]
    if int(split["documents"].sum()) == 0:
        grid.put(
            1, 1, t("没有反馈给出流失原因(负面提及，或提及自然/被动流失类主题)，无法划分流失类型。")
        )
        return grid
    grid.put(
        1,
        1,
        t(
            "自然流失：需求消失(搬家、不再需要)；主动流失：因不满而离开；被动流失：非本意(支付失败、账号问题)。"
            "每条反馈按其最负面的流失原因归类。"
        ),
    )
    frame = split.assign(churn_type=split["churn_type"].map(t.churn_type))
    headers = [t("流失类型"), t("文档数"), t("占给出原因的文档"), t("用户数")]
    if result.labels is not None:
        headers.append(t("其中已流失用户"))
    else:
        frame = frame.drop(columns="churned_users")
    last = grid.table(
        frame, start_row=3, headers=headers, formats={"doc_share": PERCENT}, header_style=HEADER
    )
    chart = PieChart()
    chart.title = t("流失类型分布(文档)")
    chart.add_data(grid.ref(2, 3, max_row=last), titles_from_data=True)
    chart.set_categories(grid.ref(1, 4, max_row=last))
    chart.height, chart.width = 7, 11
    grid.charts.append((chart, "H3"))
    row = last + 2
    grid.put(row, 1, t("各主题的流失类型"), SECTION)
    themes = summary.themes[summary.themes["mentions"] > 0]
    grid.table(
        pd.DataFrame(
            {
                "theme": themes["theme_name"],
                "churn_type": themes["churn_type"].map(t.churn_type),
                "mentions": themes["mentions"],
                "negative": themes["negative"],
            }
        ),
        start_row=row + 1,
        headers=[t("原因"), t("流失类型"), t("提及文档数"), t("负面提及数")],
        header_style=HEADER,
    )
    return grid


def competitors_sheet(grid: Grid, result: AnalysisResult, summary: Summary, t: Labels) -> Grid:
    """Where users say they went, most mentioned first."""
    table = summary.competitors
    grid.widths = [16, 12, 10, 14, 70]
    if table.empty:
        grid.put(1, 1, t("没有反馈提到转向了哪个竞品(如“换成了X”“改用X”“X更便宜”)。"))
        return grid
    grid.put(1, 1, t("反馈中提到的转投去向(切换说法前后的品牌名)，按提及次数排序。"))
    headers = [t("竞品"), t("提及文档数"), t("用户数"), t("其中已流失用户"), t("例句")]
    frame = table
    if result.labels is None:
        frame = table.drop(columns="churned_users")
        headers.remove(t("其中已流失用户"))
    grid.table(frame, start_row=3, headers=headers, header_style=HEADER, wrap=("example",))
    return grid


def emerging_sheet(grid: Grid, summary: Summary, t: Labels) -> Grid:
    """Topics discovery found in the complaints no theme covers, each with its name, size,
    share of negative texts, coherence, keywords and three quotes; how the number of
    topics was chosen, what coherence means, and how to adopt a topic."""
    emerging = summary.emerging
    grid.widths = [6, 16, 8, 9, 16, 40, 50, 50, 50]
    discovery = emerging.discovery
    if discovery is None:
        if emerging.reason == "no_topics":
            said = t(
                "在 {n} 条未被任何主题覆盖的抱怨中，没有一个话题为足够多的反馈共有"
                "(至少 3 条且占 1%)，没有可提议的新主题。",
                n=emerging.uncovered,
            )
        else:
            said = t(
                "未被任何主题覆盖的负面反馈只有 {n} 条(至少需要 20 条)，没有可提议的新主题。",
                n=emerging.uncovered,
            )
        grid.put(1, 1, said)
        return grid
    # the notes stay on one line each and run across the empty cells beside them
    grid.put(
        1,
        1,
        t(
            "在 {n} 条未被任何主题覆盖的抱怨(负面反馈，以及其他反馈中的负面子句)中(读取了 {used} 条)"
            "自动发现的原因话题；情绪词、虚词、品牌名、@账号和模板文字不参与。",
            n=emerging.uncovered,
            used=emerging.used,
        ),
    )
    if discovery.stability_by_k:
        candidates = sorted(discovery.stability_by_k)
        why = t(
            "话题数 {k}：在 {low}-{high} 个之间，用随机抽取的 80% 文本重新拟合 5 次，"
            "分成 {fitted} 个话题时文本的归属最稳定(稳定性 {stability})。",
            k=discovery.k,
            low=candidates[0],
            high=candidates[-1],
            fitted=discovery.fitted_k,
            stability=f"{discovery.stability_by_k[discovery.fitted_k]:.2f}",
        )
        if discovery.fitted_k != discovery.k:
            why += t("重叠或过小的 {m} 个话题已合并或略去。", m=discovery.fitted_k - discovery.k)
        grid.put(2, 1, why)
    grid.put(
        3,
        1,
        t(
            "一致性：好 = 关键词常在同一条反馈中一起出现(NPMI 不低于 0.1)；"
            "弱 = 关键词很少一起出现，采用前请先读例句。"
        ),
    )
    grid.put(
        4,
        1,
        t(
            "如何采用：运行 feedback-miner themes discover 输入文件 -o proposed.toml，"
            "把话题对应的 [[themes]] 段粘贴进分类文件(taxonomy)，改名、保留合适的关键词，"
            "再用 analyze --taxonomy 分类文件.toml 重新分析。"
        ),
    )
    rows = [
        {
            "topic": topic.index + 1,
            "name": topic.name,
            "size": topic.size,
            "negative": topic.share_negative,
            "coherence": t(
                "好 (NPMI {score})" if topic.coherence_label == "good" else "弱 (NPMI {score})",
                score=f"{topic.coherence:.2f}",
            ),
            "keywords": "、".join(topic.keywords),
            **{f"quote{i}": f"「{q}」" for i, q in enumerate(topic.quotes, start=1)},
        }
        for topic in discovery.topics
    ]
    columns = ["topic", "name", "size", "negative", "coherence", "keywords"]
    grid.table(
        pd.DataFrame(rows, columns=[*columns, "quote1", "quote2", "quote3"]),
        start_row=6,
        headers=[
            t("话题"),
            t("名称"),
            t("文档数"),
            t("负面占比"),
            t("一致性"),
            t("关键词"),
            t("例句 1"),
            t("例句 2"),
            t("例句 3"),
        ],
        formats={"negative": PERCENT},
        header_style=HEADER,
    )
    return grid
