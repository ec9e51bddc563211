from pathlib import Path

import pytest
from openpyxl import Workbook

from feedback_miner.errors import EmptyInputError, InputFileError
from feedback_miner.ingest import read_raw_table

CSV_TEXT = "用户ID,评价内容,时间\nU1,客服态度很差，一直不回复,2026-05-01\nU2,价格便宜，挺好用的,2026-05-02\n"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gbk"),
        ("gb18030", "gbk"),
        ("utf-16", "utf-16"),
    ],
)
def test_csv_encodings(tmp_path: Path, encoding: str, reported: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_raw_table(path)
    assert table.encoding == reported
    assert table.file_format == "csv"
    assert list(table.frame.columns) == ["用户ID", "评价内容", "时间"]
    assert table.frame["评价内容"].tolist() == ["客服态度很差，一直不回复", "价格便宜，挺好用的"]


def test_tsv_is_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(CSV_TEXT.replace(",", "\t").replace("，", ","), encoding="utf-8")
    table = read_raw_table(path)
    assert table.file_format == "tsv"
    assert table.frame.shape == (2, 3)


def test_xlsx_values_become_strings(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["用户ID", "评价", "评分"])
    book.active.append([1001, "很好", 4.0])
    book.active.append(["U2", None, None])
    path = tmp_path / "export.xlsx"
    book.save(path)
    table = read_raw_table(path)
    assert table.file_format == "xlsx"
    assert table.frame.to_dict("records") == [
        {"用户ID": "1001", "评价": "很好", "评分": "4"},
        {"用户ID": "U2", "评价": None, "评分": None},
    ]


def test_old_xls_from_wjx(fixtures_dir: Path) -> None:
    table = read_raw_table(fixtures_dir / "wjx_small.xls")
    assert table.file_format == "xls"
    assert "2、性别" in table.frame.columns  # trailing space of the header stripped
    assert table.frame["1、用户ID"].tolist() == ["U1", "U2", "U3", "1004"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_raw_table(tmp_path / "nope.csv")
    assert (
        str(info.value)
        == f"{tmp_path / 'nope.csv'}: file not found. Check the path and the current directory."
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError) as info:
        read_raw_table(path)
    assert (
        str(info.value)
        == f"{path}: the file is empty (0 bytes). Export it again from the source system."
    )


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("用户ID,评价\n", encoding="utf-8")
    with pytest.raises(EmptyInputError) as info:
        read_raw_table(path)
    assert str(info.value) == (
        f"{path}: the file has a header but no data rows. Check that the export holds responses."
    )


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputFileError) as info:
        read_raw_table(path)
    assert str(info.value) == (
        f"{path}: unsupported file type '.pdf'; use one of .csv, .tsv, .txt, .xlsx, .xlsm, .xls, "
        ".jsonl, .json, .parquet (save the export as CSV or Excel)."
    )


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_raw_table(tmp_path)
    assert str(info.value) == f"{tmp_path}: this is a folder; give the export file inside it."


def test_nul_bytes_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n\x00\x01\x02,3\n")
    with pytest.raises(InputFileError) as info:
        read_raw_table(path)
    assert str(info.value) == (
        f"{path}: the file contains NUL bytes and is not a text export. "
        "If it is a spreadsheet, give it the .xlsx or .xls extension."
    )


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    with pytest.raises(InputFileError) as info:
        read_raw_table(path)
    assert str(info.value) == (
        f"{path}: the workbook is damaged or truncated (its zip structure cannot be read). "
        "Download or export it again."
    )
