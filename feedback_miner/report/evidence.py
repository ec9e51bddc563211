"""The sheets that show what lies behind the figures: quotes, competitors, documents, data quality."""

from __future__ import annotations

import logging

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from ..pipeline import DOC_COLUMNS, AnalysisResult
from .cells import put, set_widths, write_table
from .style import BOLD, WRAP, header_style

__all__ = [
    "EXCEL_MAX_ROWS",
    "QUOTES_PER_THEME",
    "competitors_sheet",
    "documents_sheet",
    "quality_sheet",
    "quotes_sheet",
]

logger = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576
QUOTES_PER_THEME = 5
_REJECT_REASONS = {
    "empty_row": "空行",
    "empty_text": "空文本",
    "non_answer": "无效回答",
    "repost_only": "纯转发",
    "agent_turn": "客服发言",
    "stock_phrase": "寒暄套话",
    "no_customer_text": "无客户发言",
    "duplicate": "重复",
}


def quotes_sheet(sheet: Worksheet, result: AnalysisResult) -> None:
    mentions = result.mentions
    if mentions.empty:
        put(sheet, 1, 1, "没有文档提及分类中的任何主题，因此没有原声摘录。")
        return
    docs = result.docs.set_index("doc_id")
    names = {t.id: t.name for t in result.taxonomy.themes}
    order = (
        list(result.attribution.table["theme_id"])
        if result.attribution is not None
        else list(result.taxonomy.ids)
    )
    rows = []
    for theme_id in order:
        own = (
            mentions[mentions["theme_id"] == theme_id]
            .sort_values(["sentiment_score", "doc_id"], kind="mergesort")
            .drop_duplicates("evidence")  # reposts and copy-paste would crowd out other voices
        )
        for _, mention in own.head(QUOTES_PER_THEME).iterrows():
            doc = docs.loc[mention["doc_id"]]
            rows.append(
                {
                    "theme": names[theme_id],
                    "sentiment": mention["sentiment_score"],
                    "evidence": mention["evidence"],
                    "text": doc["text"],
                    "source": doc["source"],
                    "created_at": doc["created_at"],
                    "doc_id": mention["doc_id"],
                    "user_id": mention["user_id"],
                }
            )
    put(sheet, 1, 1, f"每个原因最负面的 {QUOTES_PER_THEME} 条不同原声(按情感分从低到高)。")
    frame = pd.DataFrame(rows)
    last = write_table(
        sheet,
        frame,
        start_row=3,
        headers=["原因", "情感分", "命中子句", "原文", "来源", "时间", "文档ID", "用户ID"],
        formats={"sentiment": "0.00", "created_at": "yyyy-mm-dd hh:mm"},
    )
    header_style(sheet, 3, 8)
    for r in range(4, last + 1):
        sheet.cell(row=r, column=4).alignment = WRAP
    sheet.freeze_panes = "B4"
    set_widths(sheet, [16, 8, 30, 60, 9, 17, 20, 10])


def competitors_sheet(sheet: Worksheet, result: AnalysisResult) -> None:
    docs = result.docs
    named = (
        docs[docs["competitors"].fillna("") != ""]
        if "competitors" in docs.columns
        else docs.iloc[:0]
    )
    if named.empty:
        put(sheet, 1, 1, "没有反馈提到转向了哪个竞品(如“换成了X”“改用X”“X更便宜”)。")
        return
    pairs = named.assign(competitor=named["competitors"].str.split(";")).explode("competitor")
    churned: set[str] = set()
    if result.labels is not None:
        frame = result.labels.frame
        churned = set(frame.loc[frame["churned"] == 1, "user_id"].astype(str))
    rows = []
    for name, group in pairs.groupby("competitor", sort=False):
        users = set(group["user_id"].dropna().astype(str))
        rows.append(
            {
                "competitor": name,
                "texts": len(group),
                "users": len(users),
                "churned_users": len(users & churned) if result.labels is not None else None,
                "example": group["text"].iloc[0],
            }
        )
    table = pd.DataFrame(rows).sort_values(["texts", "competitor"], ascending=[False, True])
    put(sheet, 1, 1, "反馈中提到的转投去向(切换说法前后的品牌名)，按提及次数排序。")
    last = write_table(
        sheet,
        table,
        start_row=3,
        headers=["竞品", "提及文档数", "用户数", "其中已流失用户", "例句"],
    )
    header_style(sheet, 3, 5)
    for r in range(4, last + 1):
        sheet.cell(row=r, column=5).alignment = WRAP
    set_widths(sheet, [16, 12, 10, 14, 70])


def documents_sheet(sheet: Worksheet, result: AnalysisResult) -> None:
    columns = [*DOC_COLUMNS, "churn_type", "competitors", "channel", "rating"]
    docs = result.docs[[c for c in columns if c in result.docs.columns]]
    limit = EXCEL_MAX_ROWS - 1
    shown = docs.iloc[:limit]
    last = write_table(
        sheet,
        shown,
        formats={"sentiment_score": "0.00", "created_at": "yyyy-mm-dd hh:mm"},
    )
    header_style(sheet, 1, len(shown.columns))
    sheet.auto_filter.ref = (
        f"A1:{sheet.cell(row=max(last, 1), column=len(shown.columns)).coordinate}"
    )
    sheet.freeze_panes = "A2"
    if len(docs) > limit:
        logger.warning("documents sheet holds the first %d of %d documents", limit, len(docs))
    set_widths(sheet, [20, 10, 8, 17, 60, 10, 10, 22, 10, 14, 10, 8])


def quality_sheet(sheet: Worksheet, result: AnalysisResult) -> None:
    put(
        sheet,
        1,
        1,
        "每个输入文件读取了多少行、计入文档多少、剔除多少及原因。读取行数 = 计入文档的行 + 剔除。"
        "(聊天记录中同一会话的多条客户消息合并为一个文档。)",
    )
    reasons = sorted({r for f in result.files for r in f.rejected})
    headers = [
        "文件",
        "格式",
        "平台",
        "编码",
        "来源类型",
        "渠道",
        "读取行数",
        "计入文档的行",
        "文档数",
        "剔除",
        *[_REJECT_REASONS.get(r, r) for r in reasons],
        "列映射",
    ]
    for j, name in enumerate(headers, start=1):
        put(sheet, 3, j, name)
    header_style(sheet, 3, len(headers))
    row = 3
    for summary in result.files:
        row += 1
        values = [
            summary.file,
            summary.file_format,
            summary.platform,
            summary.encoding or "",
            summary.source,
            summary.channel or "",
            summary.rows_read,
            summary.rows_in_records,
            summary.records,
            sum(summary.rejected.values()),
            *[summary.rejected.get(r, 0) for r in reasons],
            summary.describe_roles(),
        ]
        for j, value in enumerate(values, start=1):
            put(sheet, row, j, value)
    exposure = result.exposure
    if exposure is not None and result.labels is not None:
        row += 2
        put(sheet, row, 1, "流失标签匹配")
        sheet.cell(row=row, column=1).font = BOLD
        facts = [
            ("标签文件", result.labels.file),
            ("标签文件用户数", exposure.users_in_labels),
            (
                "反馈中的用户 / 其中在标签文件中",
                f"{exposure.feedback_users} / {exposure.matched_users}",
            ),
            (
                "用户ID列 / 流失列 / 流失日期列",
                f"{result.labels.id_col} / {result.labels.churn_col} / {result.labels.date_col or '(无)'}",
            ),
            ("协变量", ", ".join(result.labels.covariates) or "(无)"),
            (
                "未用作协变量的列",
                "; ".join(f"{k}: {v}" for k, v in result.labels.skipped.items()) or "(无)",
            ),
            ("计入归因的文档(流失前写的)", exposure.docs_used),
            ("流失之后写的文档(不计入)", exposure.docs_after_churn),
            ("无法匹配到标签用户的文档", exposure.docs_unlabelled),
            ("早于时间窗口的文档(不计入)", exposure.docs_outside_window),
        ]
        for name, value in facts:
            row += 1
            put(sheet, row, 1, name)
            put(sheet, row, 2, value)
    if len(result.rejects):
        row += 2
        put(sheet, row, 1, "被剔除的行(前 1000 行)")
        sheet.cell(row=row, column=1).font = BOLD
        rejects = result.rejects.head(1000).assign(
            reason=lambda f: f["reason"].map(lambda r: _REJECT_REASONS.get(r, r))
        )
        last = write_table(
            sheet,
            rejects,
            start_row=row + 1,
            headers=["文件", "行号", "文档ID", "用户ID", "原因", "原文"],
        )
        header_style(sheet, row + 1, 6)
        row = last
    set_widths(sheet, [34, 30, 10, 10, 10, 10, 8, 8, 10, 10, 60])
