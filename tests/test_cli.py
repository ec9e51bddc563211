"""The command line end to end: outputs, their columns, and exit 2 with a clear message."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from feedback_miner.attribution import ATTRIBUTION_COLUMNS
from feedback_miner.cli import main
from feedback_miner.report import SHEETS
from feedback_miner.schema import DOC_COLUMNS, MENTION_COLUMNS

INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")
REPO_TAXONOMY = Path(__file__).resolve().parent.parent / "lexicons" / "taxonomy" / "default.toml"


@pytest.fixture(scope="module")
def analyzed(samples_dir: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli")
    code = main(
        [
            "analyze",
            *[str(samples_dir / n) for n in INPUTS],
            "--labels",
            str(samples_dir / "churn_labels.csv"),
            "-o",
            str(out / "r.xlsx"),
            "--docs",
            str(out / "d.csv"),
            "--mentions",
            str(out / "m.parquet"),
            "--attribution",
            str(out / "a.csv"),
            "--summary",
            str(out / "summary.json"),
            "--drivers",
            str(out / "drivers.csv"),
            "--changes",
            str(out / "changes.csv"),
            "--quiet",
        ]
    )
    assert code == 0
    return out


def test_analyze_writes_all_outputs_with_contract_columns(analyzed: Path) -> None:
    docs = pd.read_csv(analyzed / "d.csv")
    mentions = pd.read_parquet(analyzed / "m.parquet")
    attribution = pd.read_csv(analyzed / "a.csv")
    assert list(docs.columns[: len(DOC_COLUMNS)]) == list(DOC_COLUMNS)
    assert list(mentions.columns) == [*MENTION_COLUMNS, "keywords", "method"]
    assert list(attribution.columns[: len(ATTRIBUTION_COLUMNS)]) == list(ATTRIBUTION_COLUMNS)
    top_level = attribution[attribution["parent_id"].isna()]
    assert set(top_level["theme_id"][:3]) == {"price", "bugs", "service"}
    assert load_workbook(analyzed / "r.xlsx").sheetnames == list(SHEETS)


def test_report_figures_equal_the_csv(analyzed: Path) -> None:
    attribution = pd.read_csv(analyzed / "a.csv").set_index("theme_id")
    sheet = load_workbook(analyzed / "r.xlsx")["原因统计"]
    listed = []
    for i in range(4, sheet.max_row + 1):
        theme_id = sheet.cell(row=i, column=1).value
        if theme_id not in attribution.index:
            break
        listed.append(theme_id)
        impact = attribution.loc[theme_id, "impact"]
        if pd.notna(impact):
            assert sheet.cell(row=i, column=13).value == pytest.approx(impact)
    # themes that exposed users are all listed (those nobody mentioned are named in one line)
    assert set(attribution.index[attribution["n_users"] > 0]) <= set(listed)


def test_outputs_are_reproducible(samples_dir: Path, analyzed: Path, tmp_path: Path) -> None:
    code = main(
        [
            "analyze",
            *[str(samples_dir / n) for n in INPUTS],
            "--labels",
            str(samples_dir / "churn_labels.csv"),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--docs",
            str(tmp_path / "d.csv"),
            "--attribution",
            str(tmp_path / "a.csv"),
            "--jobs",
            "2",
            "--quiet",
        ]
    )
    assert code == 0
    assert (tmp_path / "d.csv").read_bytes() == (analyzed / "d.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == (analyzed / "a.csv").read_bytes()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ([], "Adapted from ratings: 238 positive and 59 negative training texts. On 74 held-back"),
        (["--no-rating-adapt"], None),
    ],
)
def test_analyze_says_what_rating_adaptation_did(
    samples_dir: Path, tmp_path: Path, capsys, extra: list[str], said: str | None
) -> None:
    inputs = [str(samples_dir / n) for n in ("service_tickets.csv", "social_posts.csv")]
    assert main(["analyze", *inputs, "-o", str(tmp_path / "r.xlsx"), *extra]) == 0
    err = capsys.readouterr().err
    if said is None:
        assert "Adapted from" not in err
    else:
        assert said in err and "95% CI" in err


ANALYZE_PHASES = [
    "workers started",
    "labels read",
    "inputs read ahead",
    "corpus models",
    "sentiment adaptation",
    "text stages",
    "attribution",
    "score drivers and changes",
    "summaries",
    "tables written",
    "report written",
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_analyze_timings_lists_each_phase_even_when_quiet(
    samples_dir: Path, tmp_path: Path, capsys, jobs: str
) -> None:
    argv = [
        "analyze",
        str(samples_dir / "service_tickets.csv"),
        "--labels",
        str(samples_dir / "churn_labels.csv"),
        "-o",
        str(tmp_path / "r.xlsx"),
        "--jobs",
        jobs,
        "--quiet",
        "--timings",
    ]
    assert main(argv) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].split() == ["phase", "seconds", "share"]
    rows = [line.rsplit(maxsplit=2) for line in lines[1:]]
    assert [name for name, _, _ in rows] == [*ANALYZE_PHASES, "total"]
    seconds = [float(s) for _, s, _ in rows]
    assert all(s >= 0 for s in seconds)
    assert abs(sum(seconds[:-1]) - seconds[-1]) <= 0.05 * len(ANALYZE_PHASES)  # 0.1 s rounding
    assert rows[-1][2] == "100%"


def test_ingest_and_rejects(samples_dir: Path, tmp_path: Path, capsys) -> None:
    code = main(
        [
            "ingest",
            str(samples_dir / "survey_wjx.xlsx"),
            "-o",
            str(tmp_path / "r.csv"),
            "--rejects",
            str(tmp_path / "x.csv"),
        ]
    )
    assert code == 0
    records, rejects = pd.read_csv(tmp_path / "r.csv"), pd.read_csv(tmp_path / "x.csv")
    assert len(records) + len(rejects) == 490
    assert set(rejects["reason"]) == {"non_answer", "empty_text"}
    assert "text=4、您考虑停用或已经停用悦看视频的主要原因是什么？" in capsys.readouterr().err


def test_sentiment_keeps_every_row_in_order(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,评价\n1,非常满意\n2,\n3,太差了\n", encoding="utf-8")
    assert (
        main(
            [
                "sentiment",
                str(source),
                "--text-col",
                "评价",
                "-o",
                str(tmp_path / "out.csv"),
                "--quiet",
            ]
        )
        == 0
    )
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["id"].tolist() == [1, 2, 3]
    assert list(out.columns) == ["id", "评价", "sentiment_score", "sentiment_label"]
    assert out["sentiment_score"].iloc[0] > 0 and pd.isna(out["sentiment_score"].iloc[1])
    assert out["sentiment_label"].tolist()[0::2] == ["positive", "negative"]


def test_demo(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert main(["demo", "-o", str(demo), "--quiet"]) == 0
    for name in ("report.xlsx", "docs.csv", "mentions.csv", "attribution.csv", *INPUTS):
        assert (demo / name).is_file()
    # the three steps: labels from the order log, the report's actions, the risk list
    labels = pd.read_csv(demo / "activity_labels.csv")
    assert labels["churned"].isin([0, 1]).all() and labels["rfm_segment"].notna().all()
    assert "行动建议" in load_workbook(demo / "report.xlsx", read_only=True).sheetnames
    risk = load_workbook(demo / "risk.xlsx", read_only=True)
    assert risk.sheetnames == ["风险名单", "行动建议", "回测"]


def run_error(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip()


def test_missing_file(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.csv"
    assert run_error(["analyze", str(missing), "-o", str(tmp_path / "r.xlsx")], capsys) == (
        f"feedback-miner: error: {missing}: file not found. Check the path and the current directory."
    )


def test_empty_file(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert run_error(["analyze", str(empty), "-o", str(tmp_path / "r.xlsx")], capsys) == (
        f"feedback-miner: error: {empty}: the file is empty (0 bytes). Export it again from the source system."
    )


def test_text_column_that_does_not_exist(samples_dir: Path, tmp_path: Path, capsys) -> None:
    posts = samples_dir / "social_posts.csv"
    assert run_error(
        ["analyze", str(posts), "--text-col", "正文", "-o", str(tmp_path / "r.xlsx")], capsys
    ) == (
        f"feedback-miner: error: {posts}: --text-col '正文' is not a column of this file. The columns are: "
        "'微博ID', '用户ID', '发布时间', '微博内容', '转发数', '评论数', '点赞数'."
    )


def test_label_file_with_no_matching_users(samples_dir: Path, tmp_path: Path, capsys) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("user_id,churned\nX1,1\nX2,0\n", encoding="utf-8")
    err = run_error(
        [
            "analyze",
            str(samples_dir / "service_tickets.csv"),
            "--labels",
            str(labels),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        capsys,
    )
    assert err.startswith(
        f"feedback-miner: error: {labels}: none of its 2 user ids matches a user id in the feedback ("
    )
    assert err.endswith("and that both use the same ids.")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["-o", "r.pdf"],
            "-o r.pdf: the report is an Excel workbook; give a name ending in .xlsx.",
        ),
        (
            ["--docs", "d.json"],
            "--docs d.json: the file name must end in .csv or .parquet (the suffix chooses the format).",
        ),
        (
            ["--attribution", "a.csv"],
            "--attribution needs --labels: attribution joins themes to a churn label file.",
        ),
        (["--jobs", "0"], "--jobs is 0; use 1 or more worker processes."),
        (
            ["--summary", "s.txt"],
            "--summary s.txt: the run summary is JSON; give a name ending in .json.",
        ),
    ],
)
def test_bad_options(samples_dir: Path, capsys, extra: list[str], message: str) -> None:
    argv = ["analyze", str(samples_dir / "social_posts.csv"), *extra]
    assert run_error(argv, capsys) == f"feedback-miner: error: {message}"


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["analyze"])
    assert info.value.code == 2
    assert "the following arguments are required: INPUT" in capsys.readouterr().err


def test_sentiment_learns_from_a_rating_column(tmp_path: Path, capsys) -> None:
    good = ["服务很好，非常满意", "这款奶茶太上头了", "直接回血，推荐"]
    bad = ["太失望了，再也不买", "纯纯大冤种", "直接下头，很难用"]
    rows = [(good[i % 3], 5) if i % 2 else (bad[i % 3], 1) for i in range(120)]
    source = tmp_path / "rated.csv"
    pd.DataFrame(rows, columns=["评价", "星级"]).to_csv(source, index=False)
    assert (
        main(
            [
                "sentiment",
                str(source),
                "--text-col",
                "评价",
                "--rating-col",
                "星级",
                "-o",
                str(tmp_path / "o.csv"),
            ]
        )
        == 0
    )
    assert (
        "Adapted from ratings: 48 positive and 48 negative training texts"
        in capsys.readouterr().err
    )
    out = pd.read_csv(tmp_path / "o.csv")
    assert out.loc[out["评价"] == "这款奶茶太上头了", "sentiment_label"].unique().tolist() == [
        "positive"
    ]
    assert out.loc[out["评价"] == "纯纯大冤种", "sentiment_label"].unique().tolist() == ["negative"]


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            "评价",
            "--rating-col '评价' holds no numbers; name a column of scores (NPS 0-10, CSAT 1-5, stars).",
        ),
        (
            "分数",
            "--rating-col '分数': the ratings range from 20 to 100; use a 1-5 score (CSAT, stars) or 0-10 (NPS).",
        ),
    ],
)
def test_sentiment_bad_rating_column(tmp_path: Path, capsys, column: str, message: str) -> None:
    source = tmp_path / "rated.csv"
    source.write_text("评价,分数\n很好,100\n很差,20\n", encoding="utf-8")
    argv = [
        "sentiment",
        str(source),
        "--text-col",
        "评价",
        "--rating-col",
        column,
        "-o",
        str(tmp_path / "o.csv"),
    ]
    assert run_error(argv, capsys) == f"feedback-miner: error: {source}: {message}"


def test_themes_discover_writes_toml_and_assignments(tmp_path: Path, capsys) -> None:
    import tomllib
    from review_corpus import review_corpus

    frame = review_corpus(30, seed=3)
    frame = frame[frame["category"].isin(["phone", "hotel", "credit", "car"])]
    source = tmp_path / "feedback.csv"
    pd.DataFrame({"反馈内容": [*frame["text"], "无"]}).to_csv(source, index=False)
    argv = [
        "themes",
        "discover",
        str(source),
        "--all",
        "-o",
        str(tmp_path / "p.toml"),
        "--assignments",
        str(tmp_path / "a.csv"),
    ]
    assert main(argv) == 0
    said = capsys.readouterr().err
    assert f"looking for topics in {len(frame)} (all texts)" in said
    assert "k = 4 of 3-15: refitted on 5 random 80% samples" in said
    from feedback_miner.themes import parse_taxonomy

    text = (tmp_path / "p.toml").read_text(encoding="utf-8")
    proposed = parse_taxonomy('[taxonomy]\nname = "p"\n' + text)
    assert len(proposed.themes) == 4
    assert tomllib.loads(text)["themes"][0]["id"] == "emerging_1"
    assignments = pd.read_csv(tmp_path / "a.csv")
    assert list(assignments.columns) == ["file", "row", "doc_id", "topic"]
    assert assignments["row"].tolist() == list(range(1, len(frame) + 2))  # every row, in order
    assert assignments["topic"].iloc[-1] == -1  # the rejected non-answer
    assert set(assignments["topic"][:-1]) - {-1} == set(range(4))  # -1: a text of no reason words


def test_themes_discover_reads_only_uncovered_complaints(tmp_path: Path, capsys) -> None:
    import tomllib

    rows = [f"第{i}次，app闪退，登录不上" for i in range(12)]  # the app pack covers these
    rows += [f"第{i}次，光猫闪红灯，师傅不上门" for i in range(12)]
    rows += [f"第{i}次，光猫很好，师傅准时上门" for i in range(12)]  # praise: not read
    source = tmp_path / "feedback.csv"
    pd.DataFrame({"反馈内容": rows}).to_csv(source, index=False)
    argv = ["themes", "discover", str(source), "--taxonomy", "app", "-o", str(tmp_path / "p.toml")]
    assert main([*argv, "--assignments", str(tmp_path / "a.csv")]) == 0
    said = capsys.readouterr().err
    assert "36 texts, 12 covered by the taxonomy; looking for topics in 12" in said
    assert (
        "Only 12 complaints no theme covers: too few to find topics in (discovery needs 20); "
        "the taxonomy names the others. Read them below, or use --all to look for topics in "
        "all texts: "
    ) in said
    text = (tmp_path / "p.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}  # no themes proposed, only comments
    assert "#   「第0次，光猫闪红灯，师傅不上门」" in text
    assert "闪退" not in text and "师傅准时" not in text
    assert set(pd.read_csv(tmp_path / "a.csv")["topic"]) == {-1}


def test_themes_discover_proposes_what_the_report_shows(tmp_path: Path) -> None:
    import tomllib
    from review_corpus import review_corpus

    from feedback_miner.pipeline import analyze

    source = tmp_path / "reviews.csv"
    review_corpus(60).to_csv(source, index=False)
    report = analyze([source], seed=3).summary
    assert report is not None and report.emerging.discovery is not None
    argv = ["themes", "discover", str(source), "--seed", "3", "-o", str(tmp_path / "p.toml")]
    assert main([*argv, "--quiet"]) == 0
    proposed = tomllib.loads((tmp_path / "p.toml").read_text(encoding="utf-8"))["themes"]
    shown = report.emerging.discovery.topics
    assert [(p["name"], p["keywords"]) for p in proposed] == [
        (t.name, list(t.keywords)) for t in shown
    ]


def test_themes_discover_too_few_texts_with_all(tmp_path: Path, capsys) -> None:
    source = tmp_path / "feedback.csv"
    pd.DataFrame({"反馈内容": [f"第{i}次，光猫闪红灯" for i in range(12)]}).to_csv(
        source, index=False
    )
    argv = ["themes", "discover", str(source), "--all", "-o", str(tmp_path / "p.toml"), "--quiet"]
    assert run_error(argv, capsys) == (
        "feedback-miner: error: discovery needs at least 20 texts; there are 12. Add more feedback."
    )


def test_themes_discover_bad_output_name(samples_dir: Path, capsys) -> None:
    argv = ["themes", "discover", str(samples_dir / "social_posts.csv"), "-o", "p.txt"]
    assert run_error(argv, capsys) == (
        "feedback-miner: error: -o p.txt: proposed themes are written as TOML; give a name ending in .toml."
    )


def test_themes_expand_suggests_keywords(samples_dir: Path, tmp_path: Path) -> None:
    argv = [
        "themes",
        "expand",
        str(samples_dir / "social_posts.csv"),
        str(samples_dir / "service_tickets.csv"),
        "--taxonomy",
        str(REPO_TAXONOMY),
        "-o",
        str(tmp_path / "s.csv"),
        "--quiet",
    ]
    assert main(argv) == 0
    table = pd.read_csv(tmp_path / "s.csv")
    assert list(table.columns) == [
        "theme_id",
        "theme_name",
        "candidate",
        "similarity",
        "frequency",
        "nearest_keyword",
    ]
    assert len(table) and table["similarity"].between(0.5, 1).all()


def test_analyze_with_exposure_any_window_and_features(samples_dir: Path, tmp_path: Path) -> None:
    argv = [
        "analyze",
        *[str(samples_dir / n) for n in INPUTS],
        "--labels",
        str(samples_dir / "churn_labels.csv"),
        "-o",
        str(tmp_path / "r.xlsx"),
        "--attribution",
        str(tmp_path / "a.csv"),
        "--features",
        str(tmp_path / "f.parquet"),
        "--exposure",
        "any",
        "--window-days",
        "90",
        "--quiet",
    ]
    assert main(argv) == 0
    attribution = pd.read_csv(tmp_path / "a.csv")
    assert {"prevalence", "quadrant"} <= set(attribution.columns)
    features = pd.read_parquet(tmp_path / "f.parquet")
    labels = pd.read_csv(samples_dir / "churn_labels.csv")
    assert features["user_id"].tolist() == labels["user_id"].astype(str).tolist()


def test_the_run_summary(analyzed: Path) -> None:
    import json

    summary = json.loads((analyzed / "summary.json").read_text(encoding="utf-8"))
    assert list(summary) == [
        "documents",
        "users",
        "labelled_users",
        "churn_rate",
        "incremental_auc",
        "taxonomy",
        "warnings",
        "alerts",
    ]
    docs = pd.read_csv(analyzed / "d.csv")
    assert summary["documents"] == len(docs)
    assert summary["labelled_users"] == 800
    incremental = summary["incremental_auc"]
    assert set(incremental) >= {"base", "with_text", "gain", "ci_low", "ci_high", "baseline"}
    assert incremental["baseline"] == "covariates"
    assert incremental["ci_low"] <= incremental["gain"] <= incremental["ci_high"]
    assert incremental["cutoff"] < incremental["outcome_end"]
    assert summary["taxonomy"]["name"] and 0 < summary["taxonomy"]["coverage"] <= 1
    assert all(set(w) == {"code", "message"} for w in summary["warnings"])


def test_no_uncertain_theme_is_a_priority_or_a_strength_in_the_report(analyzed: Path) -> None:
    attribution = pd.read_csv(analyzed / "a.csv")
    covers_one = attribution[(attribution["ci_low"] <= 1) & (attribution["ci_high"] >= 1)]
    assert len(covers_one) and set(covers_one["quadrant"]) == {"uncertain"}
    book = load_workbook(analyzed / "r.xlsx")
    rows = [r for r in book["关键驱动"].iter_rows(min_row=4, values_only=True) if r[0]]
    quadrant_of = {r[0]: r[3] for r in rows if r[3] is not None}
    for name in covers_one["theme_name"]:
        assert quadrant_of.get(name) not in ("优先解决", "优势"), name


def test_undated_adjust_for_and_as_of(samples_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.json"
    code = main(
        [
            "analyze",
            str(samples_dir / "service_tickets.csv"),
            "--labels",
            str(samples_dir / "churn_labels.csv"),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--undated",
            "exclude",
            "--adjust-for",
            "渠道",
            "--as-of",
            "2026-11-30",
            "--summary",
            str(out),
            "--attribution",
            str(tmp_path / "a.csv"),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "churn from then to 2026-11-30" in err
    import json

    summary = json.loads(out.read_text(encoding="utf-8"))
    assert "undated_feedback" not in [w["code"] for w in summary["warnings"]]
    assert summary["incremental_auc"]["outcome_end"] == "2026-11-30"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--adjust-for", "星座"],
            "--adjust-for '星座': no such column in the label file or the feedback; columns "
            "that can be adjusted for: ",
        ),
        (["--as-of", "yesterday"], "--as-of 'yesterday' is not a date; give it as YYYY-MM-DD."),
        (
            ["--as-of", "2026-05-01"],
            "churn dates fall after --as-of 2026-05-01 (the latest is 2026-10-29); give the date "
            "the labels were taken, on or after the last churn date.",
        ),
    ],
)
def test_bad_label_options(
    samples_dir: Path, tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    argv = [
        "analyze",
        str(samples_dir / "service_tickets.csv"),
        "--labels",
        str(samples_dir / "churn_labels.csv"),
        *extra,
    ]
    assert main([*argv, "-o", str(tmp_path / "r.xlsx"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("feedback-miner: error: ") and message in err


def test_drivers_and_changes_tables(analyzed: Path) -> None:
    from feedback_miner.scores import DRIVER_COLUMNS
    from feedback_miner.summary.changes import CHANGE_COLUMNS

    drivers = pd.read_csv(analyzed / "drivers.csv")
    changes = pd.read_csv(analyzed / "changes.csv")
    assert list(drivers.columns[: len(DRIVER_COLUMNS)]) == list(DRIVER_COLUMNS)
    assert list(changes.columns[: len(CHANGE_COLUMNS)]) == list(CHANGE_COLUMNS)
    # the demo's satisfaction ratings are planted: bugs cost the most (samples/README.md)
    sure = drivers[drivers["certainty"] == "sure"]
    assert sure.iloc[0]["theme_id"] in ("bugs", "price")
    marketing = drivers.set_index("theme_id").loc["marketing"]
    assert marketing["impact"] > sure.iloc[0]["impact"]
    assert set(changes["flag"]) <= {"rising", "falling", "steady", "new", "gone"}
    assert (changes["period_before"] < changes["period_after"]).all()
    book = load_workbook(analyzed / "r.xlsx")
    assert book["评分驱动"]["A1"].value.startswith("评分：“满意度”的满意占比(前两档)")
    assert book["变化"]["A1"].value.startswith("比较“2026-09”")


def test_score_column_by_name_and_baseline(
    samples_dir: Path, analyzed: Path, tmp_path: Path, capsys
) -> None:
    code = main(
        [
            "analyze",
            *[str(samples_dir / n) for n in INPUTS],
            "-o",
            str(tmp_path / "r.xlsx"),
            "--score-col",
            "3、您向朋友推荐悦看视频的可能性有多大？(0-10分)",
            "--drivers",
            str(tmp_path / "drivers.csv"),
            "--baseline",
            str(analyzed / "d.csv"),
            "--changes",
            str(tmp_path / "changes.csv"),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "Score: nps of '3、您向朋友推荐悦看视频的可能性有多大？(0-10分)' (a 0-10 scale)" in err
    changes = pd.read_csv(tmp_path / "changes.csv")
    assert set(changes["period_before"]) == {"d.csv"} and set(changes["period_after"]) == {
        "this run"
    }
    assert (changes["flag"] == "steady").all()  # the same documents as the baseline


def test_unknown_score_column(samples_dir: Path, tmp_path: Path, capsys) -> None:
    argv = ["analyze", str(samples_dir / "social_posts.csv"), "-o", str(tmp_path / "r.xlsx")]
    assert main([*argv, "--score-col", "星级", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "feedback-miner: error: --score-col '星级' is not a column of the inputs; the columns "
        "that can be scores: "
    )


@pytest.mark.parametrize(
    ("limit", "given", "in_sheet"),
    [(100, None, 0)],
)
def test_large_runs_put_the_documents_in_the_csv(
    samples_dir: Path, tmp_path: Path, monkeypatch, capsys, limit, given, in_sheet
) -> None:
    import re

    import feedback_miner.cli.analyze as command

    monkeypatch.setattr(command, "AUTO_CSV_DOCUMENTS", limit)
    out = tmp_path / "r.xlsx"
    argv = ["analyze", str(samples_dir / "social_posts.csv"), "-o", str(out), *(given or [])]
    assert main(argv) == 0
    captured = capsys.readouterr()
    said = captured.out + captured.err
    n = int(re.search(r"^(\d+) documents, ", said, re.M).group(1))
    automatic = f"{n} documents (more than 100): the 明细 sheet points to the CSV" in said
    assert automatic == (given is None and limit == 100)
    overflow = tmp_path / "r.documents.csv"
    assert overflow.exists() == (in_sheet is not None)
    if in_sheet is not None:
        assert len(pd.read_csv(overflow)) == n - in_sheet
