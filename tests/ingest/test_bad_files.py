"""Every bad file gives a clear InputFileError (exit 2 in the CLI), never a traceback or a hang."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from feedback_miner.cli import main
from feedback_miner.errors import InputFileError
from feedback_miner.ingest import read_raw_table
from feedback_miner.ingest.safety import MAX_CELL_CHARS


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["用户ID", "评价"])
    for i in range(200):
        book.active.append([f"U{i}", f"第{i}条评价，物流太慢了"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def error_of(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        read_raw_table(path)
    return str(info.value)


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = workbook_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert error_of(path) == (
        f"{path}: the workbook is damaged or truncated (its zip structure cannot be read). "
        "Download or export it again."
    )


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert error_of(path) == f"{path}: this is a zip archive but not an Excel workbook."


def test_zip_bomb_disguised_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(150):
                member.write(block)
    message = error_of(path)
    assert message.startswith(f"{path}: the workbook would expand from ")
    assert message.endswith(
        "refusing to open it (it looks like a zip bomb). If it is a genuine export, save it as CSV instead."
    )


def test_password_protected_workbook(fixtures_dir: Path) -> None:
    path = fixtures_dir / "protected.xlsx"
    assert error_of(path) == (
        f"{path}: the workbook is password-protected. Open it in Excel or WPS, remove the "
        "password (File > Info > Protect Workbook) and save it again, or export it as CSV."
    )


def test_renamed_file_that_is_not_excel(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("用户,评价\nU1,太贵\n", encoding="utf-8")
    assert error_of(path) == (
        f"{path}: the name says Excel but the content is not a workbook (damaged, or another "
        "file renamed). Open it in Excel or WPS and save it again, or export as CSV."
    )


def test_ten_megabyte_cell(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("用户,评价\nU1,还行\nU2," + "长" * 10_000_000 + "\n", encoding="utf-8")
    assert error_of(path) == (
        f"{path}: row 2, column '评价' holds 10,000,000 characters; the limit is "
        f"{MAX_CELL_CHARS:,} per cell. This is not customer text (a pasted log or file?): remove or "
        "shorten that cell and try again."
    )


def test_mixed_encodings_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("用户,评价\nU1,太贵了\n".encode() + "U2,信号很差\n".encode("gbk"))
    assert error_of(path) == (
        f"{path}: mixed text encodings: most lines are UTF-8 but line 3 is not (often a GBK export "
        "pasted into a UTF-8 file). Open the file in an editor, re-save that part as UTF-8, or "
        "export the whole file again in one encoding."
    )


def test_bad_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "太贵了"}\n{"text": 坏的}\n', encoding="utf-8")
    assert error_of(path) == (
        f"{path}: line 2 is not a JSON object (Expecting value). JSON Lines files hold one object per line."
    )


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\x03binary",
        b"PK\x03\x04broken",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken",
    ],
)
def test_cli_exits_2_without_traceback(tmp_path: Path, capsys, content: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert main(["ingest", str(path), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"feedback-miner: error: {path}: ")
    assert "Traceback" not in err
