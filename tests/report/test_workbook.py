from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from feedback_miner.pipeline import AnalysisResult, LabelOptions, analyze
from feedback_miner.report import SHEETS, build_report
from feedback_miner.report.cells import EXCEL_MAX_CELL_CHARS

INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")


@pytest.fixture(scope="module")
def result(samples_dir: Path) -> AnalysisResult:
    return analyze(
        [samples_dir / n for n in INPUTS], labels=LabelOptions(samples_dir / "churn_labels.csv")
    )


@pytest.fixture(scope="module")
def workbook(result: AnalysisResult, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "r.xlsx"
    build_report(result, path)
    return load_workbook(path)


def test_sheets_and_charts(workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    assert len(workbook["概览"]._charts) == 1
    assert len(workbook["流失原因"]._charts) == 1
    assert workbook["明细"].auto_filter.ref.startswith("A1:")
    assert workbook["明细"].freeze_panes == "A2"


def test_no_cell_holds_a_formula(workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_reasons_sheet_matches_the_attribution_table(workbook, result: AnalysisResult) -> None:
    sheet = workbook["流失原因"]
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["主题ID", "流失原因", "流失类型", "负面提及用户数"]
    table = result.attribution.table
    for i, row in enumerate(table.itertuples(), start=4):
        assert sheet.cell(row=i, column=1).value == row.theme_id
        assert sheet.cell(row=i, column=4).value == row.n_users
        if pd.notna(row.impact):
            assert sheet.cell(row=i, column=13).value == pytest.approx(row.impact)
            assert sheet.cell(row=i, column=8).value == pytest.approx(row.odds_ratio)
    assert sheet.cell(row=4, column=13).number_format == "0.0%"


def test_overview_key_figures(workbook, result: AnalysisResult) -> None:
    figures = {r[0].value: r[1].value for r in workbook["概览"].iter_rows(min_row=4, max_row=11)}
    assert figures["分析文档数"] == len(result.docs)
    assert figures["被剔除的行"] == len(result.rejects)
    assert figures["其中流失用户"] == result.attribution.n_churned


def test_documents_and_quality_sheets(workbook, result: AnalysisResult) -> None:
    docs = workbook["明细"]
    assert [c.value for c in docs[1]][:8] == [
        "doc_id",
        "user_id",
        "source",
        "created_at",
        "text",
        "sentiment_score",
        "sentiment_label",
        "themes",
    ]
    assert docs.max_row == len(result.docs) + 1
    quality = workbook["数据质量"]
    rows = {r[0].value: r for r in quality.iter_rows(min_row=4, max_row=3 + len(result.files))}
    for summary in result.files:
        row = rows[summary.file]
        assert row[6].value == summary.rows_read and row[8].value == summary.records
        assert row[6].value == row[7].value + row[9].value


def test_quotes_sheet_has_most_negative_quotes_first(workbook) -> None:
    sheet = workbook["原声"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows
    first_theme = [r for r in rows if r[0] == rows[0][0]]
    assert [r[1] for r in first_theme] == sorted(r[1] for r in first_theme)


HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "退款\x00太慢\x07了\x1b",
    "长" * 40000,
]


def test_hostile_text_stays_plain_text(tmp_path: Path, result: AnalysisResult) -> None:
    docs = result.docs.head(len(HOSTILE)).copy()
    docs["text"] = HOSTILE
    docs["user_id"] = HOSTILE
    hostile = AnalysisResult(
        docs=docs,
        mentions=result.mentions.iloc[:0],
        rejects=result.rejects.iloc[:0],
        files=result.files,
        taxonomy=result.taxonomy,
        settings=result.settings,
    )
    path = build_report(hostile, tmp_path / "hostile.xlsx")
    sheet = load_workbook(path)["明细"]
    values = [sheet.cell(row=i, column=5) for i in range(2, len(HOSTILE) + 2)]
    assert all(cell.data_type == "s" for cell in values)
    assert [c.value for c in values[:5]] == HOSTILE[:5]
    assert values[5].value == "退款太慢了"
    assert len(values[6].value) == EXCEL_MAX_CELL_CHARS and values[6].value.endswith("…[截断]")
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_report_without_labels_says_why(tmp_path: Path, samples_dir: Path) -> None:
    result = analyze([samples_dir / "social_posts.csv"])
    path = build_report(result, tmp_path / "nolabels.xlsx")
    book = load_workbook(path)
    assert book["流失原因"]["A1"].value.startswith("未提供流失标签文件(--labels)")
    assert len(book["流失原因"]._charts) == 1


def test_quotes_are_distinct_within_a_theme(workbook) -> None:
    rows = [r for r in workbook["原声"].iter_rows(min_row=4, values_only=True) if r[0]]
    pairs = [(r[0], r[2]) for r in rows]
    assert len(pairs) == len(set(pairs))


def test_competitor_sheet_counts_where_users_went(workbook, result: AnalysisResult) -> None:
    rows = [r for r in workbook["竞品去向"].iter_rows(min_row=4, values_only=True) if r[0]]
    named = result.docs["competitors"].str.split(";").explode()
    named = named[named != ""]
    assert {r[0]: r[1] for r in rows} == named.value_counts().to_dict()
    assert all(r[3] <= r[2] for r in rows)  # churned users are among the users


def test_key_driver_sheet_matches_the_table(workbook, result: AnalysisResult) -> None:
    sheet = workbook["关键驱动"]
    assert len(sheet._charts) == 1
    table = result.attribution.table.dropna(subset=["impact"])
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert [r[0] for r in rows] == table["theme_name"].tolist()
    assert [r[1] for r in rows] == pytest.approx(table["prevalence"].tolist())
    assert [r[2] for r in rows] == pytest.approx(table["impact"].tolist())


def test_overview_shows_the_incremental_auc(workbook, result: AnalysisResult) -> None:
    figures = {r[0].value: r[1].value for r in workbook["概览"].iter_rows(min_row=4, max_row=16)}
    assert result.incremental is not None
    assert figures["流失模型AUC：仅标签文件中的列"] == pytest.approx(
        result.incremental.auc_covariates
    )
    assert figures["流失模型AUC：加入文本特征"] == pytest.approx(result.incremental.auc_with_text)
