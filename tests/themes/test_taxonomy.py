from pathlib import Path

import pytest

from feedback_miner.errors import TaxonomyError
from feedback_miner.themes import load_taxonomy, parse_taxonomy

GOOD = """\
[taxonomy]
name = "telecom"
version = "2026.11"

[[themes]]
id = "price"
name = "资费价格"
keywords = ["资费", "太贵"]
exclude = ["贵宾"]

[[themes]]
id = "billing"
name = "乱扣费"
parent = "price"
churn_type = "active"
keywords = ["乱扣费"]

[competitors]
names = ["中国移动", "联通"]
"""


def test_default_taxonomy_is_valid_and_broad() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.themes) >= 12
    for wanted in (
        "price",
        "quality",
        "logistics",
        "service",
        "usability",
        "bugs",
        "refund",
        "marketing",
        "account_security",
        "competitor",
        "need_gone",
        "content",
    ):
        assert wanted in taxonomy.ids
    assert {t.churn_type for t in taxonomy.themes} == {"natural", "active", "passive"}
    assert taxonomy.competitors


def test_parse_good_file() -> None:
    taxonomy = parse_taxonomy(GOOD, source="t.toml")
    assert taxonomy.name == "telecom" and taxonomy.version == "2026.11"
    assert taxonomy.ids == ("price", "billing")
    assert taxonomy.theme("billing").parent == "price"
    assert taxonomy.theme("price").exclude == ("贵宾",)
    assert taxonomy.competitors == ("中国移动", "联通")


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _replace('id = "billing"', 'id = "Billing!"'),
            "t.toml, line 12: theme #2, field 'id': 'Billing!' is not a valid id; "
            "use lower-case letters, digits and _.",
        ),
        (
            _replace('id = "billing"', 'id = "price"'),
            "t.toml, line 12: theme #2, field 'id': 'price' is already used by theme #1; ids must be unique.",
        ),
        (
            _replace('name = "乱扣费"', 'name = ""'),
            "t.toml, line 13: theme #2, field 'name': a non-empty name is required.",
        ),
        (
            _replace('keywords = ["乱扣费"]', "keywords = []"),
            "t.toml, line 16: theme #2, field 'keywords': a non-empty list of strings is required.",
        ),
        (
            _replace('keywords = ["乱扣费"]', 'keywords = "乱扣费"'),
            "t.toml, line 16: theme #2, field 'keywords': a non-empty list of strings is required.",
        ),
        (
            _replace('churn_type = "active"', 'churn_type = "voluntary"'),
            "t.toml, line 15: theme #2, field 'churn_type': churn_type is 'voluntary', which is not "
            "valid; use one of: natural, active, passive.",
        ),
        (
            _replace('parent = "price"', 'parent = "fees"'),
            "t.toml, line 14: theme #2, field 'parent': 'fees' is not the id of a theme in this file.",
        ),
        (
            _replace('exclude = ["贵宾"]', 'exclud = ["贵宾"]'),
            "t.toml, line 9: theme #1, field 'exclud': unknown field; the fields are actions, "
            "churn_type, description, exclude, id, keywords, name, negated, owner, parent, requires.",
        ),
        (
            _replace('names = ["中国移动", "联通"]', 'names = "中国移动"'),
            "t.toml, line 19: [competitors] names must be a list of strings.",
        ),
        (
            "[taxonomy]\nname = 'x'\n",
            "t.toml: no [[themes]] found; add at least one block with id, name and keywords.",
        ),
    ],
)
def test_validation_errors_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, source="t.toml")
    assert str(info.value) == message


def test_parent_cycle_is_reported() -> None:
    text = _replace('name = "资费价格"', 'name = "资费价格"\nparent = "billing"')
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, source="t.toml")
    assert str(info.value) == (
        "t.toml, line 8: theme #1, field 'parent': the parents form a cycle (price -> billing -> price)."
    )


def test_toml_syntax_error_names_the_line() -> None:
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(GOOD.replace('name = "资费价格"', 'name = "资费价格'), source="t.toml")
    assert str(info.value).startswith("t.toml: not valid TOML: ")
    assert "line 7" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(tmp_path / "none.toml")
    assert str(info.value) == (
        f"{tmp_path / 'none.toml'}: taxonomy file not found. Check the path, or leave out "
        "--taxonomy to use the default taxonomy."
    )


def test_file_with_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    assert load_taxonomy(path).ids == ("price", "billing")


RULES = """\
[taxonomy]
name = "rules"

[[themes]]
id = "security"
name = "账号安全"
keywords = ["安全", "盗号"]
requires = { "安全" = ["账号", "密码"] }
negated = "count"
actions = ["异常登录提醒"]
owner = "安全组"
"""


def test_optional_fields_are_read() -> None:
    theme = parse_taxonomy(RULES, source="r.toml").theme("security")
    assert theme.requires == (("安全", ("账号", "密码")),)
    assert theme.negated == "count"
    assert theme.actions == ("异常登录提醒",)
    assert theme.owner == "安全组"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'actions = ["异常登录提醒"]',
            'actions = "异常登录提醒"',
            "r.toml, line 10: theme #1, field 'actions': must be a list of strings (what to do "
            "about the theme).",
        ),
        (
            'owner = "安全组"',
            "owner = 3",
            "r.toml, line 11: theme #1, field 'owner': must be a string (who acts on the theme).",
        ),
        (
            'negated = "count"',
            'negated = "never"',
            "r.toml, line 9: theme #1, field 'negated': negated is 'never', which is not valid; "
            "use one of: count, ignore.",
        ),
        (
            'requires = { "安全" = ["账号", "密码"] }',
            'requires = ["账号"]',
            "r.toml, line 8: theme #1, field 'requires': must be a table of keyword = [context "
            'words], e.g. requires = { "安全" = ["账号"] }.',
        ),
        (
            'requires = { "安全" = ["账号", "密码"] }',
            'requires = { "隐私" = ["账号"] }',
            "r.toml, line 8: theme #1, field 'requires': '隐私' is not one of the theme's "
            "keywords; add it to keywords.",
        ),
        (
            'requires = { "安全" = ["账号", "密码"] }',
            'requires = { "安全" = [] }',
            "r.toml, line 8: theme #1, field 'requires': the context of '安全' must be a non-empty "
            "list of strings.",
        ),
    ],
)
def test_optional_field_errors(old: str, new: str, message: str) -> None:
    assert old in RULES
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(RULES.replace(old, new), source="r.toml")
    assert str(info.value) == message


def test_hierarchy_helpers() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.children("price") == ("billing", "loan_fees")
    assert taxonomy.ancestors("billing") == ("price",)
    order = taxonomy.in_hierarchy_order()
    assert order.index("billing") == order.index("price") + 1
    assert sorted(order) == sorted(taxonomy.ids)
