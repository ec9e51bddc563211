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
import unicodedata
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
    "FONT_NAME",
    "CellStyle",
    "Grid",
    "clean_text",
    "make_cell",
    "number",
    "plain_value",
    "prepare_sheet",
    "quote_sheet_title",
    "report_font",
    "row_height",
    "use_report_font",
]

EXCEL_MAX_CELL_CHARS = 32767
_CUT_MARK = "…[截断]"
# a font with Chinese glyphs, named in every style: a style without a name makes
# LibreOffice and WPS fall back to a (serif) default. 微软雅黑 ships with Windows and
# Office for Mac; elsewhere fontconfig substitutes a CJK sans (Noto Sans CJK on Debian).
FONT_NAME = "Microsoft YaHei"
# points per line of 11-point text (CJK fonts set lines a little taller than Latin
# ones), and the most Excel allows for a row
_LINE_POINTS = 16.5
_MAX_ROW_POINTS = 409.0
# Excel's width unit is about one Latin digit; a Chinese character takes a little
# more than two (measured on LibreOffice's rendering of 11-point Noto Sans CJK)
_WIDE = frozenset("WF")
_WIDE_UNITS = 2.2


def report_font(**options: object) -> Font:
    """A font of the report: :data:`FONT_NAME` at 11 points unless ``options`` say otherwise."""
    return Font(name=FONT_NAME, **{"sz": 11, **options})


def use_report_font(book: Workbook) -> None:
    """Make :data:`FONT_NAME` the workbook's default font (of every cell without a style).

    openpyxl keeps the default as the first entry of the workbook's font list
    and offers no public setter; a new workbook holds only that entry.
    """
    book._fonts[0] = report_font(family=2)


def _display_width(text: str) -> float:
    return sum(_WIDE_UNITS if unicodedata.east_asian_width(c) in _WIDE else 1 for c in text)


def row_height(texts: Iterable[tuple[str, float]]) -> float | None:
    """The height in points that shows every wrapped text of a row, or None for one line.

    Excel grows wrapped rows when it opens a file; LibreOffice and WPS keep the
    stored height, so the report stores it.

    Parameters
    ----------
    texts : iterable of (text, column width)

    Examples
    --------
    >>> row_height([("短", 10)]) is None
    True
    >>> row_height([("字" * 25, 10)])  # 55 units on lines of 9: seven lines
    115.5
    """
    lines = 1
    for text, width in texts:
        usable = max(width - 1, 1)
        wrapped = sum(
            max(1, math.ceil(_display_width(part) / usable)) for part in str(text).split("\n")
        )
        lines = max(lines, wrapped)
    return None if lines == 1 else min(lines * _LINE_POINTS, _MAX_ROW_POINTS)


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
        cell.font = report_font(
            color="0563C1", underline="single", bold=bool(style.font and style.font.b)
        )
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
    title_rows: str | None = None

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
        """Place ``frame`` under a header row at ``start_row``; return the last row.

        ``wrap`` names the columns whose text wraps; then every cell of the table
        sits at the top of its row, level with the first line of its wrapped
        neighbours.
        """
        formats = formats or {}
        wrapped = set(wrap)
        if self.title_rows is None:  # printed pages repeat the first table's header
            self.title_rows = f"{start_row}:{start_row}"
        for j, name in enumerate(headers, start=1):
            self.put(start_row, j, name, header_style)
        styles = [
            CellStyle(
                number_format=formats.get(str(c)),
                alignment=Alignment(wrap_text=True, vertical="top")
                if c in wrapped
                else Alignment(vertical="top")
                if wrapped
                else None,
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

    def fit_widths(
        self, *, least: float = 8, most: float = 50, wrapped_most: float = 60, from_row: int = 3
    ) -> None:
        """Set each column's width to its longest text (a line of it), within limits.

        A column with wrapped text may be wider (``wrapped_most``): its long
        texts wrap instead of running over the next column. Rows above
        ``from_row`` (the sheet's notes) run across columns and do not count.
        """
        longest: dict[int, float] = {}
        wraps: set[int] = set()
        for row, placed in self.cells.items():
            if row < from_row:
                continue
            for j, (value, style) in placed.items():
                if value is None:
                    continue
                if style.alignment is not None and style.alignment.wrap_text:
                    wraps.add(j)
                text = f"{value:.4f}" if isinstance(value, float) else str(value)
                size = max(_display_width(line) for line in text.split("\n"))
                longest[j] = max(longest.get(j, 0), size + 2)
        self.widths = [
            min(max(longest.get(j, least), least), wrapped_most if j in wraps else most)
            for j in range(1, max(longest, default=0) + 1)
        ]

    def _width(self, column: int) -> float:
        """The width of ``column`` (1-based); Excel's default where none was set."""
        return self.widths[column - 1] if column <= len(self.widths) else 8.43

    def write(self, book: Workbook) -> None:
        """Create this sheet in ``book`` (write-only) and stream the cells."""
        sheet = book.create_sheet(self.title)
        prepare_sheet(sheet, self.widths, self.freeze)
        if self.title_rows:
            sheet.print_title_rows = self.title_rows
        for row in range(1, self.last_row + 1):
            placed = self.cells.get(row, {})
            width = max(placed, default=0)
            height = row_height(
                (str(value), self._width(j))
                for j, (value, style) in placed.items()
                if value is not None and style.alignment is not None and style.alignment.wrap_text
            )
            if height is not None:
                sheet.row_dimensions[row].height = height
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
