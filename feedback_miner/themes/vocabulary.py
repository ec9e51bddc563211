"""The words topic discovery may build a reason from.

A topic model groups whatever words recur together. In feedback the most
frequent such words are moods (不好, 差评, 满意), function words (不是, 已经,
还是), and names: brands, @handles and the footers a site copies into every
review. None of them says *why* a customer is unhappy, so they are kept out:

- entities (handles, replies, reposts, links, tags, boilerplate, organisation
  names) are cut out with the themes' :class:`~feedback_miner.text.entities.EntityFinder`;
- judgement words of the sentiment lexicon whose domain is ``general`` or
  ``slang`` are moods; domain words (闪退, 异响, 顿挫) name a fault and stay,
  and so does a general complaint that names a thing or an event (a noun or
  verb: 故障, 退款, 假货) which a built-in taxonomy lists as a reason's keyword;
- stopwords, negators, degree adverbs, particles and words whose dictionary
  part of speech is a function class (adverb, pronoun, conjunction, numeral,
  measure word, time word, person or place name) are dropped, and so are the
  closed classes jieba tags as verbs (``lexicons/auxiliary_words.tsv``: modal
  verbs such as 只能, directional complements such as 起来, verbs that narrate
  such as 希望), and the fragments the tokenizer leaves of a phrase that begin
  with a pronoun (我要, 我点, 这台: words the dictionary does not know);
- every organisation name of ``lexicons/organisations.tsv``, ambiguous ones too
  (小米, 大众): in discovery a brand is never the reason.

What is left is cut into *runs* of adjacent content words, so that a
collocation (变速箱 + 顿挫, 自动 + 续费) can be joined into one phrase
(:func:`learn_phrases`) only where its parts stood side by side.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..resources import lexicon_file, read_table
from ..text import ChineseTokenizer, split_clauses
from ..text.entities import EntityFinder, load_organisations
from .taxonomy import PACKS, load_pack

__all__ = ["Phrases", "ReasonVocabulary", "learn_phrases"]

# judgement words of these lexicon domains only judge; the others name a fault
_MOOD_DOMAINS = frozenset({"general", "slang", ""})
# dictionary parts of speech that never name a reason: adverbs, pronouns, conjunctions,
# prepositions, particles, numerals, measure words, time and direction words, interjections,
# onomatopoeia, person, place and organisation names, state words, affixes
_FUNCTION_TAGS = frozenset(
    [
        "d",
        "df",
        "dg",
        "ad",
        "p",
        "c",
        "u",
        "uj",
        "ul",
        "uz",
        "ud",
        "ug",
        "uv",
        "r",
        "rr",
        "rz",
        "rg",
        "m",
        "mq",
        "q",
        "y",
        "e",
        "o",
        "t",
        "tg",
        "f",
        "x",
        "h",
        "k",
        "nr",
        "nrt",
        "nrfg",
        "ns",
        "nt",
        "z",
        "zg",
    ]
)
_CONTENT = re.compile(r"^(?:[\u4e00-\u9fff]+|[a-z][a-z0-9]+|[0-9]+[a-z]+[a-z0-9]*)$")
_FUNCTION_FILES = (
    ("negators.tsv", "word"),
    ("degree_adverbs.tsv", "word"),
    ("particles.tsv", "word"),
    ("contrast.tsv", "word"),
    ("question_words.tsv", "word"),
    ("scope_words.tsv", "word"),
)
_AUXILIARY = "auxiliary_words.tsv"
# a judgement that names a complaint after its keyword is a short word (差, 太慢, 不稳定)
_JUDGEMENT_CHARS = 3


# parts of speech of a thing or an event (故障, 退款, 假货), not of a quality
_EVENT_TAGS = frozenset({"n", "ng", "nz", "v", "vn"})


def _pack_keywords() -> frozenset[str]:
    """Every keyword of the built-in taxonomy packs: words the team wrote down as reasons."""
    return frozenset(
        keyword.lower()
        for pack in PACKS
        for theme in load_pack(pack).themes
        for keyword in theme.keywords
    )


def _column(name: str, column: str) -> set[str]:
    return {row[column].lower() for row in read_table(lexicon_file(name), [column])}


@dataclass(frozen=True)
class Phrases:
    """Collocations learned from a corpus: pairs of adjacent words joined into one."""

    pairs: frozenset[tuple[str, str]] = frozenset()

    def join(self, run: Sequence[str]) -> list[str]:
        """``run`` with every learned pair joined, left to right (a word joins once)."""
        out: list[str] = []
        i = 0
        while i < len(run):
            if i + 1 < len(run) and (run[i], run[i + 1]) in self.pairs:
                out.append(run[i] + run[i + 1])
                i += 2
            else:
                out.append(run[i])
                i += 1
        return out


def learn_phrases(
    runs_by_text: Sequence[Sequence[Sequence[str]]],
    *,
    min_documents: int = 4,
    min_share: float = 0.003,
    min_npmi: float = 0.45,
) -> Phrases:
    """Pairs of adjacent words that occur together far more often than by chance.

    A pair of words of two or more characters each is a phrase when it stands
    side by side in at least ``min_documents`` texts (and ``min_share`` of
    them) and its normalised pointwise mutual information over texts is at
    least ``min_npmi`` (1: the words only occur together; 0: independent).

    Examples
    --------
    >>> runs = [[["变速箱", "顿挫"]]] * 5 + [[["油耗", "高"]], [["高", "速"]]] * 3
    >>> sorted(learn_phrases(runs).pairs)
    [('变速箱', '顿挫')]
    """
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for runs in runs_by_text:
        words.update({w for run in runs for w in run})
        pairs.update({(a, b) for run in runs for a, b in itertools.pairwise(run)})
    n = max(1, len(runs_by_text))
    needed = max(min_documents, math.ceil(min_share * n))
    kept = set()
    for (a, b), count in pairs.items():
        # a single character joins nothing: jieba leaves one where it cut a word apart (费+收)
        if count < needed or a == b or min(len(a), len(b)) < 2:
            continue
        p_ab = count / n
        if p_ab >= 1:
            continue
        npmi = math.log(p_ab / ((words[a] / n) * (words[b] / n))) / -math.log(p_ab)
        if npmi >= min_npmi:
            kept.add((a, b))
    return Phrases(frozenset(kept))


class ReasonVocabulary:
    """Cuts texts into the words that can name a reason (see the module's text).

    Parameters
    ----------
    tokenizer : ChineseTokenizer
        The analysis's tokenizer.
    finder : EntityFinder, optional
        The entity finder (with the corpus's handles and boilerplate); a
        default one when not given.

    Examples
    --------
    >>> vocabulary = ReasonVocabulary(ChineseTokenizer())
    >>> vocabulary.runs("@中国联通客服 真的很差，已经断网三天了")
    [['断网']]
    >>> vocabulary.is_filler("差评"), vocabulary.is_filler("已经"), vocabulary.is_filler("断网")
    (True, True, False)
    """

    def __init__(self, tokenizer: ChineseTokenizer, *, finder: EntityFinder | None = None) -> None:
        self.finder = finder or EntityFinder()
        self.tokenizer = tokenizer
        rows = read_table(lexicon_file("sentiment_words.tsv"), ["word", "weight"])
        reasons = _pack_keywords()
        self.moods = frozenset(
            r["word"].lower()
            for r in rows
            if r.get("domain", "") in _MOOD_DOMAINS
            and not (
                r["word"].lower() in reasons
                and r["weight"].startswith("-")
                and tokenizer.word_tag(r["word"]) in _EVENT_TAGS
            )
        )
        function = set(tokenizer.stopwords)
        for name, column in _FUNCTION_FILES:
            function |= _column(name, column)
        auxiliary = read_table(lexicon_file(_AUXILIARY), ["word", "class"])
        function |= {r["word"] for r in auxiliary}
        self.function_words = frozenset(function)
        self._negators = frozenset(w for w in _column("negators.tsv", "word") if len(w) == 1)
        organisations = load_organisations()
        self.names = frozenset(o.name.lower() for o in organisations)
        # a word holding an unambiguous name is a product of it (百度外卖, 招行信用卡)
        self._name_parts = tuple(
            o.name.lower() for o in organisations if not o.ambiguous and len(o.name) >= 2
        )
        self._kinds: dict[str, str] = {}
        self.modifiers = tuple(
            sorted(
                _column("degree_adverbs.tsv", "word") | _column("negators.tsv", "word"),
                key=len,
                reverse=True,
            )
        )
        self._longest_mood = max((len(m) for m in self.moods), default=0)
        short = [r for r in rows if len(r["word"]) <= _JUDGEMENT_CHARS]
        self._complaint_moods = frozenset(
            r["word"].lower() for r in short if r["weight"].startswith("-")
        )
        self._praise_moods = frozenset(
            r["word"].lower() for r in short if not r["weight"].startswith("-")
        )

    def kind(self, word: str) -> str:
        """Why ``word`` cannot name a reason: ``mood``, ``function``, ``name``, or ``""``."""
        known = self._kinds.get(word)
        if known is not None:
            return known
        lowered = word.lower()
        kind = ""
        if lowered in self.names or any(name in lowered for name in self._name_parts):
            kind = "name"
        elif lowered in self.moods:
            kind = "mood"
        elif (
            lowered in self.function_words
            or not _CONTENT.match(lowered)
            or self.tokenizer.word_tag(word) in _FUNCTION_TAGS
            or self._is_fragment(lowered)
        ):
            kind = "function"
        self._kinds[word] = kind
        return kind

    def _is_fragment(self, word: str) -> bool:
        """Whether ``word`` is a piece the tokenizer cut from a phrase: a word the dictionary
        does not know that begins with a pronoun (我要, 这台)."""
        return self.tokenizer.word_tag(word) == "" and self.tokenizer.word_tag(word[0]) == "r"

    def content_part(self, token: str) -> str:
        """``token`` without the judgement jieba keeps inside it, or ``""`` when it only judges.

        A degree adverb or negator before a mood word (挺好吃, 太慢, 不好吃) is
        all judgement; a mood word at the end of a longer token (速度慢,
        服务差, 价格太贵) leaves the thing judged.

        Examples
        --------
        >>> vocabulary = ReasonVocabulary(ChineseTokenizer())
        >>> [vocabulary.content_part(t) for t in ("挺好吃", "速度慢", "送餐")]
        ['', '速度', '送餐']
        """
        lowered = token.lower()
        for modifier in self.modifiers:
            if lowered.startswith(modifier) and lowered[len(modifier) :] in self.moods:
                return ""
        for size in range(min(self._longest_mood, len(lowered) - 1), 0, -1):
            if lowered[-size:] in self.moods:
                rest = lowered[:-size]
                while rest and any(rest.endswith(m) for m in self.modifiers):
                    rest = rest[: -next(len(m) for m in self.modifiers if rest.endswith(m))]
                return "" if len(rest) < 2 or self.is_filler(rest) else rest
        return token

    def judged_phrase(self, keyword: str, texts: Iterable[str], *, least: int = 2) -> str:
        """The complaint customers most often make of ``keyword`` in ``texts``: the keyword
        with the negative judgement that follows it (送餐 -> 送餐慢, 隔音 -> 隔音差), degree
        adverbs between them dropped, negators kept (隔音不好); ``""`` when no such
        judgement follows it in ``least`` texts.

        Examples
        --------
        >>> vocabulary = ReasonVocabulary(ChineseTokenizer())
        >>> vocabulary.judged_phrase("隔音", ["隔音太差了", "房间隔音很差", "隔音一般，前台还行"])
        '隔音差'
        >>> vocabulary.judged_phrase("前台", ["前台热情", "前台在哪"])
        ''
        """
        counts: Counter[str] = Counter()
        lowered = keyword.lower()
        for text in texts:
            tokens = [t.lower() for t in self.tokenizer.cut(text) if t.strip()]
            found: set[str] = set()
            for i, token in enumerate(tokens):
                if not token.startswith(lowered):
                    continue
                rest = [token[len(lowered) :]] if token != lowered else []
                judgement = self._judgement("".join(rest + tokens[i + 1 : i + 4]))
                if judgement:
                    found.add(lowered + judgement)
            counts.update(found)
        if not counts:
            return ""
        phrase, count = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        return phrase if count >= least else ""

    def _judgement(self, following: str) -> str:
        """The negative judgement that ``following`` opens with, degree adverbs cut out
        (很差 -> 差, 不太好 -> 不好), or ``""``."""
        rest, negated = following, ""
        for _ in range(4):
            modifier = next(
                (
                    m
                    for m in self.modifiers
                    if rest.startswith(m) and self._opens_mood(rest[len(m) :])
                ),
                "",
            )
            if not modifier:
                break
            if modifier[0] in self._negators:
                negated = modifier[0]
            rest = rest[len(modifier) :]
        for size in range(min(_JUDGEMENT_CHARS, len(rest)), 0, -1):
            head = rest[:size]
            if negated and (head in self._praise_moods or negated + head in self._complaint_moods):
                return negated + head
            if not negated and head in self._complaint_moods:
                return head
        return ""

    def _opens_mood(self, text: str) -> bool:
        return any(
            text[:size] in self._praise_moods or text[:size] in self._complaint_moods
            for size in range(1, min(_JUDGEMENT_CHARS, len(text)) + 1)
        )

    def is_filler(self, word: str) -> bool:
        """Whether ``word`` is a mood, a function word or a name."""
        return bool(self.kind(word))

    def runs(self, text: str) -> list[list[str]]:
        """The runs of adjacent content words of ``text`` (entities cut out first).

        Single characters stay in a run (they may join a phrase) but are
        dropped by :meth:`words` when they did not.
        """
        runs: list[list[str]] = []
        pieces = (p for c in split_clauses(self.finder.strip(text)) for p in c.split())
        for piece in pieces:
            current: list[str] = []
            for cut in self.tokenizer.cut(piece):
                token = cut if self.is_filler(cut) else self.content_part(cut)
                if not token or self.is_filler(token):
                    if current:
                        runs.append(current)
                    current = []
                else:
                    current.append(token)
            if current:
                runs.append(current)
        return runs

    @staticmethod
    def words(runs: Iterable[Sequence[str]], phrases: Phrases) -> list[str]:
        """The words of ``runs`` with ``phrases`` joined; single characters left out."""
        return [w for run in runs for w in phrases.join(run) if len(w) >= 2]
