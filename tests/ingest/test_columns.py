import pandas as pd
import pytest

from feedback_miner.errors import ColumnError
from feedback_miner.ingest import canonical_name, infer_roles


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("3、性别 ", "性别"),
        ("Q3. Why?", "why?"),
        ("第6题：原因", "原因"),
        ("User_ID", "user_id"),
        ("7．建议", "建议"),
    ],
)
def test_canonical_name(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical


def survey() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "序号": ["1", "2", "3", "4"],
            "提交答卷时间": [
                "2026/5/1 10:00",
                "2026/5/2 10:00",
                "2026/5/3 10:00",
                "2026/5/4 10:00",
            ],
            "1、用户ID": ["U1", "U2", "U3", "U4"],
            "2、性别": ["男", "女", "女", "男"],
            "3、推荐意愿(0-10分)": ["3", "9", "5", "0"],
            "4、兴趣": ["运动┋影视", "阅读", "影视┋购物", "游戏┋运动"],
            "5、您为什么不再使用？": [
                "自动续费乱扣钱",
                "搬家了用不上",
                "客服态度差",
                "闪退太频繁了",
            ],
        },
        dtype=object,
    )


def test_roles_inferred_from_names_and_content() -> None:
    roles = infer_roles(survey(), file="s.xlsx")
    assert roles.text == ("5、您为什么不再使用？",)
    assert roles.user_id == "1、用户ID"
    assert roles.time == "提交答卷时间"
    assert roles.rating == "3、推荐意愿(0-10分)"
    assert roles.record_id == "序号"
    assert roles.how == {
        "text": "content",
        "user_id": "name",
        "time": "name",
        "rating": "name",
        "record_id": "name",
    }


def test_options_win_and_match_canonical_names() -> None:
    roles = infer_roles(survey(), file="s.xlsx", text_cols=["4、兴趣"], user_id_col="用户ID")
    assert roles.text == ("4、兴趣",)
    assert roles.user_id == "1、用户ID"
    assert roles.how["text"] == "option" and roles.how["user_id"] == "option"


def test_unknown_text_column_lists_columns() -> None:
    with pytest.raises(ColumnError) as info:
        infer_roles(survey(), file="s.xlsx", text_cols=["原因"])
    assert str(info.value) == (
        "s.xlsx: --text-col '原因' is not a column of this file. The columns are: '序号', '提交答卷时间', "
        "'1、用户ID', '2、性别', '3、推荐意愿(0-10分)', '4、兴趣', '5、您为什么不再使用？'."
    )


def test_no_free_text_column_is_an_error_not_a_guess() -> None:
    frame = survey().drop(columns=["5、您为什么不再使用？"])
    with pytest.raises(ColumnError) as info:
        infer_roles(frame, file="s.xlsx")
    assert str(info.value) == (
        "s.xlsx: no column holds free text (answers in the customer's own words); the columns are: "
        "'序号', '提交答卷时间', '1、用户ID', '2、性别', '3、推荐意愿(0-10分)', '4、兴趣'. Choice answers "
        "such as option labels are not mined. Name the free-text column with --text-col NAME."
    )


def test_free_text_that_repeats_in_a_large_file_is_still_found() -> None:
    complaints = [f"第{i % 300}种投诉：客服态度差" for i in range(3000)]  # 300 distinct, 10% share
    choices = [["满意", "一般", "不满意"][i % 3] + "的选项" for i in range(3000)]
    frame = pd.DataFrame({"选项": choices, "问题描述": complaints}, dtype=object)
    assert infer_roles(frame, file="big.csv").text == ("问题描述",)


def test_sparse_other_please_specify_column_is_not_the_text_column() -> None:
    frame = survey().drop(columns=["5、您为什么不再使用？"])
    frame = pd.concat([frame] * 25, ignore_index=True)  # 100 respondents
    frame["4、兴趣〖填写〗"] = [None] * 99 + ["钓鱼和露营之类的户外活动"]
    with pytest.raises(ColumnError):
        infer_roles(frame, file="s.xlsx")
