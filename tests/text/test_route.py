"""The compiled word graph and best path give jieba's own, value for value."""

from __future__ import annotations

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba import finalseg

from feedback_miner.text import route
from feedback_miner.text.route import PURE_PYTHON_VARIABLE, compiled_route, new_jieba_tokenizer

# a dictionary word, a compound jieba keeps, unknown names for the hidden Markov model,
# Latin letters and digits, full-width punctuation, emoji, one character, nothing
SENTENCES = [
    "送餐速度很快",
    "价格便宜量又足",
    "客服态度差到极点",
    "我要携号转网",
    "张小花和李大壮在悦看视频吵了一架",
    "iPhone15的5G信号不好",
    "等了１２０分钟！！还没到？",
    "太难吃了😡😡",
    "好",
    "",
    "的的的的的的",
    "自动续费乱扣钱，退款三天没到账",
]


@pytest.fixture(scope="module")
def tokenizers(require_tool) -> tuple[jieba.Tokenizer, jieba.Tokenizer]:
    """jieba's own tokenizer and the compiled one, on one dictionary with an added word."""
    require_tool(compiled_route() is not None, "the compiled module feedback_miner.text._route")
    pure = jieba.Tokenizer()
    pure.check_initialized()
    compiled = route._CompiledTokenizer()
    compiled.FREQ, compiled.total, compiled.initialized = dict(pure.FREQ), pure.total, True
    for tokenizer in (pure, compiled):
        tokenizer.add_word("携号转网", 20000)
    return pure, compiled


def graph_and_route(tokenizer: jieba.Tokenizer, sentence: str) -> tuple[dict, list]:
    graph = tokenizer.get_DAG(sentence)
    best: dict = {}
    tokenizer.calc(sentence, graph, best)
    # each score to the last bit, and its type (the last entry is jieba's (0, 0))
    return graph, [(k, type(s).__name__, float(s).hex(), end) for k, (s, end) in best.items()]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_same_graph_path_and_tokens_as_jieba(tokenizers, sentence: str) -> None:
    pure, compiled = tokenizers
    assert graph_and_route(compiled, sentence) == graph_and_route(pure, sentence)
    assert compiled.lcut(sentence) == pure.lcut(sentence)


def test_an_added_word_is_found_by_the_compiled_graph(tokenizers) -> None:
    _, compiled = tokenizers
    assert compiled.lcut("我要携号转网") == ["我要", "携号转网"]


ALPHABET = "送餐速度很快价格便宜量又足客服态度差极点携号转网不没太好的了吗呢Ab5０，！？ 😡"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_text_gets_the_graph_path_and_tokens_of_jieba(tokenizers, sentence: str) -> None:
    pure, compiled = tokenizers
    assert graph_and_route(compiled, sentence) == graph_and_route(pure, sentence)
    assert compiled.lcut(sentence) == pure.lcut(sentence)


# characters jieba's dictionary rarely joins, so that runs reach the hidden Markov model
UNKNOWN = "张李王小花大壮明丽娟强伟芳秀英华军平刚桂兰云峰悦看吵架了和在"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=UNKNOWN + "ab1", min_size=1, max_size=30))
def test_unknown_runs_get_the_words_of_jieba_s_markov_model(tokenizers, run: str) -> None:
    assert route._unknown(run) == list(finalseg.cut(run))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=UNKNOWN, min_size=1, max_size=30))
def test_the_compiled_model_decodes_as_jieba(tokenizers, text: str) -> None:
    _, states = finalseg.viterbi(text, "BMES", finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
    words, begin, last = [], 0, 0
    for i, state in enumerate(states):
        if state == "B":
            begin = i
        elif state in "ES":
            words.append(text[begin if state == "E" else i : i + 1])
            last = i + 1
    words += [text[last:]] if last < len(text) else []
    found = compiled_route().hmm(
        text,
        "BMES",
        finalseg.start_P,
        finalseg.trans_P,
        finalseg.emit_P,
        finalseg.PrevStatus,
        finalseg.MIN_FLOAT,
    )
    assert found == words


def test_a_forced_split_is_kept(tokenizers, monkeypatch) -> None:
    """jieba splits a word its model found into characters when ``add_word(word, 0)``
    asked for it (``finalseg.Force_Split_Words``, read when cutting)."""
    pure, compiled = tokenizers
    text = "悦看视频的李娟强说"  # the model joins 李娟, a word the dictionary lacks
    word = next(w for w in pure.lcut(text) if len(w) > 1 and w not in pure.FREQ)
    monkeypatch.setattr(finalseg, "Force_Split_Words", {word})
    assert word not in compiled.lcut(text)
    assert compiled.lcut(text) == pure.lcut(text)


def test_a_word_of_frequency_zero_is_a_prefix_only(tokenizers) -> None:
    """jieba keeps every prefix of a word with frequency 0: the graph walks through it
    but does not end a word there."""
    pure, compiled = tokenizers
    assert compiled.get_DAG("携号转") == pure.get_DAG("携号转")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.dag("送餐", ["送"]), "dag(sentence, freq) takes a str and a dict"),
        (lambda m: m.dag(b"x", {}), "dag(sentence, freq) takes a str and a dict"),
        (
            lambda m: m.calc("送餐", {}, {}, {}, 1),
            "calc(sentence, dag, route, freq, logtotal) takes a str, three dicts and a float",
        ),
        (
            lambda m: m.cut("送餐", {}, 1.0, None),
            "cut(sentence, freq, logtotal, unknown) takes a str, a dict, a float and a function",
        ),
        (
            lambda m: m.cut("张李", {}, 1.0, lambda run: (run,)),
            "cut's unknown(run) must return a list of str",
        ),
        (
            lambda m: m.hmm("张", "BMS", {}, {}, {}, {}, -1.0),
            "hmm(text, states, start, trans, emit, previous, floor) takes a str, a str of 4 "
            "states, four dicts and a float",
        ),
    ],
)
def test_wrong_arguments_get_a_type_error(tokenizers, call, message: str) -> None:
    with pytest.raises(TypeError) as info:
        call(compiled_route())
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        ({0: [0]}, "dag has no list of ends at 1"),
        ({0: [0], 1: []}, "dag has no list of ends at 1"),
        ({0: [0], 1: [5]}, "dag end 5 is outside the sentence"),
    ],
)
def test_a_malformed_graph_gets_a_value_error(tokenizers, graph, message: str) -> None:
    with pytest.raises(ValueError) as info:
        compiled_route().calc("送餐", graph, {}, {}, 1.0)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "tables", "message"),
    [
        ("", None, "hmm needs a text of one character or more"),
        (
            "张",
            {"start": {}},
            "hmm's tables need every state in start, trans, emit and previous "
            "(two states before each)",
        ),
        ("张", {"previous": {"B": "EX", "M": "MB", "S": "SE", "E": "BM"}}, None),
    ],
)
def test_malformed_model_tables_get_a_value_error(tokenizers, text, tables, message) -> None:
    given = {
        "start": finalseg.start_P,
        "trans": finalseg.trans_P,
        "emit": finalseg.emit_P,
        "previous": finalseg.PrevStatus,
        **(tables or {}),
    }
    with pytest.raises(ValueError) as info:
        compiled_route().hmm(
            text,
            "BMES",
            given["start"],
            given["trans"],
            given["emit"],
            given["previous"],
            finalseg.MIN_FLOAT,
        )
    assert str(info.value) == (message or "hmm's previous names a state not in states")


def test_the_variable_asks_for_jieba_s_own_python(monkeypatch) -> None:
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    assert compiled_route() is None
    assert type(new_jieba_tokenizer()) is jieba.Tokenizer


@pytest.mark.parametrize("value", ["", "0"])
def test_the_variable_unset_or_zero_leaves_the_compiled_path(monkeypatch, value: str) -> None:
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, value)
    assert compiled_route() is route._compiled
