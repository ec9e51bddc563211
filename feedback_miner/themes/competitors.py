"""Where churned users say they went: competitor names in switching phrases.

A known name (the taxonomy's ``[competitors]`` list) counts when a switching
verb comes before it (换成了X, 改用X, 转投X, 去了X) or a comparison after it
(X更便宜, X比你们好) — short names such as 移动 are ordinary words elsewhere
(移动端). Names the list lacks are taken from strong switching phrases (换成X,
改用X, 转投X), unless they are ordinary objects (别家, 手机: see
``lexicons/not_competitors.tsv``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..resources import lexicon_file, read_table

__all__ = ["find_competitors"]

_SWITCH = r"(?:换成了?|换到|换了|改用了?|转投了?|转到|转去|转用|转战|投奔|用回|去了|去用|跳槽到|搬到|迁到|转网到|携号转网到)"
_STRONG_SWITCH = r"(?:换成了?|改用了?|转投了?|转用|转战|投奔|用回|跳槽到)"
_COMPARE = (
    r"(?:更便宜|更好|更快|更稳|更实惠|便宜多了|好多了|好太多|比你们好|比你们便宜|比这好|靠谱多了)"
)
_NAME_RUN = r"([A-Za-z0-9\u4e00-\u9fff]{2,8}?)"
_STOP = r"(?=了|的|吧|啊|呢|那边|那里|家|去|，|,|。|！|!|？|\?|\s|$)"


@lru_cache(maxsize=1)
def _not_competitors() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table(lexicon_file("not_competitors.tsv"), ["word"]))


@lru_cache(maxsize=8)
def _patterns(
    names: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str]]:
    known = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    after_switch = re.compile(f"{_SWITCH}\\s*({known})") if known else None
    before_compare = (
        re.compile(f"({known})(?:的)?[^\\s，,。！!？?；;]{{0,4}}?{_COMPARE}") if known else None
    )
    unknown = re.compile(f"{_STRONG_SWITCH}\\s*{_NAME_RUN}{_STOP}")
    return after_switch, before_compare, unknown


def find_competitors(text: str, names: Sequence[str] = ()) -> list[str]:
    """Competitors named in ``text``, known names first, each once, in order of appearance.

    Examples
    --------
    >>> find_competitors("已经换成了腾讯视频，爱奇艺更便宜", ["腾讯视频", "爱奇艺", "移动"])
    ['腾讯视频', '爱奇艺']
    >>> find_competitors("移动端太卡了", ["移动"])
    []
    >>> find_competitors("改用小鹿视频了")
    ['小鹿视频']
    """
    after_switch, before_compare, unknown = _patterns(tuple(names))
    hits: list[tuple[int, str]] = []
    for pattern in (after_switch, before_compare):
        if pattern is not None:
            hits.extend((m.start(1), m.group(1)) for m in pattern.finditer(text))
    known_spans = {start for start, _ in hits}
    ordinary = _not_competitors()
    for match in unknown.finditer(text):
        name = match.group(1)
        if (
            match.start(1) not in known_spans
            and not any(name.startswith(n) for n in names)
            and not any(name.startswith(w) for w in ordinary)
        ):
            hits.append((match.start(1), name))
    return list(dict.fromkeys(name for _, name in sorted(hits)))
