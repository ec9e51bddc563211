from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.ingest import (
    RECORD_COLUMNS,
    REJECT_COLUMNS,
    IngestOptions,
    ingest_file,
    ingest_files,
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


TICKETS = (
    "工单编号,用户ID,创建时间,问题描述,满意度\n"
    "T1,U1,2026-05-01 10:00,自动续费乱扣钱，请回电13812345678,1\n"
    "T2,U2,2026-05-02 11:00,无,3\n"
    "T3,U3,2026-05-03 12:00,,2\n"
    "T4,,2026-05-04 13:00,ＡＰＰ闪退！！！！！！,1\n"
    "T5,U5,not a date,客服很耐心，问题解决了,5\n"
    ",,,,\n"
)


def test_records_and_rejects_cover_every_row(tmp_path: Path) -> None:
    result = ingest_file(write(tmp_path, "tickets.csv", TICKETS, "gbk"))
    records, rejects = result.records, result.rejects
    summary = result.files[0]
    assert summary.rows_read == len(records) + len(rejects) == 6
    assert list(records.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    assert records["doc_id"].tolist() == ["tickets:T1", "tickets:T4", "tickets:T5"]
    assert records["text"].tolist() == [
        "自动续费乱扣钱，请回电<手机号>",
        "APP闪退！！！",
        "客服很耐心，问题解决了",
    ]
    assert records["user_id"].fillna("").tolist() == ["U1", "", "U5"]
    assert records["source"].unique().tolist() == ["service"]
    assert records["rating"].tolist() == [1.0, 1.0, 5.0]
    assert records["created_at"].iloc[0] == pd.Timestamp("2026-05-01 10:00")
    assert pd.isna(records["created_at"].iloc[2])  # unparseable time becomes empty, the row stays
    assert rejects[["row", "reason"]].values.tolist() == [
        [2, "non_answer"],
        [3, "empty_text"],
        [6, "empty_row"],
    ]
    assert summary.rejected == {"non_answer": 1, "empty_text": 1, "empty_row": 1}
    assert summary.encoding == "gbk"


def test_row_ids_without_an_id_column(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", "内容\n价格太贵了\n好\n信号太差\n")
    result = ingest_file(path)
    assert result.records["doc_id"].tolist() == ["posts:1", "posts:3"]
    assert result.rejects["doc_id"].tolist() == ["posts:2"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("无", False),
        ("没有", False),
        ("不知道", False),
        ("。。。", False),
        ("好", False),
        ("？", False),
        ("贵", False),
        ("N/A", False),
        ("太贵", True),
        ("不好", True),
        ("一般", True),
    ],
)
def test_non_answers(tmp_path: Path, text: str, kept: bool) -> None:
    path = write(tmp_path, "a.csv", f"原因\n{text}\n这是一个用来让列被识别为文本的长回答\n")
    result = ingest_file(path)
    assert (len(result.records) == 2) is kept


def test_several_text_columns_are_joined(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "原因,建议\n太贵了,降价\n,多更新\n")
    result = ingest_file(path, IngestOptions(text_cols=("原因", "建议")))
    assert result.records["text"].tolist() == ["太贵了\n降价", "多更新"]


def test_meta_columns_are_kept_with_prefix(tmp_path: Path, fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "wjx_small.xls")
    assert result.files[0].channel == "wjx"
    assert result.files[0].source == "survey"
    assert "meta:2、性别" in result.records.columns
    assert "meta:5、兴趣爱好" in result.records.columns
    assert result.records["user_id"].tolist() == ["U1", "U2", "1004"]
    assert result.records["rating"].tolist() == [2.0, 4.0, 1.0]


def test_source_option_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "工单编号,问题描述\nT1,客服态度很差\nT2,退款太慢\n")
    assert ingest_file(path).records["source"].unique().tolist() == ["service"]
    assert ingest_file(path, IngestOptions(source="social")).records[
        "source"
    ].unique().tolist() == ["social"]


def test_bad_source_option() -> None:
    with pytest.raises(ValueError) as info:
        IngestOptions(source="mail")
    assert (
        str(info.value)
        == "--source is 'mail', which is not valid; use one of: survey, service, social, auto."
    )


def test_same_stem_in_two_folders_keeps_ids_unique(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a", "export.csv", "内容\n价格太贵了\n")
    second = write(tmp_path / "b", "export.csv", "内容\n信号太差了\n")
    result = ingest_files([first, second])
    assert result.records["doc_id"].tolist() == ["export:1#1", "export:1#2"]
