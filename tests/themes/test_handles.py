"""Helpdesk threads on Weibo address accounts such as @星联通信客服: the 客服 in them is
no service complaint (tests/fixtures/helpdesk_weibo.csv, written by us)."""

import re

import pytest

from feedback_miner.engines import analyze_records
from feedback_miner.ingest import ingest_file
from feedback_miner.stages import AnalyzerSpec
from feedback_miner.themes import load_taxonomy

# handles as a reader sees them: up to a space or punctuation, or up to 客服 when run into the text
_HANDLE = re.compile(r"(?:回复)?@[\w\-]{1,30}?(?:客服|(?=[\s,，。:：]|$))[:：]?|//@.*")


@pytest.fixture(scope="module")
def analysed(fixtures_dir):
    records = ingest_file(fixtures_dir / "helpdesk_weibo.csv").records
    taxonomy = load_taxonomy()
    docs, mentions = analyze_records(records, AnalyzerSpec(taxonomy=taxonomy))
    return records, docs, mentions, taxonomy


def test_no_mention_rests_only_on_a_handle(analysed) -> None:
    records, _, mentions, _ = analysed
    assert len(mentions)
    for evidence in mentions["evidence"]:
        assert "@" not in evidence and "//" not in evidence and "http" not in evidence
    # the same texts with every handle and repost chain cut out keep every mention
    stripped = records.assign(text=records["text"].map(lambda t: _HANDLE.sub(" ", t)))
    _, again = analyze_records(stripped, AnalyzerSpec(taxonomy=load_taxonomy()))
    pairs = set(zip(mentions["doc_id"], mentions["theme_id"], strict=True))
    assert pairs == set(zip(again["doc_id"], again["theme_id"], strict=True))


def test_service_mentions_are_the_customers_complaints(analysed) -> None:
    _, _, mentions, _ = analysed
    service = mentions[mentions["theme_id"] == "service"]
    assert sorted(service["doc_id"].str.split(":").str[1]) == ["H003", "H009", "H010"]
    # 星联4G真快@星联通信客服: praise of the network, no service mention
    h002 = mentions[mentions["doc_id"].str.endswith("H002")]
    assert h002["theme_id"].tolist() == ["network"] and h002["sentiment_score"].iloc[0] > 0


def test_repost_chains_are_other_peoples_words(analysed) -> None:
    _, _, mentions, _ = analysed
    h007 = mentions[mentions["doc_id"].str.endswith("H007")]
    assert set(h007["theme_id"]) == {"network", "broadband"}  # 宽带断了三天, not the 占线 reposted


def test_addressee_is_the_organisation_addressed(analysed) -> None:
    _, docs, _, _ = analysed
    addressed = dict(zip(docs["doc_id"].str.split(":").str[1], docs["addressee"], strict=True))
    assert addressed["H001"] == "星联通信"  # @星联通信 @星联通信客服 @星联通信广东客服
    assert addressed["H004"] == "悦看视频"  # @悦看视频官方
    assert addressed["H013"] == "极光手机"  # @极光手机官方微博
    assert addressed["H007"] == ""  # the only handle is inside someone else's repost
    columns = list(docs.columns)
    assert columns.index("addressee") > columns.index("themes")
