"""Whether a keyword found in a clause is used in the theme's sense.

A keyword is matched as whole tokens (so 服务 is not found inside 服务器, nor
信号 inside 信号灯: jieba keeps such compounds whole); then its clause decides:

- **Context the taxonomy states** (``requires``): 安全 is account security
  only beside 账号, 密码 or 支付 (存在安全隐患 in a car review is not), 排队
  is an unreachable helpline only beside 客服, 电话 or 人工 (not at a
  restaurant's door), a switching verb is a move to a competitor only when
  its clause names an organisation or another provider (换了房间 is not).
  ``{organisation}`` stands for any organisation or product name: one masked
  by the entity layer (:data:`~feedback_miner.text.entities.ORGANISATION_MASK`)
  or one of the taxonomy's competitor names.
- **Negation**, for themes that are events (``negated = "ignore"``): 不会换成X
  and 没有转网 name no switch. Price or service themes keep negated keywords
  (不贵 is still about price); their sentiment carries the negation.

Everything here is a pure function of one clause's tokens.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..text.entities import ORGANISATION_MASK
from .taxonomy import ORGANISATION_CONTEXT

__all__ = ["contains", "context_holds", "is_negated"]

# verbs of intent that a negator glues onto (不想, 没打算, 不会再)
_INTENT = ("想", "打算", "准备", "愿意", "愿", "会", "能", "要", "敢", "再", "用")
_NEGATION_WINDOW = 3


def contains(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether ``phrase`` occurs as consecutive tokens of ``tokens``."""
    n = len(phrase)
    target = tuple(phrase)
    return n > 0 and any(tuple(tokens[i : i + n]) == target for i in range(len(tokens) - n + 1))


def is_negated(
    tokens: Sequence[str], position: int, negators: Collection[str], *, glued: str = ""
) -> bool:
    """Whether the keyword at ``tokens[position]`` is negated.

    It is when one of the two tokens before it is a negator (不会, 没有) or a
    negator with a verb of intent (不想, 没打算), or when a negator was glued
    to the keyword's own token (``glued``: 没 of 没换成).

    Examples
    --------
    >>> is_negated(["我", "不会", "再", "换成", "联通"], 3, {"不会", "不"})
    True
    >>> is_negated(["不满意", "所以", "换成", "联通"], 2, {"不", "没"})
    False
    """
    if glued and any(glued.startswith(n) for n in negators):
        return True
    for token in tokens[max(0, position - _NEGATION_WINDOW) : position]:
        if token in negators:
            return True
        for negator in negators:
            if token.startswith(negator) and token[len(negator) :] in _INTENT:
                return True
    return False


def context_holds(
    tokens: Sequence[str],
    clause: str,
    context: Sequence[tuple[str, ...]],
    organisation_tokens: Collection[str],
) -> bool:
    """Whether ``clause`` (with ``tokens``) holds one of the ``context`` phrases.

    ``context`` holds token sequences; the one-token sequence
    ``("{organisation}",)`` holds when the clause names an organisation.
    """
    for phrase in context:
        if phrase == (ORGANISATION_CONTEXT,):
            if ORGANISATION_MASK in clause or any(t in organisation_tokens for t in tokens):
                return True
        elif contains(tokens, phrase):
            return True
    return False
