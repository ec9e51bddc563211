"""Masking of personal data before any text is stored or reported.

Each kind of personal data is replaced by a typed placeholder in ASCII angle
brackets (``<手机号>``), which cannot be confused with Weibo bracket
emoticons such as ``[哈哈]``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["PII_PLACEHOLDERS", "mask_pii"]


class _Rule(NamedTuple):
    placeholder: str
    pattern: re.Pattern[str]


# Order matters: longer numeric patterns first, so a 19-digit card is not read
# as an ID number plus a digit.
_RULES: tuple[_Rule, ...] = (
    _Rule("<邮箱>", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    _Rule(
        "<身份证号>",
        re.compile(
            r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"
        ),
    ),
    _Rule("<银行卡号>", re.compile(r"(?<!\d)(?:62|4\d|5[1-5])\d{14,17}(?!\d)")),
    _Rule("<手机号>", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    _Rule("<电话>", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")),
    _Rule(
        "<IP>",
        re.compile(
            r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"
        ),
    ),
    _Rule("<QQ号>", re.compile(r"(?i)(?<=qq)[:：号 ]*\d{5,11}(?!\d)")),
    _Rule("<微信号>", re.compile(r"(?i)(?<=微信|vx|wx)[:：号 ]*[A-Za-z][-_A-Za-z0-9]{5,19}")),
)

PII_PLACEHOLDERS: tuple[str, ...] = tuple(rule.placeholder for rule in _RULES)
# Every pattern needs a digit, an @ or a WeChat marker: most texts are skipped at once.
_MAY_HOLD_PII = re.compile(r"[0-9@]|微信|vx|wx", re.I)


def mask_pii(text: str) -> str:
    """Replace phone numbers, ID and card numbers, e-mail, QQ and WeChat ids.

    Examples
    --------
    >>> mask_pii("打13812345678或发邮件 li.wei@example.com")
    '打<手机号>或发邮件 <邮箱>'
    >>> mask_pii("我的qq：123456789")
    '我的qq<QQ号>'
    """
    if not _MAY_HOLD_PII.search(text):
        return text
    for rule in _RULES:
        text = rule.pattern.sub(rule.placeholder, text)
    return text
