"""Where churned users say they went: competitor names in switching phrases.

A name counts only when it names an organisation or a product:

- **known names** (the taxonomy's ``[competitors]`` list) count after a
  switching verb (换成了X, 改用X, 转投X, 去了X) or before a comparison
  (X更便宜, X比你们好); short names such as 移动 are ordinary words elsewhere
  (移动端);
- **other names** count when they recur as the object of a strong switching
  verb (换成X, 改用X, 转投X) across several documents of the corpus
  (:func:`recurring_competitors`, fitted once before the per-chunk stages) and
  look like a name: not a pronoun (你们), a quantity (2间, 42寸, 下一首), a
  verb phrase (需要拿号), a common word of the dictionary (房间, 现金) or an
  ordinary object (``lexicons/not_competitors.tsv``: 别家, 手机 at the start;
  房, 模式, 歌曲 at the end).

A negated switch (不会换成X, 没有改用X) names no competitor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from ..resources import lexicon_file, read_table

__all__ = ["find_competitors", "is_name_like", "recurring_competitors", "switch_objects"]

_SWITCH = r"(?:换成了?|换到|换了|改用了?|改订了?|改买了?|改报了?|改住了?|转投了?|转到|转去|转用|转战|投奔|用回|去了|去用|跳槽到|搬到|迁到|转网到|携号转网到)"
_STRONG_SWITCH = r"(?:换成了?|改用了?|改订了?|改买了?|改报了?|转投了?|转用|转战|投奔|用回|跳槽到)"
_COMPARE = (
    r"(?:更便宜|更好|更快|更稳|更实惠|便宜多了|好多了|好太多|比你们好|比你们便宜|比这好|靠谱多了)"
)
_NAME_RUN = r"([A-Za-z0-9\u4e00-\u9fff]{2,8}?)"
_STOP = r"(?=了|的|吧|啊|呢|那边|那里|家|去|，|,|。|！|!|？|\?|\s|$)"
# a negator, perhaps with a verb of intent, just before the switching verb
_NEGATED = re.compile(
    r"(?:不|没|没有|别|未|从未|从没|绝不|决不)(?:想|会|打算|准备|愿意|要|能|敢)?过?再?$"
)
_NOT_NEGATION = ("不得不", "忍不住", "不由得", "禁不住")
_PRONOUN_START = (
    "你",
    "我",
    "他",
    "她",
    "它",
    "咱",
    "这",
    "那",
    "哪",
    "每",
    "各",
    "某",
    "本",
    "此",
    "该",
    "其",
    "另",
    "自己",
    "大家",
    "人家",
    "对方",
)
_QUANTITY = re.compile(
    r"^(?:[上下前后第]?[0-9一二两三四五六七八九十百千万几半]+)"
    r"(?:[个只张间台部首条件次位名家款种套块元寸层栋号床杯份辆本门节期月年天周斤米平]|$)"
)
_VERB_START = (
    "需要",
    "要",
    "想",
    "去",
    "用",
    "买",
    "吃",
    "住",
    "看",
    "听",
    "打",
    "拿",
    "坐",
    "找",
    "点",
    "做",
    "叫",
    "排",
    "等",
    "换",
    "给",
    "让",
    "把",
    "被",
    "在",
    "从",
    "到",
    "跟",
    "和",
    "与",
)
# a single dictionary word at least this frequent is an everyday word, not a name
_COMMON_FREQUENCY = 50


@lru_cache(maxsize=1)
def _ordinary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = read_table(lexicon_file("not_competitors.tsv"), ["word", "where"])
    starts = tuple(r["word"] for r in rows if r["where"] == "start")
    ends = tuple(r["word"] for r in rows if r["where"] == "end")
    return starts, ends


@lru_cache(maxsize=8)
def _patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    known = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    if not known:
        return None, None
    after_switch = re.compile(f"({_SWITCH})\\s*({known})")
    before_compare = re.compile(f"({known})(?:的)?[^\\s，,。！!？?；;]{{0,4}}?{_COMPARE}")
    return after_switch, before_compare


_UNKNOWN = re.compile(f"({_STRONG_SWITCH})\\s*{_NAME_RUN}{_STOP}")


def _negated(text: str, verb_start: int) -> bool:
    before = text[max(0, verb_start - 5) : verb_start]
    if any(before.endswith(n) for n in _NOT_NEGATION):
        return False
    return bool(_NEGATED.search(before))


def is_name_like(candidate: str, *, frequency: Callable[[str], int] | None = None) -> bool:
    """Whether the object of a switching verb can be an organisation or product name.

    ``frequency`` gives a word's frequency in the tokenizer's dictionary; a
    single word at least as frequent as 50 is an everyday word (房间, 现金).

    Examples
    --------
    >>> [is_name_like(w) for w in ["小鹿视频", "你们", "2间豪华房", "42寸", "大床房", "需要拿号"]]
    [True, False, False, False, False, False]
    """
    name = candidate.strip()
    if len(name) < 2 or (name.isdigit() and len(name) < 5):
        return False
    starts, ends = _ordinary()
    lowered = name.lower()
    if lowered.startswith(tuple(w.lower() for w in starts)):
        return False
    if lowered.endswith(tuple(w.lower() for w in ends)):
        return False
    if name.startswith(_PRONOUN_START) or name.startswith(_VERB_START):
        return False
    if _QUANTITY.match(name):
        return False
    return not (frequency is not None and frequency(name) >= _COMMON_FREQUENCY)


def switch_objects(text: str, *, frequency: Callable[[str], int] | None = None) -> list[str]:
    """Name-like objects of strong, not negated, switching verbs in ``text``, in order.

    Examples
    --------
    >>> switch_objects("改用小鹿视频了，不会转投你们")
    ['小鹿视频']
    >>> switch_objects("我不会换成小鹿视频")
    []
    """
    found = []
    for match in _UNKNOWN.finditer(text):
        name = match.group(2)
        if not _negated(text, match.start(1)) and is_name_like(name, frequency=frequency):
            found.append(name)
    return list(dict.fromkeys(found))


def recurring_competitors(
    texts: Iterable[str],
    names: Sequence[str] = (),
    *,
    min_documents: int = 3,
    frequency: Callable[[str], int] | None = None,
) -> tuple[str, ...]:
    """Names outside ``names`` that are switched to in at least ``min_documents`` texts.

    Examples
    --------
    >>> texts = ["改用小鹿视频了", "已经换成小鹿视频", "转投小鹿视频吧", "换成大床房了"] * 1
    >>> recurring_competitors(texts)
    ('小鹿视频',)
    """
    known = tuple(n.lower() for n in names)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            n for n in switch_objects(text, frequency=frequency) if not n.lower().startswith(known)
        )
    # 改用蓝鲸出行订的车 yields 蓝鲸出行订: a run that extends a shorter candidate is that name
    merged: Counter[str] = Counter()
    for name, count in counts.items():
        shorter = [p for p in counts if p != name and name.startswith(p)]
        merged[min(shorter, key=len) if shorter else name] += count
    counts = merged
    found = [n for n, c in counts.items() if c >= min_documents]
    return tuple(sorted(found, key=lambda n: (-counts[n], n)))


def find_competitors(text: str, names: Sequence[str] = ()) -> list[str]:
    """Competitors named in ``text``, each once, in order of appearance.

    ``names`` are the names that count: the taxonomy's list plus the
    recurring names of the corpus (:func:`recurring_competitors`).

    Examples
    --------
    >>> find_competitors("已经换成了腾讯视频，爱奇艺更便宜", ["腾讯视频", "爱奇艺", "移动"])
    ['腾讯视频', '爱奇艺']
    >>> find_competitors("移动端太卡了", ["移动"])
    []
    >>> find_competitors("我是不会换成爱奇艺的", ["爱奇艺"])
    []
    """
    after_switch, before_compare = _patterns(tuple(dict.fromkeys(names)))
    hits: list[tuple[int, str]] = []
    if after_switch is not None:
        hits += [
            (m.start(2), m.group(2))
            for m in after_switch.finditer(text)
            if not _negated(text, m.start(1))
        ]
    if before_compare is not None:
        hits += [(m.start(1), m.group(1)) for m in before_compare.finditer(text)]
    return list(dict.fromkeys(name for _, name in sorted(hits)))
