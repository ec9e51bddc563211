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


def test_dictionary_tags_are_the_taggers_table_without_importing_the_tagger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import jieba
    from jieba.posseg import POSTokenizer

    from feedback_miner.text.tokenize import dictionary_tags

    monkeypatch.setenv("FEEDBACK_MINER_CACHE", str(tmp_path / "cache"))
    tokenizer = jieba.Tokenizer()
    built = dictionary_tags(tokenizer)
    assert built == POSTokenizer(tokenizer).word_tag_tab
    assert [p.name.startswith("word-tags-") for p in (tmp_path / "cache").iterdir()] == [True]
    assert dictionary_tags(tokenizer) == built  # loaded back
    assert "jieba.posseg" in sys.modules  # imported above by this test, never by the module


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            b"\xe7\xbd\x91\xe9\x80\x9f 30 n\n\n  \xe5\xb7\xb2\xe7\xbb\x8f 5 d  \n",
            {"网速": "n", "已经": "d"},
        ),
        (b"\xe7\xbd\x91\xe9\x80\x9f 30 n\r\n", {"网速": "n"}),
    ],
)
def test_dictionary_tag_lines(tmp_path: Path, lines: bytes, expected: dict[str, str]) -> None:
    import jieba

    from feedback_miner.text.tokenize import dictionary_tags

    path = tmp_path / "dict.txt"
    path.write_bytes(lines)
    assert dictionary_tags(jieba.Tokenizer(str(path))) == expected


def test_a_dictionary_line_without_three_fields_is_an_error_that_names_it(tmp_path: Path) -> None:
    import jieba

    from feedback_miner.text.tokenize import dictionary_tags

    path = tmp_path / "dict.txt"
    path.write_text("网速 30 n\n已经 5\n", encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        dictionary_tags(jieba.Tokenizer(str(path)))
    assert str(caught.value) == (
        f"{path}, line 2: '已经 5' is not 'word frequency tag' separated by single spaces."
    )


def test_word_tags_come_from_the_dictionary_and_the_added_words() -> None:
    tokenizer = ChineseTokenizer()
    assert (tokenizer.word_tag("网速"), tokenizer.word_tag("已经")) == ("n", "d")
    assert tokenizer.word_tag("携号转网") != "" and tokenizer.word_tag("不是一个词xyz") == ""
