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


_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@given(st.text(), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text())
def test_a_phone_number_never_survives(before: str, phone: str, after: str) -> None:
    masked = mask_pii(f"{before} {phone} {after}")
    assert phone not in masked or _PHONE.search(masked) is None
