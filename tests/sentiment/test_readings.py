"""Tables of readings the rule scorer must get right, written by us across the
domains of the taxonomy packs (e-commerce, food delivery, hotels and travel,
telecom, automotive, finance, apps, education): complaint statements, mixed
reviews, sarcasm, other targets, narration and negation inside a mention."""

from __future__ import annotations

import pytest

from feedback_miner.sentiment import SentimentScorer, aspect_sentiment, label_score


def scored(scorer: SentimentScorer, text: str) -> tuple[float, str]:
    score = scorer.score_document(text).score
    assert score is not None
    return score, label_score(score)


# facts that complain without an opinion word
COMPLAINTS = [
    ("售后说这个问题不予受理", "e-commerce: a refusal"),
    ("手机充电器用了一周就充不进电", "e-commerce: a fault"),
    ("上个月莫名其妙多扣了二十块话费", "telecom: an unauthorised charge"),
    ("提现三天了还没到账", "finance: still not"),
    ("信用卡被盗刷了，银行让我自己报警", "finance: fraud"),
    ("会员到期自动续费，也没有短信提醒", "apps: a charge and a missing notice"),
    ("登录了好几次都登不上去", "apps: cannot log in"),
    ("订了两份套餐只送了一份", "food delivery: less than ordered"),
    ("房间里没有热水，打电话给前台也没人处理", "hotel: missing, and no one handles it"),
    ("押金到现在都没退", "hotel: still not refunded"),
    ("课程上了一半机构就停课了", "education: classes stopped"),
    ("老师布置的作业从来不批改", "education: a duty not done"),
    ("车子开了两千公里变速箱就报故障", "automotive: a fault"),
    ("包裹放在门口就不管了，最后丢件了", "logistics: lost"),
]

# praise and complaint of about the same weight, no contrast word: neither wins
MIXED = [
    ("菜的味道很好，服务员态度很差", "food"),
    ("房间很干净，隔音很差", "hotel"),
    ("网速挺快的，信号不稳定", "telecom"),
    ("老师讲得清楚，作业批改太慢", "education"),
    ("车子外观漂亮，隔音太差", "automotive"),
    ("物流很快，包装破损了", "e-commerce"),
    ("早餐丰富，床太硬", "hotel"),
    ("利率不错，审批慢", "finance"),
    ("功能很实用，就是经常卡顿", "apps"),
    ("客服很耐心，问题没解决", "service"),
]

# praise that is not meant
SARCASM = [
    ("这家店可真会做生意，一杯白开水都要收钱", "food: ironic praise of profiteering"),
    ("运营商的钱也太好赚了吧", "telecom: the money is easy"),
    ("这种售后有还不如没有", "e-commerce: worse than nothing"),
    ("还不如自己在家煮泡面", "food: one would rather not"),
    ("好一个客户至上", "general: an ironic exclamation"),
    ("这网速真“快”啊", "telecom: scare quotes"),
    ("服务真是“贴心”，问了三遍都没人回", "service: scare quotes"),
    ("客服态度真好呵呵", "service: a sarcastic laugh"),
    ("房间挺大的，呵呵", "hotel: a sarcasm tail"),
    ("今天真是长见识了，退款要等四十五天", "finance: an eye-opener"),
    ("这速度也是绝了，修了一个月还没修好", "automotive: no one beats this"),
    ("推荐大家千万别买这个牌子", "e-commerce: warning others off"),
]

# a complaint about ours beside praise of another shop, brand or earlier provider
TARGETS = [
    ("网速慢得要命，别家的宽带从来不掉线", "telecom"),
    ("这次的快递丢件了，之前用的那家从没出过问题", "logistics"),
    ("房间一股霉味，隔壁那家酒店干净又安静", "hotel"),
    ("客服一直推诿。人家银行半天就处理好了", "finance"),
    ("保养报价太贵了，其他门店便宜一半", "automotive"),
    ("信号经常掉线，以前用的那个运营商一直很稳定", "telecom"),
    ("app广告太多，竞品就清爽多了", "apps"),
    ("别家比你们便宜多了", "e-commerce: the other praised against ours"),
    ("别的平台比这里服务好", "apps: the other praised against ours"),
    ("这学期的网课经常卡顿，其他机构的直播课很流畅", "education"),
]

# retold content and claims weigh less than the writer's own verdict
NARRATION = [
    ("电影讲的是主人公被人陷害、坐牢十年的经历，演员演得很好", "positive", "film: a plot"),
    ("小说里的反派阴险狡诈，作者写得很精彩", "positive", "books: inside the story"),
    ("书里描写的战争场面血腥残酷。强烈推荐", "positive", "books: a retold scene"),
    ("剧中女主被骗得很惨，这部剧我很喜欢", "positive", "TV: inside the story"),
    ("广告上说随时退款，结果申请了一周都没退", "negative", "finance: an advert's claim"),
    ("号称五星级酒店，房间里却有蟑螂", "negative", "hotel: a claim"),
    ("宣传说网速快信号好，实际上经常连不上网", "negative", "telecom: a claim"),
    ("页面上写着全新正品，收到的是翻新机", "negative", "e-commerce: the listing"),
    ("广告里号称终身免费，用了半年就开始偷偷扣费", "negative", "apps: a claim"),
    ("视频里主播把面膜夸得很好用，我用了以后脸上过敏", "negative", "beauty: a quoted review"),
]

# a negator before coordinated judgements negates them all: 不(热情周到)
NEGATED_MENTIONS = [
    ("前台接待不热情周到", "前台", "hotel"),
    ("快递员态度不耐心细致", "快递员", "logistics"),
    ("房间不干净卫生", "房间", "hotel"),
    ("客服处理问题不及时有效", "客服", "service"),
    ("售后人员不专业负责", "售后", "automotive"),
    ("这家店的菜不新鲜美味", "菜", "food"),
    ("老师讲解不清楚明白", "老师", "education"),
    ("营业厅的收费不合理透明", "收费", "telecom"),
    ("理财经理说话不诚实可靠", "理财经理", "finance"),
    ("app的界面不简洁美观", "界面", "apps"),
    ("司机开车不平稳安全", "司机", "travel"),
]


@pytest.mark.parametrize(("text", "what"), COMPLAINTS)
def test_complaint_statements_are_negative(scorer, text: str, what: str) -> None:
    assert scored(scorer, text)[1] == "negative", what


@pytest.mark.parametrize(("text", "what"), MIXED)
def test_mixed_reviews_come_near_zero(scorer, text: str, what: str) -> None:
    score, label = scored(scorer, text)
    assert label == "neutral" and abs(score) < 0.1, what
    praise, complaint = scorer.score_document(text).clause_scores
    assert praise > 0.1 and complaint < -0.1  # each side kept, for aspects


def test_praise_twice_the_complaint_is_positive(scorer) -> None:
    assert scored(scorer, "菜很好吃，环境很好，上菜有点慢")[1] == "positive"
    assert scored(scorer, "菜很好吃，上菜太慢")[1] == "neutral"


@pytest.mark.parametrize(("text", "what"), SARCASM)
def test_sarcasm_is_negative(scorer, text: str, what: str) -> None:
    assert scored(scorer, text)[1] == "negative", what


@pytest.mark.parametrize(("text", "what"), TARGETS)
def test_praise_of_another_does_not_outweigh_the_complaint(scorer, text: str, what: str) -> None:
    assert scored(scorer, text)[1] == "negative", what


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("这家店服务特别好", "隔壁那家店服务特别好"),
        ("这个平台客服很耐心", "别的平台客服很耐心"),
        ("这家酒店早餐很丰富", "之前住的那家酒店早餐很丰富"),
        ("这家比隔壁那家干净多了", "隔壁那家比这家干净多了"),
    ],
)
def test_praise_of_another_weighs_less_than_praise_of_ours(scorer, ours: str, theirs: str) -> None:
    assert scored(scorer, ours)[0] > scored(scorer, theirs)[0]


def test_the_weather_is_not_the_service(scorer) -> None:
    assert scored(scorer, "天气太热，师傅送得很快")[1] == "positive"
    assert scored(scorer, "下大雨堵车，司机很准时")[1] == "positive"


@pytest.mark.parametrize(("text", "expected", "what"), NARRATION)
def test_narration_weighs_less_than_the_writers_verdict(
    scorer, text: str, expected: str, what: str
) -> None:
    assert scored(scorer, text)[1] == expected, what


@pytest.mark.parametrize(("text", "aspect", "what"), NEGATED_MENTIONS)
def test_negation_inside_a_mention(scorer, text: str, aspect: str, what: str) -> None:
    assert scored(scorer, text)[1] == "negative", what
    mention = aspect_sentiment(scorer, text, aspect)
    assert mention is not None and mention < 0, what


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("没有发票，售后也不予处理", "negative"),  # 没有 negates 发票, not 不予处理
        ("从来没有吃过这么好吃的", "positive"),  # 没有 negates 吃过, not 好吃
        ("不觉得贵", "positive"),  # the scope passes 觉得
        ("没有那么好", "negative"),  # ... and 那么
        ("别吃，吃了就后悔", "negative"),  # 别 does not reach across the comma
    ],
)
def test_a_negator_governs_the_next_judgement_only(scorer, text: str, expected: str) -> None:
    assert scored(scorer, text)[1] == expected
