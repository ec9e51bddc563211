"""Which built-in pack fits a corpus (tests/fixtures/domains: 32 texts per domain, written by us)."""

from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.cli import main
from feedback_miner.errors import TaxonomyError
from feedback_miner.ingest import ingest_file
from feedback_miner.pipeline import analyze
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.summary.coverage import LOW_COVERAGE
from feedback_miner.themes import PACKS, load_pack
from feedback_miner.themes.fit import FIT_COLUMNS, fit_taxonomies, resolve_taxonomy

DOMAINS = [
    "ecommerce",
    "restaurant",
    "hotel",
    "telecom",
    "automotive",
    "finance",
    "app",
    "education",
]


@pytest.fixture(scope="module")
def fits(fixtures_dir: Path):
    texts = {
        d: ingest_file(fixtures_dir / "domains" / f"{d}.csv").records["text"].tolist()
        for d in DOMAINS
    }
    candidates = [(pack, load_pack(pack)) for pack in PACKS]
    scorer = SentimentScorer().fit()
    return {d: fit_taxonomies(t, candidates, scorer=scorer) for d, t in texts.items()}


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_gets_its_own_pack(fits, domain: str) -> None:
    result = fits[domain]
    assert result.of(domain).documents >= 30
    assert result.chosen == domain
    assert result.of(domain).negative_coverage >= LOW_COVERAGE


def test_the_table_has_one_row_per_pack_and_one_chosen(fits) -> None:
    table = fits["hotel"].table()
    assert list(table.columns) == list(FIT_COLUMNS)
    assert table["taxonomy"].tolist() == list(PACKS)
    assert table["chosen"].tolist() == [p == "hotel" for p in PACKS]
    assert table[["coverage", "negative_coverage"]].stack().between(0, 1).all()


def test_the_generic_taxonomy_covers_less_of_a_domain_than_its_pack(fits) -> None:
    for domain in ("hotel", "automotive", "restaurant"):
        assert (
            fits[domain].of("default").negative_coverage
            < fits[domain].of(domain).negative_coverage - 0.3
        )


@pytest.mark.parametrize(
    ("value", "key"),
    [("auto", "auto"), (None, "auto"), ("hotel", "hotel"), ("default", "default")],
)
def test_resolve_taxonomy(value, key: str) -> None:
    assert resolve_taxonomy(value)[0] == key


def test_an_unknown_taxonomy_name_lists_the_choices() -> None:
    with pytest.raises(TaxonomyError) as info:
        resolve_taxonomy("hotels")
    assert str(info.value) == (
        "--taxonomy is 'hotels', which is not valid; use one of: auto, default, ecommerce, "
        "restaurant, hotel, telecom, automotive, finance, app, education, FILE.toml."
    )


def test_analyze_warns_when_no_pack_covers_the_complaints(tmp_path: Path) -> None:
    # complaints about a garden centre's plants: no built-in pack is about plants
    lines = [
        "买回来的多肉三天就烂根了，太失望",
        "绿萝叶子全黄了，根本养不活",
        "发财树的叶子掉光了，很难过",
        "花盆里全是虫卵，气死了",
        "兰花一个花苞都没开，失望",
        "土太黏了，浇水以后一直不干，很糟糕",
    ] * 3
    path = tmp_path / "garden.csv"
    pd.DataFrame({"评价": [f"{t}（第{i}盆）" for i, t in enumerate(lines)]}).to_csv(
        path, index=False
    )
    result = analyze([path], with_summary=False)
    assert result.taxonomy_fit is not None and result.taxonomy_fit.how == "auto"
    assert [w.code for w in result.warnings] == ["low_coverage"]
    assert "themes discover" in result.warnings[0].message
    assert result.taxonomy_fit.negative_coverage < LOW_COVERAGE


def test_themes_fit_command(fixtures_dir: Path, tmp_path: Path, capsys) -> None:
    own = tmp_path / "own.toml"
    own.write_text(
        '[taxonomy]\nname = "mine"\n[[themes]]\nid = "noise"\nname = "噪音"\nkeywords = ["隔音", "吵"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "fit.csv"
    code = main(
        [
            "themes",
            "fit",
            str(fixtures_dir / "domains" / "hotel.csv"),
            "--taxonomy",
            str(own),
            "-o",
            str(out),
        ]
    )
    assert code == 0
    table = pd.read_csv(out)
    assert list(table.columns) == list(FIT_COLUMNS)
    assert table["taxonomy"].tolist() == [*PACKS, str(own)]
    assert table.loc[table["chosen"], "taxonomy"].tolist() == ["hotel"]
    assert "Best fit: hotel" in capsys.readouterr().err


def test_analyze_names_the_pack_it_picked(fixtures_dir: Path, tmp_path: Path, capsys) -> None:
    report = tmp_path / "r.xlsx"
    assert (
        main(["analyze", str(fixtures_dir / "domains" / "automotive.csv"), "-o", str(report)]) == 0
    )
    err = capsys.readouterr().err
    assert "Taxonomy: automotive (picked by --taxonomy auto)" in err
    from openpyxl import load_workbook

    overview = {r[0]: r[1] for r in load_workbook(report)["概览"].iter_rows(values_only=True) if r}
    assert overview["流失原因分类(taxonomy)"].startswith("automotive（自动选择）")
    assert overview["流失原因分类"].startswith("automotive ")


def test_a_pack_can_be_given_by_name(fixtures_dir: Path) -> None:
    result = analyze(
        [fixtures_dir / "domains" / "hotel.csv"], taxonomy="restaurant", with_summary=False
    )
    assert result.taxonomy.name == "restaurant"
    assert result.taxonomy_fit is not None and result.taxonomy_fit.how == "given"
    assert result.taxonomy_fit.candidates is None


def test_every_pack_is_complete() -> None:
    for pack in PACKS:
        taxonomy = load_pack(pack)
        assert len(taxonomy.themes) >= 12, pack
        assert all(
            t.keywords and t.churn_type and t.actions and t.owner for t in taxonomy.themes
        ), pack
        assert any(t.parent for t in taxonomy.themes), pack
        assert any(t.exclude for t in taxonomy.themes), pack
        assert taxonomy.competitors, pack
        assert taxonomy.description, pack


def test_covers_is_whether_any_clause_has_a_keyword_match(fixtures_dir: Path) -> None:
    """The fit's early-stopping check agrees with the full analysis, text by text, for every
    pack on every domain's texts (so the fit's coverage is the analysis's coverage)."""
    from feedback_miner.text import split_clauses
    from feedback_miner.themes import build_matcher

    texts = [
        t
        for d in DOMAINS
        for t in ingest_file(fixtures_dir / "domains" / f"{d}.csv").records["text"]
    ]
    clauses = [split_clauses(t) for t in texts]
    agree = disagree = 0
    for pack in PACKS:
        matcher = build_matcher(load_pack(pack))
        for c in clauses:
            if matcher.covers(c) == bool(matcher.analyse_clauses(c)[0]):
                agree += 1
            else:
                disagree += 1
    assert disagree == 0 and agree == len(PACKS) * len(texts)
