import ast
import re
from pathlib import Path

import pytest

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.report.catalogue import english_labels
from feedback_miner.report.i18n import Labels, sheet_names

REPORT = Path(__file__).resolve().parents[2] / "feedback_miner" / "report"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# separators and the cut marker: the same in both languages
UNTRANSLATED = {"…[截断]"}


def _chinese_constants() -> set[str]:
    """Every string constant with Chinese characters in the report's code, docstrings aside."""
    found: set[str] = set()
    for path in REPORT.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _CJK.search(node.value)
        }
    return found - UNTRANSLATED


def test_every_label_has_english_and_every_entry_is_used() -> None:
    labels = _chinese_constants()
    english = english_labels()
    assert sorted(labels - set(english)) == []
    assert sorted(set(english) - labels) == []


@pytest.mark.parametrize(
    ("lang", "text", "values", "expected"),
    [
        ("zh", "流失原因", {}, "流失原因"),
        ("en", "流失原因", {}, "Churn reasons"),
        ("en", "按“{name}”", {"name": "plan"}, 'By "plan"'),
        ("zh", "按“{name}”", {"name": "plan"}, "按“plan”"),
        ("en", "负面", {}, "Negative"),
    ],
)
def test_labels(lang: str, text: str, values: dict, expected: str) -> None:
    assert Labels(lang)(text, **values) == expected


@pytest.mark.parametrize(
    ("kind", "zh", "en"),
    [("natural", "自然流失", "Natural"), ("passive", "被动流失", "Passive"), ("", "", "")],
)
def test_churn_type_names(kind: str, zh: str, en: str) -> None:
    assert Labels("zh").churn_type(kind) == zh
    assert Labels("en").churn_type(kind) == en


def test_sheet_names_are_distinct_and_short() -> None:
    for lang in ("zh", "en"):
        names = sheet_names(lang)
        assert len(set(names)) == 16
        assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_unknown_language() -> None:
    with pytest.raises(FeedbackMinerError) as error:
        Labels("fr")
    assert str(error.value) == "--lang is 'fr', which is not valid; use one of: zh, en."


def test_a_label_without_english_names_the_file() -> None:
    with pytest.raises(KeyError, match=r"no English in lexicons/report_labels\.tsv for '新词'"):
        Labels("en")("新词")
