"""Sense traps: a keyword found in a clause counts only in its theme's sense.

Each kind of trap is checked in several domains, with the pack of that domain
(and the default taxonomy, which users of every domain start with)."""

import pytest

from feedback_miner.stages import AnalyzerSpec, build_stages
from feedback_miner.text.entities import ORGANISATION_MASK
from feedback_miner.themes import load_pack
from feedback_miner.themes.senses import context_holds, is_negated


@pytest.fixture(scope="module")
def packs():
    built = {}

    def themes_of(pack: str, text: str) -> set[str]:
        if pack not in built:
            built[pack] = build_stages(AnalyzerSpec(taxonomy=load_pack(pack)))
        stages = built[pack]
        view = stages.entities.view(text)
        doc = stages.scorer.score_document(view.masked)
        return {m.theme_id for m in stages.matcher.mentions(doc, view=view)}

    return themes_of


# (pack, text, theme, counts): compound words keep a keyword's characters in another word
COMPOUNDS = [
    ("default", "服务器又崩了", "service", False),
    ("default", "服务器又崩了", "bugs", True),
    ("telecom", "路口的信号灯坏了", "network", False),
    ("telecom", "信号太差了", "network", True),
    ("app", "商场入口处排了很长的队", "usability", False),
    ("default", "周末去体验店看了看", "usability", False),
    ("default", "新版体验很差", "usability", True),
    ("restaurant", "服务费收了百分之十", "service_waiters_attitude", False),
    ("restaurant", "服务员很热情", "service_waiters_attitude", True),
]

# the taxonomy states the context a keyword needs (requires)
CONTEXT = [
    # 安全: account security needs an account, money or data beside it
    ("automotive", "这车存在安全隐患，刹车偏软", "safety", True),
    ("app", "这车存在安全隐患，刹车偏软", "account_security", False),
    ("default", "开车时存在安全隐患", "account_security", False),
    ("app", "账号不安全，老是异地登录", "account_security", True),
    ("finance", "资金安全没有保障", "account_security", True),
    # 排队: a helpline's queue, not a restaurant's
    ("default", "门口排队的人很多", "service_unreachable", False),
    ("default", "客服电话排队半小时", "service_unreachable", True),
    ("restaurant", "门口排队的人很多", "service_wait_time", True),
    ("telecom", "营业厅排队两个小时", "service_unreachable", True),
    # 维修: broadband repair, not a car's
    ("default", "车子维修后问题还在", "broadband", False),
    ("default", "宽带维修师傅一直不来", "broadband", True),
    ("telecom", "光猫维修要等三天", "broadband", True),
    ("automotive", "维修后问题还是没解决", "dealer_service", True),
    # 入口: an app's entry point, not a mouthful
    ("default", "牛肉入口即化", "usability", False),
    ("app", "牛肉入口即化", "usability", False),
    ("app", "退订入口根本找不到", "usability", True),
    # switching verbs and 同行 need an organisation or another provider
    ("hotel", "我们7人同行，换了房间", "competitor", False),
    ("default", "我们7人同行，换了房间", "competitor", False),
    ("default", "比同行贵了不少", "competitor", True),
    ("hotel", "下次改订别家酒店", "competitor", True),
    ("telecom", "已经换了联通", "competitor", True),
    ("telecom", "换了个手机号", "competitor", False),
    # 打包 is the delivery's packaging only where something was delivered
    ("restaurant", "吃不完打包带走了", "delivery_packaging", False),
    ("restaurant", "外卖打包很严实", "delivery_packaging", True),
]

# another sense of the keyword, stated by the theme's exclude phrases
OTHER_SENSE = [
    ("restaurant", "朋友推荐来的", "dish_recommendation", False),
    ("restaurant", "推荐他家的烤鱼", "dish_recommendation", True),
    ("default", "孩子的学习态度有问题", "service", False),
    ("default", "客服态度很差", "service", True),
    ("finance", "存款利息又降了", "loan_fees", False),
    ("finance", "贷款利息太高", "loan_fees", True),
]

# events that did not happen are no reasons (negated = "ignore")
NEGATION = [
    ("default", "我不会换成别家的", "competitor", False),
    ("default", "我不会再换成别家了", "competitor", False),
    ("default", "已经换成别家了", "competitor", True),
    ("app", "没有换成腾讯视频", "competitor", False),
    ("telecom", "从来没想过换成联通", "competitor", False),
    ("default", "还没毕业", "need_gone", False),
    ("default", "毕业了用不上", "need_gone", True),
    ("education", "孩子还没上初中", "need_gone", False),
    ("education", "孩子上初中了，不学了", "need_gone", True),
    # themes that keep negated keywords: 不贵 is still about price
    ("default", "价格不贵", "price", True),
]

# {money}: an amount of money is about price, a count of pieces is not
MONEY = [
    ("restaurant", "每串有三四块肉", "price_level", False),
    ("restaurant", "一串才六块，", "price_level", True),
    ("hotel", "房价399元一晚", "price", True),
    ("hotel", "我们订了两间房", "price", False),
]


@pytest.mark.parametrize(
    ("pack", "text", "theme", "counts"), COMPOUNDS + CONTEXT + OTHER_SENSE + NEGATION + MONEY
)
def test_sense_traps(packs, pack: str, text: str, theme: str, counts: bool) -> None:
    assert (theme in packs(pack, text)) is counts


@pytest.mark.parametrize(
    ("tokens", "position", "negated"),
    [
        (["我", "不会", "再", "换成", "联通"], 3, True),
        (["不会", "再", "换成", "别家"], 3, True),  # the negation covers the verb phrase
        (["不想", "换成", "联通"], 1, True),  # a negator with a verb of intent
        (["没", "打算", "换成", "联通"], 2, True),
        (["不满意", "所以", "换成", "联通"], 2, False),  # a negative word is no negator
        (["换成", "联通"], 0, False),
    ],
)
def test_negation_window(tokens: list[str], position: int, negated: bool) -> None:
    assert is_negated(tokens, position, {"不", "没", "不会", "没有"}) is negated


def test_organisation_context_sees_masked_names_and_competitors() -> None:
    context = (("{organisation}",), ("别家",))
    assert context_holds(["换成", "了"], f"换成了{ORGANISATION_MASK * 2}", context, set())
    assert context_holds(["换成", "联通"], "换成联通", context, {"联通"})
    assert context_holds(["换成", "别家"], "换成别家", context, set())
    assert not context_holds(["换成", "大床房"], "换成大床房", context, {"联通"})
