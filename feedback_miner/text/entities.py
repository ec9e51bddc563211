"""What in a customer's text is no evidence of a theme: handles, replies, reposts, links,
hashtags, masked personal data, review titles, organisation names and boilerplate.

On Weibo helpdesk threads nearly every message addresses an account such as
``@中国电信客服``; the keyword 客服 inside it says nothing about the service.
The same holds for ``回复@昵称:``, ``//@转发者:`` chains (other people's words),
URLs, ``#话题#`` tags, placeholders of masked personal data (``<手机号>``), a
review's ``【店名】`` title, brand and company names (大众点评, 腾讯视频, 顺丰快递
hold category words) and footers repeated across many documents.

:class:`EntityFinder` finds these spans. :meth:`EntityFinder.view` gives the
text with each span replaced, character for character, by a private-use mark
that the tokenizer and the sentiment lexicon never read (:data:`MASK`, or
:data:`ORGANISATION_MASK` for organisation names, so that rules can still see
that a name stood there); since lengths are kept, a clause of the masked text
maps back to the customer's own words (:meth:`EntityView.evidence`).
:meth:`EntityFinder.strip` removes the spans outright, for topic discovery.
:meth:`EntityFinder.addressee` names the organisation a text addresses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

import ahocorasick

from ..resources import lexicon_file, read_table
from .pii import PII_PLACEHOLDERS

__all__ = [
    "MASK",
    "ORGANISATION_MASK",
    "Entity",
    "EntityFinder",
    "EntityKind",
    "EntityView",
    "Organisation",
    "load_organisations",
]

EntityKind = Literal[
    "repost",
    "url",
    "reply",
    "handle",
    "hashtag",
    "placeholder",
    "title",
    "boilerplate",
    "organisation",
]
MASK = "\ue000"
ORGANISATION_MASK = "\ue001"

# the order of EntityKind decides between overlapping spans: a repost chain swallows its handles
_PRIORITY: dict[str, int] = {kind: i for i, kind in enumerate(get_args(EntityKind))}
_REPOST = re.compile(r"//\s*[@＠]")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？、；）)】]+|\b[a-z]{1,4}\.cn/\w+|O?网页链接", re.I
)
_REPLY = re.compile(r"回复\s*[@＠][^\s@＠:：，,。！!？?、；;]{1,30}\s*[:：]")
_HANDLE_CHAR = re.compile(r"[^\W_\ue000\ue001]|[_\-·]")
_HASHTAG = re.compile(r"#[^#\n]{1,40}#")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PII_PLACEHOLDERS))
_TITLE = re.compile(r"^\s*【[^【】\n]{1,30}】")
_COMPANY = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,8}(?:股份有限公司|有限责任公司|有限公司|官方旗舰店|旗舰店|专卖店|专营店)"
)
# a nickname is at most 30 "width" (a Chinese character counts two)
_MAX_HANDLE_WIDTH = 30
# after an organisation's name or role word, a tail this short is still the account's
# (@花粉助手小D, @vivo智能手机); a longer one is the customer's words run into it
_NAME_TAIL = 4


@dataclass(frozen=True)
class Entity:
    """One span of a text that is no evidence of a theme.

    Attributes
    ----------
    kind : str
        ``repost, url, reply, handle, hashtag, placeholder, title, boilerplate``
        or ``organisation``.
    start, end : int
        The span, ``text[start:end]``.
    text : str
        What it covers.
    """

    kind: EntityKind
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityView:
    """A text, the same text with its entities masked, and the entities.

    Attributes
    ----------
    text : str
        The text as given.
    masked : str
        ``text`` with every entity character replaced by :data:`MASK`
        (organisation names by :data:`ORGANISATION_MASK`); same length.
    entities : tuple of Entity
        The spans, in order, not overlapping.
    """

    text: str
    masked: str
    entities: tuple[Entity, ...]

    def evidence(self, start: int, end: int) -> str:
        """``masked[start:end]`` as a reader should see it: organisation names as written,
        the other entities left out.

        Examples
        --------
        >>> view = EntityFinder().view("@中国联通客服 中国联通的信号太差")
        >>> view.evidence(0, len(view.text))
        '中国联通的信号太差'
        """
        pieces = []
        for i in range(start, min(end, len(self.masked))):
            char = self.masked[i]
            if char == ORGANISATION_MASK:
                pieces.append(self.text[i])
            elif char != MASK:
                pieces.append(char)
        return " ".join("".join(pieces).split())

    def spans(self, clauses: Iterable[str]) -> list[tuple[int, int]]:
        """Where each of ``clauses`` (pieces of :attr:`masked`, in order) starts and ends."""
        found: list[tuple[int, int]] = []
        position = 0
        for clause in clauses:
            start = self.masked.find(clause, position)
            if start < 0:  # a clause stitched from separated pieces: take its first piece
                start = self.masked.find(clause[:1], position)
                start = position if start < 0 else start
            found.append((start, start + len(clause)))
            position = start + len(clause) if start >= position else position
        return found


@dataclass(frozen=True)
class Organisation:
    """A name from ``lexicons/organisations.tsv``."""

    name: str
    canonical: str
    domain: str
    ambiguous: bool


@lru_cache(maxsize=1)
def load_organisations() -> tuple[Organisation, ...]:
    """The organisation and brand names of ``lexicons/organisations.tsv``."""
    rows = read_table(
        lexicon_file("organisations.tsv"), ["name", "canonical", "domain", "ambiguous"]
    )
    return tuple(
        Organisation(r["name"], r["canonical"], r["domain"], r["ambiguous"] == "yes") for r in rows
    )


@lru_cache(maxsize=1)
def _affixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = read_table(lexicon_file("handle_affixes.tsv"), ["affix", "kind"])
    roles = tuple(sorted((r["affix"] for r in rows if r["kind"] == "role"), key=len, reverse=True))
    places = tuple(
        sorted((r["affix"] for r in rows if r["kind"] == "place"), key=len, reverse=True)
    )
    return roles, places


def _width(text: str) -> int:
    return sum(1 if ord(c) < 0x2E80 else 2 for c in text)


def _automaton(words: Iterable[str]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    for word in words:
        if word:
            automaton.add_word(word.lower(), word.lower())
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


class EntityFinder:
    """Finds the entities of texts; build once, use for many texts.

    Parameters
    ----------
    names : iterable of str
        Organisation and product names to keep out of matching besides the
        unambiguous names of ``lexicons/organisations.tsv`` (a taxonomy's
        competitor names; names of two characters are left out, as they are
        often ordinary words: 移动, 小米).
    handles : iterable of str
        Account names seen in the corpus, without ``@`` (see
        :func:`~feedback_miner.text.boilerplate.known_handles`): where a handle
        runs into the text without a space, the longest of these ends it.
    boilerplate : iterable of str
        Clauses repeated across many documents (see
        :func:`~feedback_miner.text.boilerplate.find_boilerplate`).

    Examples
    --------
    >>> finder = EntityFinder()
    >>> [(e.kind, e.text) for e in finder.find("回复@小王:同感 @中国电信客服 详见 http://t.cn/A6x")]
    [('reply', '回复@小王:'), ('handle', '@中国电信客服'), ('url', 'http://t.cn/A6x')]
    >>> finder.strip("电信4G真快@中国电信客服")
    '电信4G真快'
    >>> finder.addressee("@中国联通 @中国联通客服 @中国联通广东客服 网速太慢")
    '中国联通'
    """

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        handles: Iterable[str] = (),
        boilerplate: Iterable[str] = (),
    ) -> None:
        organisations = load_organisations()
        self._canonical = {o.name.lower(): o.canonical for o in organisations}
        masked = [o.name for o in organisations if not o.ambiguous]
        masked += [
            n for n in names if len(n.strip()) >= 3 and n.strip().lower() not in self._ambiguous()
        ]
        self._names = _automaton(masked)
        self._all_names = _automaton(o.name for o in organisations)
        self._handles = tuple(sorted({h for h in handles if h}, key=len, reverse=True))
        self._boilerplate = _automaton(boilerplate)
        self._roles, self._places = _affixes()

    @staticmethod
    def _ambiguous() -> frozenset[str]:
        return frozenset(o.name.lower() for o in load_organisations() if o.ambiguous)

    def find(self, text: str) -> tuple[Entity, ...]:
        """The entities of ``text``, in order; where two overlap the stronger kind wins."""
        spans: list[tuple[int, int, str]] = []
        for repost in _REPOST.finditer(text):
            # the chain runs to the end of its line: a chat's next message is the customer's again
            line_end = text.find("\n", repost.start())
            spans.append((repost.start(), len(text) if line_end < 0 else line_end, "repost"))
        for kind, pattern in (
            ("url", _URL),
            ("reply", _REPLY),
            ("hashtag", _HASHTAG),
            ("placeholder", _PLACEHOLDER),
            ("title", _TITLE),
            ("organisation", _COMPANY),
        ):
            spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
        spans += [(s, e, "handle") for s, e in self._handle_spans(text)]
        lowered = text.lower()
        for automaton, kind in ((self._boilerplate, "boilerplate"), (self._names, "organisation")):
            if automaton is not None:
                for end, word in automaton.iter(lowered):
                    start = end - len(word) + 1
                    if _word_bounded(lowered, start, end + 1, word):
                        spans.append((start, end + 1, kind))
        kept: list[tuple[int, int, str]] = []
        for start, end, kind in sorted(spans, key=lambda s: (_PRIORITY[s[2]], s[0], s[0] - s[1])):
            if all(end <= k_start or start >= k_end for k_start, k_end, _ in kept):
                kept.append((start, end, kind))
        kept.sort()
        return tuple(Entity(kind, s, e, text[s:e]) for s, e, kind in kept)  # type: ignore[arg-type]

    def _handle_spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for match in re.finditer(r"[@＠]", text):
            at = match.start()
            if text[max(0, at - 2) : at] == "//":
                continue
            end = at + 1
            while end < len(text) and _HANDLE_CHAR.match(text[end]):
                end += 1
            body = text[at + 1 : end]
            if body:
                spans.append((at, at + 1 + len(self._handle_body(body))))
        return spans

    def _handle_body(self, body: str) -> str:
        """The account name at the start of ``body`` (a run of name characters after ``@``)."""
        lowered = body.lower()
        for known in self._handles:
            if lowered.startswith(known.lower()):
                return body[: len(known)]
        if _width(body) <= _MAX_HANDLE_WIDTH and body.endswith(self._roles):
            return body  # an account name ending in a role word (…邯郸客服) is one name
        name = self._leading_name(body)
        if name:
            end = len(name) + self._affix_chain(body[len(name) :])
            return body if len(body) - end <= _NAME_TAIL else body[:end]
        for i in range(len(body)):
            chain = self._affix_chain(body[i:], roles_only=True)
            if chain:
                end = i + chain + self._affix_chain(body[i + chain :])
                # a short tail is part of the name (@花粉助手小D), a long one the customer's words
                return body if len(body) - end <= _NAME_TAIL else body[:end]
        cut = len(body)
        while _width(body[:cut]) > _MAX_HANDLE_WIDTH:
            cut -= 1
        return body[:cut]

    def _leading_name(self, body: str) -> str:
        if self._all_names is None:
            return ""
        best = ""
        for end, word in self._all_names.iter(body.lower()):
            if end - len(word) + 1 == 0 and len(word) > len(best):
                best = word
        return best

    def _affix_chain(self, rest: str, *, roles_only: bool = False) -> int:
        """Length of the run of role and place words at the start of ``rest``."""
        taken = 0
        affixes = self._roles if roles_only else (*self._roles, *self._places)
        while True:
            step = next((len(a) for a in affixes if rest.startswith(a, taken)), 0)
            if not step:
                return taken
            taken += step
            affixes = (*self._roles, *self._places)

    def view(self, text: str) -> EntityView:
        """``text`` with its entities masked (see :class:`EntityView`)."""
        entities = self.find(text)
        if not entities:
            return EntityView(text, text, ())
        chars = list(text)
        for entity in entities:
            mark = ORGANISATION_MASK if entity.kind == "organisation" else MASK
            chars[entity.start : entity.end] = mark * (entity.end - entity.start)
        return EntityView(text, "".join(chars), entities)

    def quote(self, text: str) -> str:
        """``text`` as a quote shows it: organisation names kept, the other entities
        (handles, links, boilerplate ...) left out.

        Examples
        --------
        >>> EntityFinder().quote("@中国联通客服 中国联通的信号太差 http://t.cn/A6x")
        '中国联通的信号太差'
        """
        return self.view(text).evidence(0, len(text))

    def strip(self, text: str) -> str:
        """``text`` without its entities (organisation names too), spaces folded."""
        masked = self.view(text).masked
        return " ".join(masked.replace(MASK, " ").replace(ORGANISATION_MASK, " ").split())

    def organisation_of(self, handle: str) -> str:
        """The organisation an account name stands for: 中国联通广东客服 -> 中国联通.

        Role words and place names are taken off its ends; a known name that
        remains, or that starts what remains, gives its canonical form
        (北京联通 -> 中国联通; 星联通信 stays itself).
        """
        name = handle.lstrip("@＠").strip()
        name = re.sub(r"^回复\s*[@＠]|[:：]\s*$", "", name)
        changed = True
        while changed and name:
            changed = False
            for affix in (*self._roles, *self._places):
                if len(name) > len(affix) and name.endswith(affix):
                    name, changed = name[: -len(affix)], True
                    break
                if len(name) > len(affix) and name.startswith(affix) and affix in self._places:
                    name, changed = name[len(affix) :], True
                    break
        lowered = name.lower()
        if lowered in self._canonical:
            return self._canonical[lowered]
        leading = self._leading_name(name)
        return self._canonical.get(leading, name) if leading else name

    def addressee(self, text: str) -> str:
        """The organisation ``text`` addresses through its handles or its title, or ``""``.

        Only handles that look like an organisation's count (a known name, or a
        role word such as 客服 or 官方: not @小王); of several, the organisation
        named most often wins (the first on a tie).
        """
        if "@" not in text and "＠" not in text and "【" not in text:
            return ""  # no handle, reply or title can be found: most texts, at no cost
        return self._addressee(text)

    def _addressee(self, text: str) -> str:
        """:meth:`addressee` read from all the entities of ``text``."""
        entities = self.find(text)
        handles = [e.text for e in entities if e.kind in ("handle", "reply")]
        named = [h for h in handles if self._looks_official(h)]
        if named:
            counts = Counter(self.organisation_of(h) for h in named)
            order = list(dict.fromkeys(self.organisation_of(h) for h in named))
            return max(order, key=lambda o: (counts[o], -order.index(o)))
        titles = [e.text for e in entities if e.kind == "title"]
        return titles[0].strip().strip("【】").strip() if titles else ""

    def _looks_official(self, handle: str) -> bool:
        body = handle.lstrip("@＠")
        known = self.organisation_of(handle).lower() in self._canonical
        return known or bool(self._leading_name(body)) or any(role in body for role in self._roles)


def _word_bounded(text: str, start: int, end: int, word: str) -> bool:
    """Latin names must stand alone (OPPO is not inside opportunity); Chinese ones need not."""
    if not word[:1].isascii() and not word[-1:].isascii():
        return True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (word[:1].isascii() and before.isascii() and before.isalnum()) and not (
        word[-1:].isascii() and after.isascii() and after.isalnum()
    )
