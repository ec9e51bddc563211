"""Writing user data into worksheets safely, in openpyxl's write-only mode.

Text from customers is data, never code: a string is always stored as a text
cell, so ``=cmd|' /C calc'!A0`` or ``=HYPERLINK(...)`` shows as typed and never
runs. Characters Excel rejects are removed and over-long text is cut to
Excel's cell limit with a visible marker.

The report is written in write-only mode (rows stream to disk, so a million
documents do not sit in memory as cell objects). Small sheets are laid out
first on a :class:`Grid`, which allows writing cells in any order, and then
streamed row by row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EXCEL_MAX_CELL_CHARS",
    "CellStyle",
    "Grid",
    "clean_text",
    "make_cell",
    "number",
    "plain_value",
    "prepare_sheet",
    "quote_sheet_title",
]

EXCEL_MAX_CELL_CHARS = 32767
_CUT_MARK = "…[截断]"


def clean_text(value: str) -> str:
    """Remove characters Excel rejects and cut text beyond the cell limit.

    Examples
    --------
    >>> clean_text("a\\x00b\\x07c")
    'abc'
    >>> len(clean_text("字" * 40000))
    32767
    """
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_MAX_CELL_CHARS:
        value = value[: EXCEL_MAX_CELL_CHARS - len(_CUT_MARK)] + _CUT_MARK
    return value


def plain_value(value: object) -> object:
    """A value openpyxl can store: None for missing, Python scalars, cleaned text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, bool | int | datetime | date):
        return value
    if hasattr(value, "item"):
        return plain_value(value.item())  # numpy scalars
    return clean_text(str(value))


@dataclass(frozen=True)
class CellStyle:
    """How one cell looks; ``link`` is a place in the workbook (``'Sheet'!A1``)."""

    number_format: str | None = None
    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    link: str | None = None


_NO_STYLE = CellStyle()


def number(number_format: str | None) -> CellStyle:
    """A style that only sets the number format."""
    return CellStyle(number_format=number_format)


def quote_sheet_title(title: str) -> str:
    """A sheet title as it appears in references and links: ``'流失原因'``."""
    return "'" + title.replace("'", "''") + "'"


def make_cell(sheet: Worksheet, value: object, style: CellStyle = _NO_STYLE) -> object:
    """The value to append for one cell: a plain value when it needs no cell object.

    Strings starting with ``=`` always become text cells (openpyxl would
    otherwise store them as formulas); other strings are stored as text anyway.
    """
    value = plain_value(value)
    plain_style = style is _NO_STYLE or style == _NO_STYLE  # identity first: the hot path
    if value is None or (plain_style and not (isinstance(value, str) and value.startswith("="))):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if style.number_format and value is not None:
        cell.number_format = style.number_format
    if style.font is not None:
        cell.font = style.font
    if style.fill is not None:
        cell.fill = style.fill
    if style.alignment is not None:
        cell.alignment = style.alignment
    if style.link is not None:
        cell.hyperlink = Hyperlink(ref="", location=style.link)
        cell.font = Font(color="0563C1", underline="single", bold=bool(style.font and style.font.b))
    return cell


@dataclass
class Grid:
    """A small sheet laid out in any order, then streamed into a write-only workbook."""

    title: str
    cells: dict[int, dict[int, tuple[object, CellStyle]]] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    freeze: str | None = None
    autofilter: str | None = None
    charts: list[tuple[ChartBase, str]] = field(default_factory=list)
    rules: list[tuple[str, Rule]] = field(default_factory=list)

    def put(self, row: int, column: int, value: object, style: CellStyle = _NO_STYLE) -> None:
        """Place ``value`` at ``row``, ``column`` (1-based)."""
        self.cells.setdefault(row, {})[column] = (value, style)

    def restyle(self, row: int, column: int, **changes: object) -> None:
        """Change the style of a cell already placed."""
        value, style = self.cells[row][column]
        self.cells[row][column] = (value, CellStyle(**{**style.__dict__, **changes}))

    def table(
        self,
        frame: pd.DataFrame,
        *,
        start_row: int,
        headers: Sequence[str],
        formats: dict[str, str] | None = None,
        header_style: CellStyle = _NO_STYLE,
        wrap: Iterable[str] = (),
    ) -> int:
        """Place ``frame`` under a header row at ``start_row``; return the last row."""
        formats = formats or {}
        wrapped = set(wrap)
        for j, name in enumerate(headers, start=1):
            self.put(start_row, j, name, header_style)
        styles = [
            CellStyle(
                number_format=formats.get(str(c)),
                alignment=Alignment(wrap_text=True, vertical="top") if c in wrapped else None,
            )
            for c in frame.columns
        ]
        row = start_row
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
            for j, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
                self.put(row, j, value, style)
        return row

    def ref(
        self, min_col: int, min_row: int, max_col: int | None = None, max_row: int | None = None
    ) -> Reference:
        """A chart reference to a block of this sheet."""
        first = f"${get_column_letter(min_col)}${min_row}"
        last = f"${get_column_letter(max_col or min_col)}${max_row or min_row}"
        return Reference(range_string=f"{quote_sheet_title(self.title)}!{first}:{last}")

    @property
    def last_row(self) -> int:
        return max(self.cells, default=0)

    def write(self, book: Workbook) -> None:
        """Create this sheet in ``book`` (write-only) and stream the cells."""
        sheet = book.create_sheet(self.title)
        prepare_sheet(sheet, self.widths, self.freeze)
        for row in range(1, self.last_row + 1):
            placed = self.cells.get(row, {})
            width = max(placed, default=0)
            sheet.append(
                [make_cell(sheet, *placed[j]) if j in placed else None for j in range(1, width + 1)]
            )
        if self.autofilter:
            sheet.auto_filter.ref = self.autofilter
        for cell_range, rule in self.rules:
            sheet.conditional_formatting.add(cell_range, rule)
        for chart, anchor in self.charts:
            sheet.add_chart(chart, anchor)


def prepare_sheet(sheet: Worksheet, widths: Sequence[float], freeze: str | None) -> None:
    """Column widths, frozen panes and print setup: set before the first row is written.

    Widths are in characters; a Chinese character counts about two. Pages are
    landscape A4, one page wide, since the report is printed and turned into
    PDF too.
    """
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
