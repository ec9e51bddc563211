"""Reading large exports block by block gives what one read gives."""

from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.errors import InputFileError
from feedback_miner.ingest import IngestStream, ingest_files
from feedback_miner.ingest.safety import MAX_CELL_CHARS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# duplicates across blocks (T1/T6 same user; T3/T7 anonymous copy of a long
# sentence), non-answers, an empty row, personal data, GBK-only characters
TICKETS = (
    "工单编号,用户ID,创建时间,问题描述,满意度\n"
    "T1,U1,2026-05-01 10:00,自动续费乱扣钱，请回电13812345678,1\n"
    "T2,U2,2026-05-02 11:00,无,3\n"
    "T3,,2026-05-03 12:00,宽带每天晚上八点以后就断线，打了三次客服电话都没人处理,2\n"
    "T4,U4,2026-05-04 13:00,ＡＰＰ闪退！！！！！！,1\n"
    ",,,,\n"
    "T6,U1,2026-05-06 10:00,自动续费乱扣钱！请回电13812345678,1\n"
    "T7,,2026-05-07 12:00,宽带每天晚上八点以后就断线，打了三次客服电话都没人处理,2\n"
    "T8,U8,2026-05-08 09:00,客服很耐心，问题解决了,5\n"
)


def read(paths: list[Path], block_rows: int) -> tuple[pd.DataFrame, pd.DataFrame, tuple]:
    stream = IngestStream(paths, block_rows=block_rows, row_numbers=True)
    chunks = list(stream)
    rejects = stream.rejects().sort_values(["file", "row"], ignore_index=True)
    return pd.concat(chunks, ignore_index=True), rejects, stream.files


@pytest.mark.parametrize("block_rows", [1, 2, 3, 7])
def test_blocks_give_the_records_rejects_and_summaries_of_one_read(
    tmp_path: Path, block_rows: int
) -> None:
    tickets = tmp_path / "tickets.csv"
    tickets.write_bytes(TICKETS.encode("gbk"))
    paths = [tickets, SAMPLES / "social_posts.csv", FIXTURES / "tencent_gbk.csv"]
    whole = ingest_files(paths, row_numbers=True)
    records, rejects, files = read(paths, block_rows)
    pd.testing.assert_frame_equal(records, whole.records)
    expected = whole.rejects.sort_values(["file", "row"], ignore_index=True)
    pd.testing.assert_frame_equal(rejects, expected)
    assert files == whole.files
    first = files[0]
    assert (first.rows_read, first.records, first.rejected) == (
        8,
        4,
        {"duplicate": 2, "empty_row": 1, "non_answer": 1},
    )


@pytest.mark.parametrize(
    "name", ["qualtrics.csv", "surveymonkey.csv", "chat_messages.csv", "wjx_small.xls"]
)
def test_exports_that_need_the_whole_table_are_read_whole(name: str) -> None:
    whole = ingest_files([FIXTURES / name], row_numbers=True)
    records, rejects, files = read([FIXTURES / name], 2)
    pd.testing.assert_frame_equal(records, whole.records)
    assert len(rejects) == len(whole.rejects)
    assert files == whole.files


def test_an_oversized_cell_in_a_later_block_is_reported_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = ["评价"] + ["还行"] * 4 + ["长" * (MAX_CELL_CHARS + 1)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        list(IngestStream([path], block_rows=2))
    assert str(info.value) == (
        f"{path}: row 5, column '评价' holds {MAX_CELL_CHARS + 1:,} characters; the limit is "
        f"{MAX_CELL_CHARS:,} per cell. This is not customer text (a pasted log or file?): "
        "remove or shorten that cell and try again."
    )


def test_inputs_with_the_same_name_get_their_position_in_every_id(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "export.csv").write_text(
            "内容\n价格太贵了\n信号太差了\n", encoding="utf-8"
        )
    other = tmp_path / "other.csv"
    other.write_text("内容\n客服不理人\n", encoding="utf-8")
    paths = [tmp_path / "a" / "export.csv", other, tmp_path / "b" / "export.csv"]
    records, _, _ = read(paths, 1)
    assert records["doc_id"].tolist() == [
        "export:1#1",
        "export:2#1",
        "other:1",
        "export:1#3",
        "export:2#3",
    ]
