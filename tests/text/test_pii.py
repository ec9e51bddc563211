import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_miner.text import mask_pii


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("打13812345678联系我", "打<手机号>联系我"),
        ("电话 +86 139-1234-5678", "电话 <手机号>"),
        ("座机010-62345678", "座机<电话>"),
        ("身份证110101199003074514", "身份证<身份证号>"),
        ("身份证11010119900307451X", "身份证<身份证号>"),
        ("卡号6222021234567890123", "卡号<银行卡号>"),
        ("邮箱 li.wei@example.com 谢谢", "邮箱 <邮箱> 谢谢"),
        ("我的qq：123456789", "我的qq<QQ号>"),
        ("加微信：wxid_abc123", "加微信<微信号>"),
        ("订单金额12345元", "订单金额12345元"),  # short numbers stay
        ("2026年11月22日", "2026年11月22日"),
    ],
)
def test_mask_pii(raw: str, masked: str) -> None:
    assert mask_pii(raw) == masked


# At least ten shapes of each kind, as customers write them (all numbers invented).
SHAPES = {
    "<手机号>": [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "138.0000.0010",
        "138 000 00012",
        "138–1234–5678",
        "138—1234—5678",
        "1 3 8 1 2 3 4 5 6 7 8",
        "+86 13812345678",
        "+86-138-1234-5678",
        "+8613812345678",
        "0086 138 1234 5678",
        "(+86)13812345678",
        "86-13812345678",
        "１３８１２３４５６７８",
        "１３８－１２３４－５６７８",
    ],
    "<电话>": [
        "010-66660002",
        "01066660002",
        "(010)66660002",
        "（010）66660002",
        "0755 6666 0003",
        "0755-6666-0003",
        "021-6666-0003",
        "0571 8888 7777",
        "+86-10-66660002",
        "+86 755 6666 0003",
        "０２１－６６６６０００３",
    ],
    "<身份证号>": [
        "110101199003074514",
        "11010119900307451X",
        "11010119900307451x",
        "110101 19900307 4514",
        "110101-19900307-4514",
        "110101 1990 0307 4514",
        "440305200012311234",
        "32010219851231002X",
        "110101900307451",
        "440305001231123",
        "１１０１０１１９９００３０７４５１４",
    ],
    "<银行卡号>": [
        "6222021234567890123",
        "6222021234567890",
        "6222 0212 3456 7890",
        "6222 0212 3456 7890 123",
        "6222-0212-3456-7890",
        "6222-0212-3456-7890-12",
        "4111111111111111",
        "4111 1111 1111 1111",
        "5500 0000 0000 0004",
        "3782 822463 10005",
        "６２２２０２１２３４５６７８９０",
    ],
    "<邮箱>": [
        "li.wei@example.com",
        "LiWei_88@Example.COM",
        "zhang+shop@mail.example.cn",
        "a.b-c@sub.domain.org",
        "user123@qq.com",
        "service@163.com",
        "zhangsan@例子.公司",
        "info@bücher.de",
        "test@xn--fiqs8s.xn--fiqz9s",
        "li＠example.com",
    ],
    "<IP>": [
        "192.168.1.1",
        "10.0.0.254",
        "8.8.8.8",
        "255.255.255.0",
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "::1",
        "2408:8207:1234::abcd",
        "１９２．１６８．１．１",
    ],
}
MARKED = {
    "<QQ号>": [
        ("qq 12345678", "qq"),
        ("QQ：123456789", "QQ"),
        ("QQ号 1234567890", "QQ号"),
        ("QQ号码 12345678", "QQ号码"),
        ("q q号码12345678".replace(" ", ""), "qq号码"),
        ("扣扣 87654321", "扣扣"),
        ("扣扣号：87654321", "扣扣号"),
        ("企鹅号 98765432", "企鹅号"),
        ("企鹅：98765432", "企鹅"),
        ("QQ是 12345678", "QQ"),
        ("ＱＱ：１２３４５６７８", "ＱＱ"),
    ],
    "<微信号>": [
        ("微信 wxid_abc123", "微信"),
        ("微信：zhang_san88", "微信"),
        ("微信号是 zhang_san88", "微信号"),
        ("微信号码: LiWei2026", "微信号码"),
        ("V信：abc12345", "V信"),
        ("v信 abc12345", "v信"),
        ("vx: shop_service1", "vx"),
        ("VX abc-12345", "VX"),
        ("wx：abcdef9", "wx"),
        ("威信 abc_12345", "威信"),
        ("薇信 abc_12345", "薇信"),
    ],
}
KEPT = [
    "订单金额12345元",
    "2026年11月22日",
    "2026-11-22 10:30:00",
    "时间10:30:00",
    "价格0.99元，便宜",
    "版本号 12.3",
    "第5次投诉",
    "微信支付扣款失败",
    "qq音乐会员到期",
    "打400电话没人接",
]


@pytest.mark.parametrize(
    ("shape", "placeholder"), [(s, p) for p, shapes in SHAPES.items() for s in shapes]
)
def test_every_shape_is_masked(shape: str, placeholder: str) -> None:
    assert mask_pii(f"客户说：{shape}，请尽快处理") == f"客户说：{placeholder}，请尽快处理"


@pytest.mark.parametrize(
    ("shape", "marker", "placeholder"),
    [(s, m, p) for p, shapes in MARKED.items() for s, m in shapes],
)
def test_qq_and_wechat_keep_their_marker(shape: str, marker: str, placeholder: str) -> None:
    assert mask_pii(f"加我{shape}谢谢") == f"加我{marker}{placeholder}谢谢"


@pytest.mark.parametrize("text", KEPT)
def test_numbers_that_are_not_personal_stay(text: str) -> None:
    assert mask_pii(text) == text


def test_each_kind_has_at_least_ten_shapes() -> None:
    counts = {p: len(s) for p, s in {**SHAPES, **MARKED}.items()}
    assert min(counts.values()) >= 10 and len(counts) == 8


def test_text_outside_the_masks_is_returned_as_given() -> None:
    assert mask_pii("全角ＡＢＣ，电话１３８１２３４５６７８！") == "全角ＡＢＣ，电话<手机号>！"


_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@given(st.text(), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text())
def test_a_phone_number_never_survives(before: str, phone: str, after: str) -> None:
    masked = mask_pii(f"{before} {phone} {after}")
    assert phone not in masked or _PHONE.search(masked) is None
