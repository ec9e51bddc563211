"""Writers of hostile input files, for the hardening tests and ``benchmarks/hostile_inputs.py``.

Each function writes one kind of file an attacker (or a broken export) could
hand us. Sizes are parameters: the tests use small ones, the benchmark
realistic ones. Workbooks are written by hand as minimal SpreadsheetML zips,
so that they can hold what no spreadsheet program would write.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letters(index: int) -> str:
    """Excel's column name of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value: object) -> str:
    """One ``<c>`` element: a number, or an inline string."""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: Iterable[Sequence[object]], first_row: int = 1) -> Iterable[str]:
    """``<row>`` elements for dense rows starting at ``first_row``."""
    for number, values in enumerate(rows, start=first_row):
        cells = "".join(
            cell_xml(f"{column_letters(i)}{number}", v)
            for i, v in enumerate(values, start=1)
            if v is not None
        )
        yield f'<row r="{number}">{cells}</row>'


def write_workbook(
    path: Path,
    sheets: Sequence[tuple[str, Iterable[str]]],
    *,
    dimension: str | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A workbook whose sheets hold the given ``<row>`` XML fragments (streamed into the zip).

    ``dimension`` writes a ``<dimension ref=...>`` element (the extent a sheet
    declares, which readers must not trust).
    """
    with zipfile.ZipFile(path, "w", compression=compression, compresslevel=6) as archive:
        overrides = "".join(_SHEET_TYPE.format(n=i) for i in range(1, len(sheets) + 1))
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        names = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>{names}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>",
        )
        for i, (_, rows) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as member:
                head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
                if dimension:
                    head += f'<dimension ref="{dimension}"/>'
                member.write((head + "<sheetData>").encode())
                for row in rows:
                    member.write(row.encode())
                member.write(b"</sheetData></worksheet>")
    return path


def feedback_rows(n: int, *, start: int = 1) -> list[list[object]]:
    """A header and ``n`` rows of ordinary feedback (user id, date, text)."""
    rows: list[list[object]] = [["用户ID", "日期", "评价内容"]]
    for i in range(start, start + n):
        rows.append(
            [f"U{i:05d}", f"2026-0{1 + i % 9}-1{i % 9}", f"第{i}位用户：物流太慢了，客服也不回复"]
        )
    return rows


def far_cell_workbook(path: Path, far_ref: str = "XFD1048576") -> Path:
    """Two cells: a header at A1 and one value at ``far_ref`` (the grid between is empty)."""
    column = "".join(c for c in far_ref if c.isalpha())
    row = "".join(c for c in far_ref if c.isdigit())
    far = f'<row r="{row}">{cell_xml(f"{column}{row}", "远")}</row>'
    return write_workbook(path, [("Sheet1", [*rows_xml([["评价内容"]]), far])])


def declared_extent_workbook(path: Path, rows: int = 50) -> Path:
    """Ordinary rows, but a sheet that declares itself A1:XFD1048576."""
    return write_workbook(
        path, [("Sheet1", rows_xml(feedback_rows(rows)))], dimension="A1:XFD1048576"
    )


def inflating_workbook(path: Path, cells: int) -> Path:
    """One column of ``cells`` identical numbers: tiny compressed, large inflated."""
    rows = (f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, cells + 1))
    return write_workbook(path, [("Sheet1", rows)], compression=zipfile.ZIP_DEFLATED)


def two_sheet_workbook(path: Path, rows: int = 30) -> Path:
    """A cover note on the first sheet and the data on the second."""
    cover = rows_xml([["说明"], ["本文件由系统导出"], ["请勿修改"]])
    return write_workbook(path, [("说明", cover), ("数据", rows_xml(feedback_rows(rows)))])


def wide_csv(path: Path, columns: int, rows: int = 20) -> Path:
    """A CSV with ``columns`` columns, the last of them free text."""
    header = [f"字段{i}" for i in range(1, columns)] + ["评价内容"]
    lines = [",".join(header)]
    for r in range(rows):
        lines.append(",".join(["1"] * (columns - 1) + [f"第{r}条：价格太贵了"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wide_json_line(path: Path, keys: int) -> Path:
    """A JSON Lines file whose records have ``keys`` fields."""
    with path.open("w", encoding="utf-8") as out:
        for r in range(3):
            record: dict[str, object] = {f"k{i}": i for i in range(keys)}
            record["评价内容"] = f"第{r}条：网络信号太差"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def deep_json(path: Path, depth: int) -> Path:
    """A JSON array whose one record nests ``depth`` levels deep."""
    path.write_text(
        '[{"评价内容": "太慢了", "extra": ' + "[" * depth + "]" * depth + "}]", encoding="utf-8"
    )
    return path


def deep_toml(path: Path, depth: int) -> Path:
    """A taxonomy file with an array nested ``depth`` levels deep."""
    path.write_text(
        '[taxonomy]\nname = "x"\nversion = "1"\nnested = ' + "[" * depth + "]" * depth + "\n",
        encoding="utf-8",
    )
    return path


def far_row_workbook(path: Path) -> Path:
    """A cell whose row number has more digits than any grid."""
    far = '<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_workbook(path, [("Sheet1", [*rows_xml([["评价内容"]]), far])])


def wide_workbook(path: Path, columns: int, rows: int = 5) -> Path:
    """A dense sheet ``columns`` wide."""
    header = [f"字段{i}" for i in range(1, columns)] + ["评价内容"]
    body = [[1] * (columns - 1) + [f"第{r}条：卡顿严重"] for r in range(rows)]
    return write_workbook(path, [("Sheet1", rows_xml([header, *body]))])


FORMULA_TEXTS = (
    '=HYPERLINK("http://example.com/x","点我")',
    "=cmd|' /C calc'!A0",
    "+86 客服电话打不通",
    "-价格太贵了",
    "@客服 为什么不回复",
    "\t=1+1 制表符开头",
    "\r=2+2 回车开头",
    "＝SUM(A1:A9) 全角等号",
    "＋１ 全角加号",
    "＠全角艾特 客服太慢",
    "\u200b=IMPORTXML(1) 零宽字符开头",
    "\u3000+全角空格开头",
)


def formula_rows() -> list[list[object]]:
    """Feedback whose texts start like spreadsheet formulas (and in a meta column too)."""
    rows: list[list[object]] = [["用户ID", "备注", "评价内容"]]
    for i, text in enumerate(FORMULA_TEXTS, start=1):
        rows.append([f"U{i}", text, text])
    return rows


PII_TEXTS = (
    "手机138.0000.0010打不通",
    "请回电 138 000 00012",
    "号码138–1234–5678谢谢",
    "+86-13912345678 是我",
    "座机(010)66660002",
    "电话0755 6666 0003",
    "身份证110101 19900307 4514",
    "老身份证110101900307451",
    "卡号6222 0212 3456 7890 123",
    "卡号6222-0212-3456-7890",
    "QQ号码 12345678 加我",
    "扣扣 87654321",
    "微信号是 zhang_san88",
    "V信：abc12345 联系",
    "邮箱 zhangsan@例子.公司 收",
    "地址 2001:db8::1 访问不了",
    "全角手机１３８１２３４５６７８",
)
PII_VALUES = (
    "138.0000.0010",
    "138 000 00012",
    "138–1234–5678",
    "13912345678",
    "66660002",
    "6666 0003",
    "110101 19900307 4514",
    "110101900307451",
    "6222 0212 3456 7890 123",
    "6222-0212-3456-7890",
    "12345678",
    "87654321",
    "zhang_san88",
    "abc12345",
    "zhangsan@例子.公司",
    "2001:db8::1",
    "１３８１２３４５６７８",
)


def pii_rows() -> list[list[object]]:
    """Feedback carrying personal data in the text and in an extra column."""
    rows: list[list[object]] = [["用户ID", "联系方式", "评价内容"]]
    for i, text in enumerate(PII_TEXTS, start=1):
        rows.append([f"U{i}", text, f"第{i}条反馈，{text}，服务太差"])
    return rows


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    """Rows as CSV (quoted where needed)."""
    import csv
    import io

    buffer = io.StringIO()
    # CR LF ends a row, as Excel writes it: a cell holding a lone CR is quoted
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
