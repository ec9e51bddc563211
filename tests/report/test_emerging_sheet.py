"""The 新主题 sheet: the same proposals as ``themes discover``, or why there are none."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from review_corpus import review_corpus

from feedback_miner.report.cells import Grid
from feedback_miner.report.evidence import emerging_sheet
from feedback_miner.report.i18n import Labels
from feedback_miner.summary.emerging import EmergingThemes
from feedback_miner.themes.discover import discover_topics


def _values(grid: Grid) -> dict[int, list[object]]:
    return {row: [cells[c][0] for c in sorted(cells)] for row, cells in sorted(grid.cells.items())}


@pytest.fixture(scope="module")
def discovery(matcher):
    texts = review_corpus(30, seed=5)["text"].tolist()
    negative = [i % 3 != 0 for i in range(len(texts))]
    return discover_topics(texts, k="auto", tokenizer=matcher.tokenizer_, negative=negative)


def test_the_sheet_lists_the_proposals(discovery) -> None:
    emerging = EmergingThemes(240, 240, discovery)
    grid = emerging_sheet(Grid("新主题"), SimpleNamespace(emerging=emerging), Labels("zh"))
    rows = _values(grid)
    assert rows[1][0].startswith("在 240 条未被任何主题覆盖的抱怨")
    assert rows[2][0].startswith(f"话题数 {discovery.k}：在 3-15 个之间")
    assert rows[3][0].startswith("一致性：好 = 关键词常在同一条反馈中一起出现")
    assert rows[4][0].startswith("如何采用：运行 feedback-miner themes discover")
    assert rows[6] == [
        "话题",
        "名称",
        "文档数",
        "负面占比",
        "一致性",
        "关键词",
        "例句 1",
        "例句 2",
        "例句 3",
    ]
    table = [rows[r] for r in range(7, 7 + discovery.k)]
    for row, topic in zip(table, discovery.topics, strict=True):
        assert row[:4] == [topic.index + 1, topic.name, topic.size, topic.share_negative]
        label = "好" if topic.coherence_label == "good" else "弱"
        assert row[4] == f"{label} (NPMI {topic.coherence:.2f})"
        assert row[5] == "、".join(topic.keywords)
        assert row[6:] == [f"「{q}」" for q in topic.quotes]


def test_the_sheet_in_english(discovery) -> None:
    emerging = EmergingThemes(240, 240, discovery)
    grid = emerging_sheet(Grid("New themes"), SimpleNamespace(emerging=emerging), Labels("en"))
    rows = _values(grid)
    assert rows[4][0].startswith("To adopt one: run feedback-miner themes discover INPUT")
    assert rows[6][:5] == ["Topic", "Name", "Documents", "Share negative", "Coherence"]
    assert rows[7][4].startswith(("good (NPMI", "weak (NPMI"))


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (
            "too_few",
            "未被任何主题覆盖的负面反馈只有 12 条(至少需要 20 条)，没有可提议的新主题。",
        ),
        (
            "no_topics",
            "在 12 条未被任何主题覆盖的抱怨中，没有一个话题为足够多的反馈共有(至少 3 条且占 1%)，"
            "没有可提议的新主题。",
        ),
    ],
)
def test_why_there_are_no_proposals(reason: str, message: str) -> None:
    emerging = EmergingThemes(12, 12, None, reason)
    grid = emerging_sheet(Grid("新主题"), SimpleNamespace(emerging=emerging), Labels("zh"))
    assert _values(grid) == {1: [message]}
