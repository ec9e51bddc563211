"""Masking of personal data before any text is stored or reported.

Each kind of personal data is replaced by a typed placeholder in ASCII angle
brackets (``<手机号>``), which cannot be confused with Weibo bracket
emoticons such as ``[哈哈]``.

Masking is one pass of one pattern over the text, after full-width digits,
letters, dashes, dots and brackets have been read as their half-width forms
(``１３８－…``), so it finds the same numbers in a cleaned comment, a raw
``meta:`` cell or a quote. Outside what it masks, the text is returned as it
was given.

What is masked, and the shapes recognised (separators are a space, ``-``,
``.`` or any dash):

- ``<手机号>`` mobile numbers: 11 digits from 13-19, whole or grouped
  (138-1234-5678, 138 000 00012, 138.1234.5678, one digit at a time), with
  or without +86 / 0086 / (+86).
- ``<电话>`` landlines: an area code 0xx or 0xxx (or +86 without the 0),
  bracketed or not, then 7-8 digits, grouped or not.
- ``<身份证号>`` ID numbers: 18 digits (last may be X) with a valid birth date,
  whole or grouped 6-8-4 / 6-4-4-4; and the old 15-digit form.
- ``<银行卡号>`` card numbers: 16-19 digits whole, or in groups of four; 15
  digits as 4-6-5.
- ``<邮箱>`` e-mail addresses, including internationalised domain names.
- ``<IP>`` IPv4 and IPv6 addresses.
- ``<QQ号>`` / ``<微信号>`` numbers and ids after a QQ or WeChat marker (QQ,
  QQ号码, 扣扣, 企鹅号; 微信, 微信号是, V信, vx, wx ...). The marker is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["PII_PLACEHOLDERS", "mask_pii"]

_SEP = r"[ \-.]?"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_CHINESE_TLDS = "中国|中國|公司|网络|網絡|中文网|在线|商城|网店|网址|集团|政务|公益|移动|我爱你"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HEX = r"[0-9A-Fa-f]{1,4}"

# (group name, placeholder, pattern); at one position the first that matches wins
_KINDS: tuple[tuple[str, str, str], ...] = (
    (
        "email",
        "<邮箱>",
        rf"[A-Za-z0-9._%+-]+@(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}(?![A-Za-z0-9-])|xn--[a-z0-9-]+|"
        rf"{_CHINESE_TLDS})",
    ),
    (
        "ipv6",
        "<IP>",
        rf"(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX}:){{1,7}}:(?:{_HEX}(?::{_HEX}){{0,5}})?"
        rf"|::{_HEX}(?::{_HEX}){{0,6}})(?![\w:])",
    ),
    (
        "ipv4",
        "<IP>",
        r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])",
    ),
    (
        "id18",
        "<身份证号>",
        rf"(?<!\d)[1-9]\d{{5}}[ \-]?(?:18|19|20)\d{{2}}[ \-]?{_DATE}[ \-]?\d{{3}}[\dXx](?![\dA-Za-z])",
    ),
    ("id15", "<身份证号>", rf"(?<!\d)[1-9]\d{{5}}\d{{2}}{_DATE}\d{{3}}(?!\d)"),
    (
        "card",
        "<银行卡号>",
        r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]\d{1,3})?|\d{4}[ \-]\d{6}[ \-]\d{5})(?!\d)",
    ),
    (
        "mobile",
        "<手机号>",
        rf"(?:(?:\+|00)86{_SEP}|\(\+?86\){_SEP}|(?<!\d)86[ \-]|(?<!\d))1{_SEP}[3-9](?:{_SEP}\d){{9}}(?!\d)",
    ),
    (
        "landline",
        "<电话>",
        r"(?:(?:\+|00)86[ \-]?\(?[1-9]\d{1,2}\)?|\(0\d{2,3}\)|(?<!\d)0\d{2,3})[ \-]?"
        r"[2-9]\d{2,3}[ \-]?\d{4}(?!\d)",
    ),
    (
        "qq",
        "<QQ号>",
        r"(?i:(?<![a-z])qq|扣扣|企鹅)(?:号码|号)?(?:[ :：]*(?:是|为|:|：)?[ :：]*)\d{5,11}(?!\d)",
    ),
    (
        "wechat",
        "<微信号>",
        r"(?i:微信|威信|薇信|(?<![a-z])(?:vx|wx|v信|wechat|weixin))(?:号码|号|id)?"
        r"(?:[ :：]*(?:是|为|:|：)?[ :：]*)[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9])",
    ),
)
# the marker of a QQ or WeChat mention, kept in front of the placeholder
_MARKER = re.compile(r"(?i:qq|扣扣|企鹅|微信|威信|薇信|vx|wx|v信|wechat|weixin)(?:号码|号|id)?")

PII_PLACEHOLDERS: tuple[str, ...] = tuple(dict.fromkeys(p for _, p, _ in _KINDS))
# Every pattern needs a digit, an @ or a QQ/WeChat marker: most texts are skipped at once.
_MAY_HOLD_PII = re.compile(r"[0-9０-９@＠]|微信|威信|薇信|扣扣|企鹅|vx|wx|v信|ｖｘ|ｗｘ", re.I)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, _, pattern in _KINDS))


@lru_cache(maxsize=1)
def _probe_table() -> dict[int, int]:
    """Full-width and look-alike characters read as half-width, one character for one."""
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table.update({ord(d): ord("-") for d in _DASHES})
    table[0x3000] = ord(" ")
    del table[0xFF1A]  # a full-width colon ends a Chinese label (电话：...), it is no IPv6 part
    return table


def mask_pii(text: str) -> str:
    """Replace phone numbers, ID and card numbers, e-mail and IP addresses, QQ and WeChat ids.

    Examples
    --------
    >>> mask_pii("打13812345678或发邮件 li.wei@example.com")
    '打<手机号>或发邮件 <邮箱>'
    >>> mask_pii("我的qq：123456789")
    '我的qq<QQ号>'
    >>> mask_pii("座机（010）66660002，手机１３８－１２３４－５６７８")
    '座机<电话>，手机<手机号>'
    """
    if not _MAY_HOLD_PII.search(text):
        return text
    probe = text.translate(_probe_table())
    pieces: list[str] = []
    end = 0
    placeholders = {name: placeholder for name, placeholder, _ in _KINDS}
    for match in _pattern().finditer(probe):
        kind = match.lastgroup or ""
        start = match.start()
        if kind in ("qq", "wechat"):
            marker = _MARKER.match(probe, start)
            start = marker.end() if marker else start
        pieces.append(text[end:start])
        pieces.append(placeholders[kind])
        end = match.end()
    if not pieces:
        return text
    pieces.append(text[end:])
    return "".join(pieces)
