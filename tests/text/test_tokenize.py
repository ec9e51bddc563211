from pathlib import Path

import pytest

from feedback_miner.errors import LexiconError
from feedback_miner.text import ChineseTokenizer


def test_user_dictionary_words_stay_whole(matcher) -> None:
    tokens = matcher.tokenizer_.cut("我要携号转网，自动续费乱扣费")
    assert "携号转网" in tokens
    assert "自动续费" in tokens
    assert "乱扣费" in tokens


def test_punctuation_and_spaces_are_dropped_and_ascii_lowercased(matcher) -> None:
    assert matcher.tokenizer_.cut("BUG，闪退！！") == ["bug", "闪退"]


def test_content_tokens_drop_stopwords(matcher) -> None:
    assert "的" not in matcher.tokenizer_.content_tokens("客服的态度很差")


def test_own_tokenizer_does_not_touch_jieba_globals() -> None:
    import jieba

    ChineseTokenizer(extra_words=["悦看视频会员"])
    assert "悦看视频会员" not in jieba.dt.FREQ


def test_bad_user_dictionary_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.tsv"
    bad.write_text("word\tfreq\ttag\n携号转网\tmany\tn\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        ChineseTokenizer(user_dict=bad)
    assert (
        str(info.value)
        == f"{bad}: the frequency of '携号转网' is 'many'; it must be a whole number."
    )


def test_bad_header_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.tsv"
    bad.write_text("词\t频率\n携号转网\t5\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        ChineseTokenizer(user_dict=bad)
    assert str(info.value) == (
        f"{bad}, line 1: the header is ['词', '频率']; it must start with the "
        "tab-separated columns ['word', 'freq', 'tag']."
    )


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("价格便宜", ["价格", "便宜"]),  # a jieba compound made of our words is split
        ("贵宾厅", ["贵宾厅"]),  # not made of our words: kept
        ("不好意思", ["不好意思"]),
    ],
)
def test_compounds_split_into_our_vocabulary(text: str, tokens: list[str]) -> None:
    tokenizer = ChineseTokenizer(split_words=["价格", "便宜", "贵", "不好", "不"])
    assert tokenizer.cut(text) == tokens
