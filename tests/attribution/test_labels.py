from pathlib import Path

import pytest

from feedback_miner.attribution import load_labels, parse_churn_value
from feedback_miner.errors import LabelError


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("1", 1),
        ("0", 0),
        ("1.0", 1),
        ("true", 1),
        ("False", 0),
        ("YES", 1),
        ("n", 0),
        ("是", 1),
        ("否", 0),
        ("已流失", 1),
        ("未流失", 0),
        ("留存", 0),
        ("churned", 1),
        ("retained", 0),
        ("maybe", None),
        (None, None),
    ],
)
def test_parse_churn_value(value: object, parsed: int | None) -> None:
    assert parse_churn_value(value) == parsed


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_detected_and_covariates_chosen(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "用户ID,是否流失,流失日期,在网月数,套餐,注册日期,备注\n"
        "U1,是,2026-05-01,3,基础,2024-01-01,a\nU2,否,,40,高级,2023-02-01,b\n"
        "U3,否,,12,基础,2022-03-01,c\n"
        + "".join(f"U{i},否,,12,基础,2022-03-01,note{i}\n" for i in range(4, 30)),
    )
    labels = load_labels(path)
    assert (labels.id_col, labels.churn_col, labels.date_col) == ("用户ID", "是否流失", "流失日期")
    assert labels.frame["churned"].tolist()[:3] == [1, 0, 0]
    assert str(labels.frame["churn_date"].iloc[0].date()) == "2026-05-01"
    assert labels.covariates == ("在网月数", "套餐")
    assert labels.skipped == {"备注": "more than 20 categories"}
    assert labels.start_col == "注册日期"  # the time origin of time-to-churn, not a covariate


def test_non_binary_churn_values(tmp_path: Path) -> None:
    path = write(tmp_path, "user_id,churned\nU1,1\nU2,maybe\nU3,0\nU4,2\n")
    with pytest.raises(LabelError) as info:
        load_labels(path)
    assert str(info.value) == (
        f"{path}: column 'churned' must say churned or not for every user, but 2 rows have other "
        "values (row 2: 'maybe', row 4: '2'). Use 1/0, true/false, 是/否 or 已流失/未流失, or name "
        "another column with --label-col."
    )


def test_no_churn_column(tmp_path: Path) -> None:
    path = write(tmp_path, "user_id,plan\nU1,a\n")
    with pytest.raises(LabelError) as info:
        load_labels(path)
    assert str(info.value) == (
        f"{path}: cannot tell which column says whether a user churned; the columns are: 'user_id', "
        "'plan'. Name it with --label-col NAME (values 1/0, true/false, 是/否, 已流失/未流失)."
    )


def test_no_id_column(tmp_path: Path) -> None:
    path = write(tmp_path, "who,churned\nU1,1\n")
    with pytest.raises(LabelError) as info:
        load_labels(path)
    assert str(info.value) == (
        f"{path}: cannot tell which column holds the user id; the columns are: 'who', 'churned'. "
        "Name it with --label-id-col NAME."
    )
    assert load_labels(path, id_col="who").frame["user_id"].tolist() == ["U1"]


def test_conflicting_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, "user_id,churned\nU1,1\nU1,0\nU2,0\n")
    with pytest.raises(LabelError) as info:
        load_labels(path)
    assert str(info.value) == (
        f"{path}: user ids appear more than once with different churn values (e.g. 'U1'); keep one row per user."
    )


def test_identical_duplicates_are_merged(tmp_path: Path) -> None:
    path = write(tmp_path, "user_id,churned\nU1,1\nU1,1\nU2,0\n")
    assert load_labels(path).frame["user_id"].tolist() == ["U1", "U2"]


def test_a_text_covariate_holds_one_string_per_level(tmp_path: Path) -> None:
    plans = ["基础", "高级", "", "基础", "家庭", "高级"] * 5
    path = write(
        tmp_path,
        "user_id,churned,plan\n" + "".join(f"U{i},{i % 2},{p}\n" for i, p in enumerate(plans)),
    )
    labels = load_labels(path)
    column = labels.frame["plan"]
    assert column.dtype == object
    assert column.tolist() == [p or "(missing)" for p in plans]
    assert len({id(v) for v in column}) == column.nunique() == 4
