"""The documents sheet (streamed; what does not fit goes to a CSV) and the data-quality sheet."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..result import AnalysisResult
from ..schema import DOC_COLUMNS
from .cells import CellStyle, Grid, make_cell, prepare_sheet
from .files import replacing
from .i18n import Labels
from .settings import file_name
from .style import DATE, HEADER, SECTION, WRAP
from .tables import excel_safe

__all__ = ["DOCUMENT_SHEET_COLUMNS", "EXCEL_MAX_ROWS", "documents_sheet", "quality_sheet"]

logger = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576
DOCUMENT_SHEET_COLUMNS = (*DOC_COLUMNS, "churn_type", "competitors", "channel", "rating")
_HEADERS = {
    "doc_id": "文档ID",
    "user_id": "用户ID",
    "source": "来源",
    "created_at": "时间",
    "text": "原文",
    "sentiment_score": "情感分",
    "sentiment_label": "情感",
    "themes": "主题",
    "churn_type": "流失类型",
    "competitors": "竞品",
    "channel": "渠道",
    "rating": "评分",
}
_WIDTHS = {"text": 60, "created_at": 17, "themes": 22, "competitors": 14, "channel": 12}
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
# the note and the header take two of the sheet's rows
_TOP_ROWS = 2
_BLOCK_ROWS = 10_000
_DATED = CellStyle(number_format=DATE)


def overflow_path(report: Path) -> Path:
    """Where the documents beyond the sheet's row limit go: ``<report>.documents.csv``."""
    return report.with_name(report.stem + ".documents.csv")


def _column_width(docs: pd.DataFrame, column: str) -> float:
    """A fixed width for text, dates and themes; ids as wide as the longest of the first rows."""
    if column in ("doc_id", "user_id") and len(docs):
        longest = docs[column].head(_BLOCK_ROWS).dropna().astype(str).str.len().max()
        return float(min(max(int(longest) if pd.notna(longest) else 0, 8) + 2, 40))
    return _WIDTHS.get(column, 10)


def documents_sheet(
    book: Workbook,
    title: str,
    result: AnalysisResult,
    t: Labels,
    report: Path,
    max_rows: int,
    *,
    raw_csv: bool = False,
) -> Path | None:
    """Stream the documents into a sheet; return the overflow CSV when they do not fit."""
    docs = result.docs[[c for c in DOCUMENT_SHEET_COLUMNS if c in result.docs.columns]]
    limit = max(max_rows - _TOP_ROWS, 0)
    shown, rest = docs.iloc[:limit], docs.iloc[limit:]
    sheet = book.create_sheet(title)
    prepare_sheet(sheet, [_column_width(shown, c) for c in docs.columns], "A3")
    sheet.print_title_rows = "2:2"
    overflow: Path | None = None
    if len(rest):
        overflow = overflow_path(report)
        # a BOM so that Excel opens it with a double click: it is made to be opened there
        with replacing(overflow, "the documents CSV") as temporary:
            (rest if raw_csv else excel_safe(rest)).to_csv(
                temporary, index=False, encoding="utf-8-sig"
            )
        logger.warning(
            "the documents sheet holds %d of %d documents; the other %d are in %s",
            len(shown),
            len(docs),
            len(rest),
            overflow,
        )
        note = t(
            "共 {n} 条文档：本表列出前 {shown} 条，其余 {rest} 条在同一文件夹的 {file} 中。",
            n=len(docs),
            shown=len(shown),
            rest=len(rest),
            file=overflow.name,
        )
    else:
        note = t(
            "共 {n} 条文档，全部在本表中；可用表头的筛选按钮按主题、情感或来源筛选。", n=len(docs)
        )
    sheet.append([make_cell(sheet, note)])
    sheet.append([make_cell(sheet, t(_HEADERS[c]), HEADER) for c in docs.columns])
    for row in _document_rows(sheet, shown, result, t):
        sheet.append(row)
    last = max(len(shown), 1) + _TOP_ROWS
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(docs.columns))}{last}"
    return overflow


def _document_rows(
    sheet: Worksheet, docs: pd.DataFrame, result: AnalysisResult, t: Labels
) -> Iterator[list[object]]:
    """Rows of cell values, converted column-wise one block at a time.

    Converting whole columns is fast; doing it per block keeps memory flat
    however many documents there are.
    """
    names = {theme.id: theme.name for theme in result.taxonomy.themes}
    for start in range(0, len(docs), _BLOCK_ROWS):
        block = docs.iloc[start : start + _BLOCK_ROWS]
        columns: list[list[object]] = []
        for column in block.columns:
            values = block[column]
            if column == "themes":
                values = values.fillna("").map(
                    lambda v: "；".join(names.get(i, i) for i in v.split(";")) if v else ""
                )
            elif column == "sentiment_label":
                values = values.map(t.sentiment)
            elif column == "churn_type":
                values = values.map(t.churn_type)
            elif column == "source":
                values = values.map(t.source)
            elif column == "channel":
                values = values.map(t.channel)
            if column == "created_at":
                columns.append([make_cell(sheet, v, _DATED) for v in values])
            elif column == "sentiment_score":
                columns.append([None if pd.isna(v) else round(float(v), 3) for v in values])
            else:
                columns.append([make_cell(sheet, v) for v in values.tolist()])
        yield from (list(row) for row in zip(*columns, strict=True))


def quality_sheet(grid: Grid, result: AnalysisResult, t: Labels) -> Grid:
    """What was read, kept and rejected per file, and how the labels matched."""
    grid.put(
        1,
        1,
        t(
            "每个输入文件读取了多少行、计入文档多少、剔除多少及原因。读取行数 = 计入文档的行 + 剔除。"
            "(聊天记录中同一会话的多条客户消息合并为一个文档。)"
        ),
    )
    reasons = sorted({r for f in result.files for r in f.rejected})
    headers = [
        t("文件"),
        t("格式"),
        t("平台"),
        t("编码"),
        t("来源类型"),
        t("渠道"),
        t("读取行数"),
        t("计入文档的行"),
        t("文档数"),
        t("剔除"),
        *[t(_REJECT_REASONS[r]) if r in _REJECT_REASONS else r for r in reasons],
        t("列映射"),
    ]
    for j, name in enumerate(headers, start=1):
        grid.put(3, j, name, HEADER)
    row = 3
    for summary in result.files:
        row += 1
        values = [
            summary.file,
            summary.file_format,
            t.channel(summary.platform),
            summary.encoding or "",
            t.source(summary.source),
            t.channel(summary.channel),
            summary.rows_read,
            summary.rows_in_records,
            summary.records,
            sum(summary.rejected.values()),
            *[summary.rejected.get(r, 0) for r in reasons],
            summary.describe_roles(),
        ]
        values[0] = file_name(summary.file)
        for j, value in enumerate(values, start=1):
            grid.put(row, j, value, WRAP if j == len(values) else CellStyle())
    exposure = result.exposure
    if exposure is not None and result.labels is not None:
        row += 2
        grid.put(row, 1, t("流失标签匹配"), SECTION)
        labels = result.labels
        facts = [
            (t("标签文件"), file_name(labels.file)),
            (t("标签文件用户数"), exposure.users_in_labels),
            (
                t("反馈中的用户 / 其中在标签文件中"),
                f"{exposure.feedback_users} / {exposure.matched_users}",
            ),
            (
                t("用户ID列 / 流失列 / 流失日期列"),
                f"{labels.id_col} / {labels.churn_col} / {labels.date_col or t('(无)')}",
            ),
            (t("协变量"), ", ".join(labels.covariates) or t("(无)")),
            (
                t("未用作协变量的列"),
                "; ".join(f"{k}: {v}" for k, v in labels.skipped.items()) or t("(无)"),
            ),
            (t("计入归因的文档(流失前写的)"), exposure.docs_used),
            (t("流失之后写的文档(不计入)"), exposure.docs_after_churn),
            (
                t("没有日期的文档(计入)")
                if exposure.undated_rule == "include"
                else t("没有日期的文档(不计入)"),
                exposure.docs_undated,
            ),
            (t("无法匹配到标签用户的文档"), exposure.docs_unlabelled),
            (t("早于时间窗口的文档(不计入)"), exposure.docs_outside_window),
        ]
        for name, value in facts:
            row += 1
            grid.put(row, 1, name)
            grid.put(row, 2, value)
    if len(result.rejects):
        row += 2
        grid.put(row, 1, t("被剔除的行(前 1000 行)"), SECTION)
        rejects = result.rejects.head(1000)
        if "file" in rejects.columns:
            rejects = rejects.assign(file=rejects["file"].astype(str).map(file_name))
        rejects = rejects.assign(
            reason=lambda f: f["reason"].map(
                lambda r: t(_REJECT_REASONS[r]) if r in _REJECT_REASONS else r
            )
        )
        grid.table(
            rejects,
            start_row=row + 1,
            headers=[t(h) for h in ("文件", "行号", "文档ID", "用户ID", "原因", "重复于", "原文")][
                : len(rejects.columns)
            ],
            header_style=HEADER,
            wrap=("text",),
        )
    grid.fit_widths(most=30, wrapped_most=40)
    return grid
