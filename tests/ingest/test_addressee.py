"""The organisation a text addresses is kept as the records' ``addressee`` column."""

from pathlib import Path

import pandas as pd

from feedback_miner.ingest import ADDRESSEE_COLUMN, RECORD_COLUMNS, IngestOptions, ingest_file


def test_social_posts_keep_the_addressee_of_the_handles_they_lose(tmp_path: Path) -> None:
    path = tmp_path / "weibo.csv"
    pd.DataFrame(
        {
            "微博内容": [
                "@悦看视频官方 会员又涨价了",
                "回复@小王:同感，客服太慢",
                "片库太少了",
            ],
            "转发数": [1, 2, 3],
        }
    ).to_csv(path, index=False)
    records = ingest_file(path, IngestOptions(source="social")).records
    assert list(records.columns[: len(RECORD_COLUMNS) + 1]) == [*RECORD_COLUMNS, ADDRESSEE_COLUMN]
    assert records["addressee"].tolist() == ["悦看视频", "", ""]
    assert records["text"].tolist() == ["会员又涨价了", "同感，客服太慢", "片库太少了"]


def test_chat_sessions_get_the_addressee_of_their_messages(fixtures_dir: Path) -> None:
    records = ingest_file(fixtures_dir / "helpdesk_weibo.csv").records.set_index("doc_id")
    assert records.loc["helpdesk_weibo:H001", "addressee"] == "星联通信"
    # the service text keeps the handles as written; matching reads past them
    assert records.loc["helpdesk_weibo:H001", "text"].startswith("@星联通信 @星联通信客服")
