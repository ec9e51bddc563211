"""Hostile and broken files: each kind refused with its exact message, or read with every row
accounted for (records + rejects), never a crash, a traceback or silent loss."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.attribution import load_labels
from feedback_miner.cli import main
from feedback_miner.errors import FeedbackMinerError, InputFileError, TaxonomyError
from feedback_miner.ingest import IngestOptions, ingest_file, read_raw_table, safety
from feedback_miner.themes import load_taxonomy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import hostile_files as h


def error_of(path: Path, **options: object) -> str:
    with pytest.raises(InputFileError) as info:
        read_raw_table(path, **options)  # type: ignore[arg-type]
    return str(info.value)


# ---- workbooks: the used range is measured, never trusted, and bounded


def test_one_value_at_the_last_cell_of_the_grid(tmp_path: Path) -> None:
    path = h.far_cell_workbook(tmp_path / "far.xlsx")
    assert error_of(path) == (
        f"{path}: sheet 'Sheet1' spans 1,048,576 rows x 16,384 columns (17,179,869,184 cells) "
        "but holds 2 values; the limit is 5,000,000 cells. Delete the stray cells far from the "
        "data (Ctrl+End shows the last one) and save again, or export the sheet as CSV, which "
        "has no limit."
    )


def test_a_value_at_zz200000(tmp_path: Path) -> None:
    path = h.far_cell_workbook(tmp_path / "zz.xlsx", "ZZ200000")
    assert error_of(path).startswith(
        f"{path}: sheet 'Sheet1' spans 200,000 rows x 702 columns (140,400,000 cells) but holds "
        "2 values"
    )


@pytest.mark.parametrize(
    ("make", "ref"),
    [
        (lambda p: h.far_cell_workbook(p, "AAAAAAA2"), "AAAAAAA2"),
        (h.far_row_workbook, "A99999999999"),
        (lambda p: h.far_cell_workbook(p, "XFE1"), "XFE1"),
        (lambda p: h.far_cell_workbook(p, "A1048577"), "A1048577"),
    ],
)
def test_cell_references_outside_excels_grid(tmp_path: Path, make, ref: str) -> None:
    path = make(tmp_path / "bad.xlsx")
    assert error_of(path) == (
        f"{path}: sheet 'Sheet1' has a cell at {ref}, outside Excel's grid (1,048,576 rows x "
        "16,384 columns): the file is damaged or was not written by a spreadsheet program. "
        "Export it again."
    )


def test_a_declared_extent_is_not_trusted(tmp_path: Path) -> None:
    table = read_raw_table(h.declared_extent_workbook(tmp_path / "declared.xlsx", rows=50))
    assert table.frame.shape == (50, 3)


def test_formatting_far_away_is_no_value(tmp_path: Path) -> None:
    """A styled but empty cell at XFD1048576 (common in real exports) does not count."""
    rows = [*h.rows_xml(h.feedback_rows(5)), '<row r="1048576"><c r="XFD1048576" s="1"/></row>']
    path = h.write_workbook(tmp_path / "styled.xlsx", [("Sheet1", rows)])
    assert read_raw_table(path).frame.shape == (5, 3)


def test_a_sheet_too_wide(tmp_path: Path) -> None:
    path = h.wide_workbook(tmp_path / "wide.xlsx", 6000)
    assert error_of(path) == (
        f"{path}: sheet 'Sheet1' has values in 6,000 columns; the limit is 5,000. Keep the "
        "columns you need (the free-text column, the user id, the time) and save it again."
    )


def test_a_workbook_that_inflates_too_far(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 2_000_000)
    path = h.inflating_workbook(tmp_path / "inflating.xlsx", 100_000)
    message = error_of(path)
    assert message.startswith(f"{path}: the workbook would expand from ")
    assert message.endswith(
        "refusing to open it (it looks like a zip bomb). If it is a genuine export, save it "
        "as CSV instead."
    )


def test_the_data_sheet_is_chosen_by_content_and_the_others_named(tmp_path: Path) -> None:
    path = h.two_sheet_workbook(tmp_path / "two.xlsx")
    table = read_raw_table(path)
    assert (table.sheet, table.other_sheets, len(table.frame)) == ("数据", ("说明",), 30)
    summary = ingest_file(path).files[0]
    assert (summary.sheet, summary.other_sheets) == ("数据", ("说明",))


def test_the_cli_prints_the_sheet_read_and_the_others(tmp_path: Path, capsys) -> None:
    path = h.two_sheet_workbook(tmp_path / "two.xlsx")
    assert main(["ingest", str(path), "-o", str(tmp_path / "r.csv")]) == 0
    assert capsys.readouterr().err.startswith(
        f"{path}: sheet '数据' (not read: '说明'; --sheet NAME reads another), xlsx, generic, -, "
        "survey; 30 rows -> 30 records"
    )


def test_sheet_by_name(tmp_path: Path) -> None:
    path = h.two_sheet_workbook(tmp_path / "two.xlsx")
    records = ingest_file(path, IngestOptions(sheet="说明")).records
    assert records["text"].tolist() == ["本文件由系统导出", "请勿修改"]
    assert error_of(path, sheet="明细") == (
        f"{path}: there is no sheet '明细'; the sheets are: '说明', '数据'. Give one of them "
        "with --sheet."
    )


# ---- CSV: every row exactly once, where it was


def test_an_extra_comma_in_the_first_row_shifts_nothing(tmp_path: Path) -> None:
    rows = h.feedback_rows(10)
    rows[1] = [*rows[1][:2], "物流太慢", "客服也不回复"]
    result = ingest_file(h.write_csv(tmp_path / "t.csv", rows))
    assert result.records["user_id"].tolist() == [f"U{i:05d}" for i in range(2, 11)]
    rejected = result.rejects[["row", "reason", "text"]].to_dict("records")
    assert rejected == [
        {"row": 1, "reason": "ragged_row", "text": "U00001,2026-02-11,物流太慢,客服也不回复"}
    ]


def test_rows_with_extra_fields_later_are_rejected_with_their_row(tmp_path: Path) -> None:
    rows = h.feedback_rows(40)
    for i in (7, 19, 33):
        rows[i] = [*rows[i], "多出来的"]
    result = ingest_file(h.write_csv(tmp_path / "t.csv", rows))
    assert result.rejects["row"].tolist() == [7, 19, 33]
    assert set(result.rejects["reason"]) == {"ragged_row"}
    assert len(result.records) + len(result.rejects) == 40
    assert result.files[0].rejected == {"ragged_row": 3}


def test_a_trailing_delimiter_and_short_rows_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "用户ID,日期,评价内容\nU1,2026-01-01,太贵了,\nU2,2026-01-02\nU3,2026-01-03,客服差\n",
        encoding="utf-8",
    )
    table = read_raw_table(path)
    assert table.frame.values.tolist() == [
        ["U1", "2026-01-01", "太贵了"],
        ["U2", "2026-01-02", None],
        ["U3", "2026-01-03", "客服差"],
    ]
    assert table.rejected == ()


def test_most_rows_longer_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("用户ID,评价内容\n" + "".join(f"U{i},2026,太贵了\n" for i in range(20)))
    assert error_of(path) == (
        f"{path}: 20 of the first 20 rows have more fields than the header (2); the header is "
        "probably missing column names. Add a name for every column in the first line and try again."
    )


@pytest.mark.parametrize("row", [3, 2500])
def test_nul_bytes_reject_their_row_wherever_they_are(tmp_path: Path, row: int) -> None:
    rows = h.feedback_rows(3000)
    rows[row][2] = "价格\0\0太贵"
    result = ingest_file(h.write_csv(tmp_path / "t.csv", rows))
    assert result.rejects[["row", "reason"]].to_dict("records") == [
        {"row": row, "reason": "nul_byte"}
    ]
    assert result.rejects["text"].iloc[0].endswith(",价格␀␀太贵")
    assert len(result.records) == 2999


def test_rows_are_numbered_across_blocks_and_rejects(tmp_path: Path) -> None:
    from feedback_miner.ingest import ingest_files

    rows = h.feedback_rows(30)
    rows[4] = [*rows[4], "x"]
    rows[9][2] = "a\0b"
    path = h.write_csv(tmp_path / "t.csv", rows)
    from feedback_miner.ingest import IngestStream

    whole = ingest_files([path], row_numbers=True)
    blocks = IngestStream([path], row_numbers=True, block_rows=4).read_all()
    pd.testing.assert_frame_equal(whole.records, blocks.records)
    pd.testing.assert_frame_equal(whole.rejects, blocks.rejects)
    assert whole.rejects["row"].tolist() == [4, 9]
    assert 4 not in whole.records["row"].tolist() and 5 in whole.records["row"].tolist()


def test_a_csv_with_twenty_thousand_columns(tmp_path: Path) -> None:
    path = h.wide_csv(tmp_path / "wide.csv", 20000)
    assert error_of(path) == (
        f"{path}: the header has 20,000 columns; the limit is 5,000. This is not a feedback "
        "export as it stands: keep the columns you need (the free-text column, the user id, "
        "the time) and save it again."
    )


def test_four_thousand_columns_are_read(tmp_path: Path) -> None:
    result = ingest_file(
        h.wide_csv(tmp_path / "wide.csv", 4000), IngestOptions(text_cols=("评价内容",))
    )
    assert result.records.shape == (20, 7 + 1 + 3999)  # the canonical columns, addressee, meta:


def test_five_thousand_digit_numbers(tmp_path: Path) -> None:
    rows = h.feedback_rows(4)
    rows[0].append("评分")
    for row, value in zip(rows[1:], ["9" * 5000, "4", "5", "1"], strict=True):
        row.append(value)
    rows[2][0] = "7" * 5000
    records = ingest_file(h.write_csv(tmp_path / "t.csv", rows)).records
    assert records["user_id"].iloc[1] == "7" * 5000
    # a column holding a 5,000-digit number is no rating scale: it is kept as it is
    assert records["meta:评分"].tolist() == ["9" * 5000, "4", "5", "1"]


# ---- JSON


def test_json_nested_a_hundred_thousand_deep(tmp_path: Path) -> None:
    path = h.deep_json(tmp_path / "deep.json", 100_000)
    assert error_of(path) == (
        f"{path}: the file nests arrays or objects too deeply to be a table of feedback. "
        "Export the records as a flat JSON array or JSON Lines."
    )


def test_json_lines_with_thirty_thousand_fields(tmp_path: Path) -> None:
    path = h.wide_json_line(tmp_path / "wide.jsonl", 30_000)
    assert error_of(path) == (
        f"{path}: a record has 30,001 fields; the limit is 5,000. Keep the fields you need "
        "(the free text, the user id, the time) and export it again."
    )


def test_a_five_thousand_digit_json_number_is_kept_as_digits(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text(f'[{{"评价内容": "太贵了", "编号": {"9" * 5000}}}]', encoding="utf-8")
    assert read_raw_table(path).frame["编号"].iloc[0] == "9" * 5000


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('[{"评价内容": "太贵了\\ud800", "用户": "u\\udfff1"}]', encoding="utf-8")
    result = ingest_file(path, IngestOptions(text_cols=("评价内容",)))
    assert result.records["text"].tolist() == ["太贵了\ufffd"]
    assert result.records["meta:用户"].tolist() == ["u\ufffd1"]


# ---- taxonomies and label files


def test_a_deeply_nested_taxonomy(tmp_path: Path) -> None:
    path = h.deep_toml(tmp_path / "t.toml", 100_000)
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    assert str(info.value) == (
        f"{path}: arrays or tables are nested too deeply to be a taxonomy; a taxonomy is a "
        "[taxonomy] table and [[themes]] blocks of keywords (see lexicons/taxonomy/default.toml)."
    )


def test_a_label_file_with_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("user_id,churned\nu1,1\nu2,0,extra\nu3,1\n", encoding="utf-8")
    with pytest.raises(FeedbackMinerError) as info:
        load_labels(path)
    assert str(info.value) == (
        f"{path}: 1 row(s) cannot be read (row 2: 3 fields, the header has 2). A churn label "
        "file needs every row: quote the cells that hold commas or tabs (or remove the NUL "
        "bytes) and try again."
    )


def test_the_sentiment_command_refuses_ragged_rows(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    path.write_text("评价内容,评分\n太贵了,1\n客服差,2,多\n", encoding="utf-8")
    assert (
        main(["sentiment", str(path), "--text-col", "评价内容", "-o", str(tmp_path / "o.csv")]) == 2
    )
    assert capsys.readouterr().err == (
        f"feedback-miner: error: {path}: 1 row(s) cannot be read (row 2: 3 fields, the header "
        "has 2). The sentiment command (one output row per input row) needs every row: quote "
        "the cells that hold commas or tabs (or remove the NUL bytes) and try again.\n"
    )
