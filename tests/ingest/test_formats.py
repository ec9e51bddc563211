"""One fixture per export format, each checked for records, rejects and their count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from feedback_miner.ingest import IngestOptions, IngestResult, ingest_file


def check_accounting(result: IngestResult) -> None:
    for summary in result.files:
        assert summary.rows_read == summary.rows_in_records + sum(summary.rejected.values())
        assert len(result.rejects) == sum(summary.rejected.values())


def test_wjx_xls_with_skips_multiselect_and_fill_in(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "wjx_small.xls")
    check_accounting(result)
    summary = result.files[0]
    assert (summary.platform, summary.file_format, summary.source, summary.channel) == (
        "wjx",
        "xls",
        "survey",
        "wjx",
    )
    records = result.records
    assert records["text"].tolist() == [
        "自动续费乱扣钱，客服也不理人",
        "搬家了，用不上了",
        "APP经常闪退，太卡了！！",
    ]
    assert records["rating"].tolist() == [2.0, 4.0, 1.0]
    assert records["meta:5、兴趣爱好〖填写〗"].fillna("").tolist() == ["", "", "钓鱼"]
    assert records["meta:来自IP"].tolist() == ["<IP>(北京)", "<IP>(上海)", "<IP>(深圳)"]
    assert result.rejects[["row", "reason"]].values.tolist() == [[3, "non_answer"]]


def test_wjx_skip_marker_becomes_missing(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "wjx_small.xls", IngestOptions(text_cols=("2、性别",)))
    assert result.rejects.set_index("row")["reason"].to_dict() == {
        1: "non_answer",
        2: "non_answer",
        3: "empty_text",
        4: "non_answer",
    }  # 男/女: one character


def test_wjx_codes_export_blanks_minus_two_and_three(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(
        [
            "序号",
            "提交答卷时间",
            "所用时间",
            "来源",
            "来源详情",
            "来自IP",
            "1、性别",
            "2、满意度",
            "3、原因",
        ]
    )
    book.active.append([1, "2026/5/1 10:00", "30秒", "微信", None, "1.1.1.1", 1, -2, "价格太贵了"])
    book.active.append([2, "2026/5/1 11:00", "40秒", "微信", None, "1.1.1.2", 2, 4, "客服态度很差"])
    book.active.append([3, "2026/5/1 12:00", "50秒", "微信", None, "1.1.1.3", -3, 3, "经常闪退"])
    path = tmp_path / "codes.xlsx"
    book.save(path)
    result = ingest_file(path, IngestOptions(text_cols=("3、原因",)))
    assert result.records["rating"].fillna(-1).tolist() == [-1, 4.0, 3.0]
    assert result.records["meta:1、性别"].fillna("").tolist() == ["1", "2", ""]


def test_tencent_gbk_with_fill_in_columns(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "tencent_gbk.csv")
    check_accounting(result)
    summary = result.files[0]
    assert (summary.platform, summary.encoding, summary.channel) == ("tencent", "gbk", "tencent")
    assert summary.roles.text == ("4.还有什么想对我们说的_填空1",)
    assert summary.roles.user_id == "用户标识"
    assert result.records["doc_id"].tolist() == [
        "tencent_gbk:1001",
        "tencent_gbk:1002",
        "tencent_gbk:1004",
    ]
    assert result.records["text"].iloc[2] == "客服电话<手机号>一直打不通，退款也不给退！"
    assert result.records["rating"].tolist() == [2.0, 4.0, 1.0]


def test_tencent_several_fill_ins_joined(fixtures_dir: Path) -> None:
    options = IngestOptions(
        text_cols=("3.您不再续费的主要原因:其他_填空", "4.还有什么想对我们说的_填空1")
    )
    result = ingest_file(fixtures_dir / "tencent_gbk.csv", options)
    assert "公司不用了" in result.records["text"].tolist()
    assert len(result.records) == 4


def test_qualtrics_three_header_rows(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "qualtrics.csv")
    check_accounting(result)
    summary = result.files[0]
    assert (
        summary.platform == "qualtrics" and summary.rows_read == 3
    )  # header rows are not responses
    assert summary.roles.user_id == "External Data Reference"
    assert summary.roles.rating == "How likely are you to recommend us? (0-10)"
    assert result.records["doc_id"].tolist() == ["qualtrics:R_1AbCdEfGh", "qualtrics:R_2BcDeFgHi"]
    assert (
        result.records["text"].tolist()[1] == "价格太贵了，换成别家了"
    )  # traditional -> simplified
    assert result.records["rating"].tolist() == [3.0, 8.0]


def test_qualtrics_field_ids_work_as_column_names(fixtures_dir: Path) -> None:
    result = ingest_file(
        fixtures_dir / "qualtrics.csv",
        IngestOptions(text_cols=("Q3_TEXT",), user_id_col="ExternalReference"),
    )
    assert result.files[0].roles.text == ("您为什么取消订阅？请具体说明",)
    assert result.records["user_id"].tolist() == ["C-881", "C-882"]


def test_surveymonkey_two_header_rows(fixtures_dir: Path) -> None:
    result = ingest_file(
        fixtures_dir / "surveymonkey.csv", IngestOptions(user_id_col="Custom Data 1")
    )
    check_accounting(result)
    summary = result.files[0]
    assert summary.platform == "surveymonkey" and summary.rows_read == 3
    assert summary.roles.text == ("您离开的原因是什么？",)
    assert "meta:您使用过哪些功能？ - 提醒" in result.records.columns
    assert result.records["user_id"].tolist() == ["U9001", "U9002"]
    assert result.records["meta:Email Address"].fillna("").tolist() == ["<邮箱>", ""]


def test_chat_one_message_per_row(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "chat_messages.csv")
    check_accounting(result)
    summary = result.files[0]
    assert (summary.source, summary.channel) == ("service", "chat")
    assert summary.rows_in_records == 3 and summary.records == 2
    assert result.records["doc_id"].tolist() == ["chat_messages:S001", "chat_messages:S003"]
    assert result.records["text"].tolist() == [
        "会员被重复扣费了，扣了两次\n能不能快点退钱？",
        "APP一直闪退，根本没法用",
    ]
    assert result.records["created_at"].iloc[0] == pd.Timestamp("2026-05-01 10:00:35")
    assert summary.rejected == {"agent_turn": 4, "stock_phrase": 2}
    assert set(result.rejects["doc_id"]) == {
        "chat_messages:S001",
        "chat_messages:S002",
        "chat_messages:S003",
    }


def test_chat_transcript_per_session(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["会话编号", "客户ID", "开始时间", "聊天记录"])
    book.active.append(
        [
            "C1",
            "U1",
            "2026-05-01 10:00",
            "客服：您好，很高兴为您服务\n用户：在吗\n用户：宽带老是断网，修了三次都没好\n客服：请稍等\n用户：再不修好我就携号转网",
        ]
    )
    book.active.append(
        [
            "C2",
            "U2",
            "2026-05-02 11:00",
            "[2026-05-02 11:00:01] 小美(客服): 您好\n[2026-05-02 11:00:30] 张三: 套餐费怎么又涨了\n上个月还是59\n[2026-05-02 11:01:00] 小美(客服): 帮您查询",
        ]
    )
    book.active.append(["C3", "U3", "2026-05-03 12:00", "客服：您好\n用户：好的\n客服：再见"])
    path = tmp_path / "transcripts.xlsx"
    book.save(path)
    result = ingest_file(path)
    check_accounting(result)
    assert result.files[0].channel == "chat"
    assert result.records["text"].tolist() == [
        "宽带老是断网，修了三次都没好\n再不修好我就携号转网",
        "套餐费怎么又涨了\n上个月还是59",
    ]
    assert result.rejects[["doc_id", "reason"]].values.tolist() == [
        ["transcripts:3", "no_customer_text"]
    ]


def test_weibo_jsonl(fixtures_dir: Path) -> None:
    result = ingest_file(fixtures_dir / "weibo.jsonl")
    check_accounting(result)
    summary = result.files[0]
    assert (summary.file_format, summary.source) == ("jsonl", "social")
    assert result.records["text"].tolist() == [
        "又乱扣费了[怒]",
        "这个APP经常闪退，客服态度也很差😡",
        "说好的退款呢？一个月了还没到账",
    ]
    assert result.records["meta:话题"].tolist() == ["悦看视频", "", ""]
    assert result.rejects[["doc_id", "reason", "duplicate_of"]].values.tolist() == [
        ["weibo:W2", "repost_only", None],
        ["weibo:W4", "duplicate", "weibo:W3"],
    ]


def test_json_array_and_parquet(tmp_path: Path) -> None:
    rows = [{"id": 1, "评价": "物流太慢了，等了一周"}, {"id": 2, "评价": "包装很好，下次还买"}]
    json_path = tmp_path / "reviews.json"
    json_path.write_text(
        pd.DataFrame(rows).to_json(orient="records", force_ascii=False), encoding="utf-8"
    )
    parquet_path = tmp_path / "reviews.parquet"
    pd.DataFrame(rows).to_parquet(parquet_path)
    for path, file_format in ((json_path, "json"), (parquet_path, "parquet")):
        result = ingest_file(path)
        assert result.files[0].file_format == file_format
        assert result.records["text"].tolist() == ["物流太慢了，等了一周", "包装很好，下次还买"]
        assert result.records["doc_id"].tolist() == ["reviews:1", "reviews:2"]


@pytest.mark.parametrize(
    ("codec", "reported"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_tsv_utf16_excel_unicode_text(tmp_path: Path, codec: str, reported: str) -> None:
    path = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
    path.write_bytes("用户\t反馈内容\r\nU1\t信号太差了，经常掉线\r\nU2\t资费还行\r\n".encode(codec))
    result = ingest_file(path)
    assert (result.files[0].file_format, result.files[0].encoding) == ("tsv", reported)
    assert result.records["text"].tolist() == ["信号太差了，经常掉线", "资费还行"]


@pytest.mark.parametrize("source", ["survey", "service", "social"])
def test_source_option_applies_its_cleaning(tmp_path: Path, source: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("内容\n#话题# 太贵了 http://t.cn/abc\n", encoding="utf-8")
    text = ingest_file(path, IngestOptions(source=source)).records["text"].iloc[0]
    assert text == ("太贵了" if source == "social" else "#话题# 太贵了 http://t.cn/abc")


def test_email_in_a_social_post_is_masked_not_taken_for_a_mention(tmp_path: Path) -> None:
    path = tmp_path / "weibo.csv"
    path.write_text("微博内容\n退款请发邮件到 li.wei@example.com 给我回复\n", encoding="utf-8")
    assert ingest_file(path).records["text"].tolist() == ["退款请发邮件到 <邮箱> 给我回复"]


def test_qualtrics_tsv_export_in_utf16(fixtures_dir: Path, tmp_path: Path) -> None:
    """Qualtrics' TSV download is UTF-16 with a BOM."""
    frame = pd.read_csv(
        fixtures_dir / "qualtrics.csv", dtype=str, keep_default_na=False, header=None
    )
    path = tmp_path / "qualtrics.tsv"
    path.write_bytes(frame.to_csv(sep="\t", index=False, header=False).encode("utf-16"))
    result = ingest_file(path)
    assert (result.files[0].platform, result.files[0].encoding) == ("qualtrics", "utf-16")
    assert result.records["doc_id"].tolist() == ["qualtrics:R_1AbCdEfGh", "qualtrics:R_2BcDeFgHi"]


def test_wjx_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "wjx.csv"
    path.write_bytes(
        (
            "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、会员号,2、您为什么不续费了？\n"
            "1,2026/9/1 8:00:00,40秒,微信,N/A,1.1.1.1(北京),M1,自动续费没提醒就扣钱\n"
            "2,2026/9/1 9:00:00,30秒,微信,N/A,1.1.1.2(上海),M2,(跳过)\n"
            "3,2026/9/1 9:30:00,55秒,手机提交,N/A,1.1.1.3(广州),M3,内容太少了，没什么想看的\n"
        ).encode("gbk")
    )
    result = ingest_file(path, IngestOptions(user_id_col="1、会员号"))
    check_accounting(result)
    assert (result.files[0].platform, result.files[0].encoding) == ("wjx", "gbk")
    assert result.records["user_id"].tolist() == ["M1", "M3"]
    assert result.rejects["reason"].tolist() == ["empty_text"]


def test_repeated_chat_sessions_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    path.write_text(
        "会话ID,用户ID,发送者,消息内容\n"
        "S1,U1,用户,会员被重复扣费了\nS1,U1,用户,快点退钱\n"
        "S2,U1,用户,会员被重复扣费了\nS2,U1,用户,快点退钱\n",
        encoding="utf-8",
    )
    result = ingest_file(path)
    check_accounting(result)
    assert result.records["doc_id"].tolist() == ["chat:S1", "chat:S2"]
