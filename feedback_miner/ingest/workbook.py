"""Reading Excel workbooks without trusting what they declare.

A worksheet is a grid: a reader allocates every cell between A1 and the
farthest one that holds a value. One value at XFD1048576 makes that 17 billion
cells. So before a sheet is read, its XML is scanned (streamed, never held
whole) for the cells that really hold values; a sheet whose used range is
beyond :data:`MAX_SHEET_CELLS` cells or :data:`MAX_COLUMNS` columns, or whose
cell references are outside Excel's own grid, is refused with a message. The
extent a sheet declares (``<dimension>``) is ignored.

A workbook's data sheet is chosen by content: the sheet with the most cells
holding values (a cover note or an instructions sheet is never it), unless the
user names one. The other sheets with data are named, so nothing is skipped
without a word.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from ..errors import InputFileError
from .delimited import MAX_COLUMNS
from .raw import RawTable, as_strings

__all__ = ["EXCEL_MAX_COLUMNS", "EXCEL_MAX_ROWS", "MAX_SHEET_CELLS", "SheetExtent", "read_workbook"]

MAX_SHEET_CELLS = 5_000_000
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
_CHUNK = 1 << 20
# a cell element and its attributes; self-closing or empty cells hold no value
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*?)(/?)>(</(?:[A-Za-z_][\w.-]*:)?c>)?")
_REF = re.compile(rb'\br\s*=\s*["\']([A-Za-z]+)([0-9]+)["\']')
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class SheetExtent:
    """What one worksheet really holds.

    Attributes
    ----------
    name : str
        The sheet's name.
    cells : int
        Cells that hold a value.
    rows, columns : int
        The farthest row and column holding a value (0 when the sheet is empty).
    """

    name: str
    cells: int
    rows: int
    columns: int

    @property
    def area(self) -> int:
        """Cells a reader allocates for the sheet: A1 to the farthest value."""
        return self.rows * self.columns


def read_workbook(file: Path, file_format: str, sheet: str | None = None) -> RawTable:
    """Read the data sheet of a workbook (``sheet`` by name, else the one with most values).

    Raises
    ------
    InputFileError
        When the workbook is damaged, ``sheet`` does not exist, or the sheet
        to read is beyond the limits.
    """
    extents = scan_xlsx(file) if file_format == "xlsx" else _scan_xls(file)
    names = [e.name for e in extents]
    if sheet is not None:
        chosen = next((e for e in extents if e.name == sheet.strip()), None)
        if chosen is None:
            raise InputFileError(
                f"{file}: there is no sheet {sheet!r}; the sheets are: "
                + ", ".join(repr(n) for n in names)
                + ". Give one of them with --sheet."
            )
    else:
        with_data = [e for e in extents if e.cells]
        chosen = max(with_data, key=lambda e: e.cells) if with_data else extents[0]
    _check_extent(file, chosen)
    try:
        frame = pd.read_excel(
            file, engine="calamine", header=0, dtype=object, sheet_name=chosen.name
        )
    except Exception as err:  # calamine raises its own error types for damaged files
        raise InputFileError(
            f"{file}: cannot read this Excel file ({type(err).__name__}: {err}). "
            "Open it in Excel or WPS and save it again as .xlsx, or export as CSV."
        ) from None
    others = tuple(e.name for e in extents if e.cells and e.name != chosen.name)
    return RawTable(
        file, as_strings(frame), file_format, None, sheet=chosen.name, other_sheets=others
    )


def _check_extent(file: Path, extent: SheetExtent) -> None:
    if extent.area > MAX_SHEET_CELLS:
        raise InputFileError(
            f"{file}: sheet {extent.name!r} spans {extent.rows:,} rows x {extent.columns:,} columns "
            f"({extent.area:,} cells) but holds {extent.cells:,} values; the limit is "
            f"{MAX_SHEET_CELLS:,} cells. Delete the stray cells far from the data (Ctrl+End "
            "shows the last one) and save again, or export the sheet as CSV, which has no limit."
        )
    if extent.columns > MAX_COLUMNS:
        raise InputFileError(
            f"{file}: sheet {extent.name!r} has values in {extent.columns:,} columns; the limit is "
            f"{MAX_COLUMNS:,}. Keep the columns you need (the free-text column, the user id, "
            "the time) and save it again."
        )


def scan_xlsx(file: Path) -> list[SheetExtent]:
    """The worksheets of an .xlsx and what each really holds, from a streamed scan of its XML."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = _sheet_members(archive)
            return [_scan_member(file, archive, name, member) for name, member in members]
    except InputFileError:
        raise
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, KeyError) as err:
        raise InputFileError(
            f"{file}: the workbook is damaged ({type(err).__name__}: {err}). "
            "Open it in Excel or WPS and save it again, or export it as CSV."
        ) from None


def _sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for every worksheet, in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    found = []
    for element in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(element.get(f"{_REL_NS}id"), "")
        if not target.endswith(".xml") or "worksheets/" not in target:
            continue  # a chart sheet or a dialog sheet: no cells
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        found.append((element.get("name", ""), posixpath.normpath(member)))
    if not found:
        raise KeyError("no worksheet")
    return found


def _scan_member(file: Path, archive: zipfile.ZipFile, name: str, member: str) -> SheetExtent:
    cells = rows = columns = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = len(data)
            if len(chunk) == _CHUNK:
                # keep the last tag (a cell and its closing tag together) for the next chunk
                cut = data.rfind(b"<")
                if data.startswith(b"</", cut):
                    cut = max(data.rfind(b"<", 0, cut), 0)
            for match in _CELL.finditer(data, 0, cut):
                if match.group(2) or match.group(3):
                    continue  # <c .../> or <c ...></c>: formatting only, no value
                cells += 1
                ref = _REF.search(match.group(1))
                if ref is None:
                    continue
                digits = ref.group(2)
                row = int(digits) if len(digits) <= 8 else EXCEL_MAX_ROWS + 1
                column = _column_number(ref.group(1))
                if row > EXCEL_MAX_ROWS or column > EXCEL_MAX_COLUMNS or row < 1:
                    raise InputFileError(
                        f"{file}: sheet {name!r} has a cell at "
                        f"{ref.group(1).decode()}{digits[:12].decode()}, outside Excel's grid "
                        f"({EXCEL_MAX_ROWS:,} rows x {EXCEL_MAX_COLUMNS:,} columns): the file is "
                        "damaged or was not written by a spreadsheet program. Export it again."
                    )
                rows, columns = max(rows, row), max(columns, column)
            tail = data[cut:]
    return SheetExtent(name, cells, rows, columns)


def _column_number(letters: bytes) -> int:
    if len(letters) > 3:
        return EXCEL_MAX_COLUMNS + 1
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _scan_xls(file: Path) -> list[SheetExtent]:
    """The worksheets of an .xls (BIFF) and their values; the format bounds them to 65,536 x 256."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(str(file))
        extents = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            values = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=True)
            cells = sum(1 for row in values for v in row if v not in ("", None))
            width = max((len(r) for r in values), default=0)
            extents.append(SheetExtent(meta.name, cells, len(values), width))
    except Exception as err:  # calamine raises its own error types for damaged files
        raise InputFileError(
            f"{file}: cannot read this Excel file ({type(err).__name__}: {err}). "
            "Open it in Excel or WPS and save it again as .xlsx, or export as CSV."
        ) from None
    if not extents:
        raise InputFileError(f"{file}: the workbook has no worksheet.")
    return extents
