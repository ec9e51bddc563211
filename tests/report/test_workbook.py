import itertools
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from feedback_miner.pipeline import analyze
from feedback_miner.report import SHEETS, build_report, sheet_names, write_table_file
from feedback_miner.report.cells import EXCEL_MAX_CELL_CHARS
from feedback_miner.result import AnalysisResult
from feedback_miner.summary import rolled_up_themes


@pytest.fixture(scope="module")
def result(report_result: AnalysisResult) -> AnalysisResult:
    return report_result


@pytest.fixture(scope="module")
def csv_outputs(result: AnalysisResult, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The tables as the CLI writes them, read back: the report must agree with them."""
    folder = tmp_path_factory.mktemp("tables")
    write_table_file(result.docs, folder / "docs.csv")
    write_table_file(result.attribution.table, folder / "attribution.csv")
    return {
        "docs": pd.read_csv(folder / "docs.csv", parse_dates=["created_at"]),
        "attribution": pd.read_csv(folder / "attribution.csv"),
    }


def _rows(sheet, first: int = 4) -> list[tuple]:
    return [r for r in sheet.iter_rows(min_row=first, values_only=True) if r and r[0] is not None]


# 流失原因: the bar chart of the reasons and the Kaplan-Meier curves
CHARTS = {"概览": 1, "流失原因": 2, "关键驱动": 1, "评分驱动": 1, "趋势": 2, "流失类型": 1}


def test_sheets_and_charts(workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    assert len(SHEETS) == 16
    for sheet in workbook.worksheets:
        assert len(sheet._charts) == CHARTS.get(sheet.title, 0), sheet.title
    assert workbook["明细"].auto_filter.ref.startswith("A2:")
    assert workbook["明细"].freeze_panes == "A3"
    assert workbook["流失原因"].freeze_panes == "B4"
    assert workbook["原因统计"].freeze_panes == "C4"


def test_no_cell_holds_a_formula(workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_formats_and_widths(workbook) -> None:
    reasons = workbook["流失原因"]
    assert reasons.cell(row=4, column=4).number_format == "0.0%"  # churn rate with
    assert reasons.cell(row=4, column=8).number_format == "0.0%;[Red]-0.0%"  # impact
    assert reasons.cell(row=4, column=6).number_format == "0.00"  # odds ratio
    assert reasons.column_dimensions["A"].width == 22
    kinds = {r.type for block in reasons.conditional_formatting for r in block.rules}
    assert kinds == {"dataBar", "colorScale"}
    docs = workbook["明细"]
    assert docs.cell(row=3, column=4).number_format == "yyyy-mm-dd hh:mm"
    assert docs.column_dimensions["E"].width == 60
    longest_id = max(len(str(c.value)) for (c,) in docs.iter_rows(min_row=3, max_col=1))
    assert docs.column_dimensions["A"].width >= longest_id  # ids are not cut off
    assert workbook["趋势"].cell(row=4, column=4).number_format == "0.0%"
    assert workbook["概览"].page_setup.orientation == "landscape"


def test_reasons_sheet_holds_what_a_manager_reads(workbook, result, csv_outputs) -> None:
    sheet = workbook["流失原因"]
    header = [c.value for c in sheet[3]]
    assert header == [
        "流失原因",
        "流失类型",
        "负面提及用户数",
        "提及者流失率",
        "未提及者流失率",
        "调整后比值比",
        "95%置信区间",
        "归因流失占比",
        "把握程度",
        "备注",
        "主要关键词",
    ]
    table = csv_outputs["attribution"].set_index("theme_id")
    order = list(result.summary.reason_order)
    rows = _rows(sheet)[: len(order)]
    for theme_id, row in zip(order, rows, strict=True):
        expected = table.loc[theme_id]
        assert row[0].lstrip("\u3000└ ") == expected["theme_name"]
        assert row[2] == expected["n_users"]
        if pd.notna(expected.impact):
            assert row[7] == pytest.approx(expected.impact)
            assert row[5] == pytest.approx(expected.odds_ratio)
            assert row[6] == f"{expected.ci_low:.2f} ~ {expected.ci_high:.2f}"


def test_negative_shares_get_no_bar(workbook, result) -> None:
    sheet = workbook["流失原因"]
    bars = [
        block.sqref
        for block in sheet.conditional_formatting
        if any(r.type == "dataBar" for r in block.rules)
    ]
    barred = {str(cell) for ranges in bars for cell in str(ranges).split()}
    impacts = {
        f"H{i}": sheet[f"H{i}"].value for i in range(4, 4 + len(result.summary.reason_order))
    }
    assert any(v is not None and v < 0 for v in impacts.values())
    assert barred == {c for c, v in impacts.items() if v is not None and v > 0}


def test_statistics_sheet_equals_the_attribution_csv(workbook, result, csv_outputs) -> None:
    sheet = workbook["原因统计"]
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["主题ID", "流失原因", "流失类型", "负面提及用户数"]
    assert header[-1] == "备注"
    assert sheet["A2"].value.startswith("空白的格：")
    table = csv_outputs["attribution"].set_index("theme_id")
    rows = [r for r in _rows(sheet) if r[0] in table.index]
    # every theme with mentions, parents with their sub-themes beneath; the others in one line
    assert [r[0] for r in rows] == list(result.summary.reason_order)
    assert set(result.summary.hidden_themes).isdisjoint(r[0] for r in rows)
    for row in rows:
        expected = table.loc[row[0]]
        assert row[3] == expected["n_users"]
        if pd.notna(expected.impact):
            assert row[12] == pytest.approx(expected.impact)
            assert row[7] == pytest.approx(expected.odds_ratio)
            assert row[9] == pytest.approx(expected.ci_high)


def test_overview_key_figures_equal_the_csv(workbook, result, csv_outputs) -> None:
    figures = {r[0]: r[1] for r in workbook["概览"].iter_rows(min_row=4, values_only=True)}
    docs = csv_outputs["docs"]
    assert figures["分析文档数"] == len(docs)
    assert figures["涉及用户数"] == docs["user_id"].nunique()
    assert figures["负面文档占比"] == pytest.approx((docs["sentiment_label"] == "negative").mean())
    assert figures["被剔除的行"] == len(result.rejects)
    assert figures["其中流失用户"] == result.attribution.n_churned
    assert figures["流失模型AUC：加入文本特征"] == pytest.approx(result.incremental.auc_with_text)
    top = csv_outputs["attribution"].dropna(subset=["impact"]).iloc[0]
    assert figures[top["theme_name"]] == pytest.approx(top["impact"])


def test_reasons_and_quotes_link_to_each_other(workbook) -> None:
    reasons, quotes = workbook["流失原因"], workbook["原声"]
    linked = 0
    for row in range(4, reasons.max_row + 1):
        cell = reasons.cell(row=row, column=1)
        if cell.hyperlink is None:
            continue
        linked += 1
        sheet, target = cell.hyperlink.location.split("!")
        assert sheet == "'原声'"
        # the first quote of that reason (the reasons sheet indents sub-themes: └ 扣费与续费)
        assert quotes[target].value == cell.value.lstrip("\u3000└ ")
    assert linked >= 10
    for row in range(4, quotes.max_row + 1):
        cell = quotes.cell(row=row, column=1)
        sheet, target = cell.hyperlink.location.split("!")
        assert sheet == "'流失原因'" and reasons[target].value.lstrip("\u3000└ ") == cell.value


def test_quotes_sheet_has_typical_then_most_negative(workbook) -> None:
    rows = _rows(workbook["原声"])
    first = [r for r in rows if r[0] == rows[0][0]]
    kinds = [r[1] for r in first]
    assert kinds == sorted(kinds, key=["最典型", "最负面"].index)  # typical first
    assert 1 <= kinds.count("最典型") <= 3 and kinds.count("最负面") == 3
    negative = [r[2] for r in first if r[1] == "最负面"]
    assert negative == sorted(negative)
    for theme in {r[0] for r in rows}:  # the most negative are really the most negative
        own = [r for r in rows if r[0] == theme]
        worst = [r[2] for r in own if r[1] == "最负面"]
        typical = [r[2] for r in own if r[1] == "最典型"]
        if worst and typical:
            assert max(worst) <= min(typical), theme
    pairs = [(r[0], r[3]) for r in rows]
    assert len(pairs) == len(set(pairs))


def test_trend_sheet_equals_the_docs_csv(workbook, result, csv_outputs) -> None:
    sheet = workbook["趋势"]
    header = [c.value for c in sheet[3]]
    top = result.summary.top_themes
    names = result.summary.themes.set_index("theme_id")["theme_name"]
    assert header[3:] == [names[t] for t in top]
    docs = csv_outputs["docs"]
    month = docs["created_at"].dt.strftime("%Y-%m")
    # a sub-theme's documents count for its parent (rolled up)
    rolled = rolled_up_themes(docs["themes"].fillna(""), result.taxonomy)
    mentions = rolled.str.split(";").map(lambda ids: top[0] in ids)
    rows = _rows(sheet)
    assert [r[0] for r in rows] == sorted(month.unique())
    for row in rows:
        own = month == row[0]
        assert row[1] == own.sum()
        if row[1] >= 10:
            assert row[3] == pytest.approx(mentions[own].mean())
        else:
            assert row[3] is None


def test_segment_sheet_is_a_heat_map_of_shares(workbook, csv_outputs) -> None:
    sheet = workbook["细分"]
    assert sheet["A3"].value == "来源类型"
    rows = [r for r in sheet.iter_rows(min_row=5, max_row=7, values_only=True)]
    counts = csv_outputs["docs"]["source"].value_counts()
    names = {"survey": "问卷", "service": "客服", "social": "社交媒体"}
    assert {r[0]: r[1] for r in rows} == {names[k]: v for k, v in counts.items()}
    rules = [r for block in sheet.conditional_formatting for r in block.rules]
    assert {r.type for r in rules} == {"colorScale", "dataBar"}  # shares; churn rates
    assert [c.value for c in sheet[4]][:4] == ["细分", "文档数", "标签用户数", "流失率"]
    titles = [r[0] for r in sheet.iter_rows(values_only=True) if r and str(r[0]).startswith("按")]
    assert "按“plan”" in titles  # a label-file column, matched by user


def test_churn_type_sheet_counts_documents(workbook, csv_outputs) -> None:
    rows = {r[0]: r for r in workbook["流失类型"].iter_rows(min_row=4, max_row=6, values_only=True)}
    counts = csv_outputs["docs"]["churn_type"].value_counts()
    assert rows["主动流失"][1] == counts["active"]
    assert rows["自然流失"][1] == counts.get("natural", 0)
    assert sum(r[2] for r in rows.values()) == pytest.approx(1.0)


def test_competitor_sheet_counts_where_users_went(workbook, result: AnalysisResult) -> None:
    rows = _rows(workbook["竞品去向"])
    named = result.docs["competitors"].str.split(";").explode()
    named = named[named != ""]
    assert {r[0]: r[1] for r in rows} == named.value_counts().to_dict()
    assert all(r[3] <= r[2] for r in rows)  # churned users are among the users


def test_new_theme_sheet_says_what_discovery_found(workbook, result: AnalysisResult) -> None:
    emerging = result.summary.emerging
    sheet = workbook["新主题"]
    assert sheet["A1"].value.startswith(f"在 {emerging.uncovered} 条未被任何主题覆盖的抱怨")
    if emerging.discovery is None:  # the samples' uncovered complaints share no topic
        assert emerging.reason == "no_topics"
        assert "没有可提议的新主题" in sheet["A1"].value
        return
    rows = _rows(sheet, first=7)
    topics = emerging.discovery.topics
    assert [(r[0], r[1], r[2]) for r in rows] == [(t.index + 1, t.name, t.size) for t in topics]


def test_key_driver_sheet_matches_the_table(workbook, result: AnalysisResult) -> None:
    table = result.attribution.table.dropna(subset=["impact"])
    rows = _rows(workbook["关键驱动"])[: len(table)]
    assert [r[0] for r in rows] == table["theme_name"].tolist()
    assert [r[1] for r in rows] == pytest.approx(table["prevalence"].tolist())
    assert [r[2] for r in rows] == pytest.approx(table["impact"].tolist())
    labels = {r[0] for r in _rows(workbook["关键驱动"])[len(table) :]}
    assert {"优先解决", "重点关注", "优势", "低优先级"} <= labels


def test_documents_and_quality_sheets(workbook, result: AnalysisResult) -> None:
    docs = workbook["明细"]
    assert docs["A1"].value.startswith(f"共 {len(result.docs)} 条文档，全部在本表中")
    assert [c.value for c in docs[2]][:8] == [
        "文档ID",
        "用户ID",
        "来源",
        "时间",
        "原文",
        "情感分",
        "情感",
        "主题",
    ]
    assert docs.max_row == len(result.docs) + 2
    assert {r[6] for r in docs.iter_rows(min_row=3, values_only=True)} <= {"负面", "中性", "正面"}
    quality = workbook["数据质量"]
    rows = {r[0].value: r for r in quality.iter_rows(min_row=4, max_row=3 + len(result.files))}
    for summary in result.files:
        row = rows[Path(summary.file).name]  # no folders: the report is forwarded
        assert row[6].value == summary.rows_read and row[8].value == summary.records
        assert row[6].value == row[7].value + row[9].value


def test_documents_beyond_the_row_limit_go_to_a_csv(tmp_path: Path, result) -> None:
    written = build_report(result, tmp_path / "small.xlsx", max_rows=12)
    assert written.overflow == tmp_path / "small.documents.csv"
    sheet = load_workbook(written.workbook)["明细"]
    assert sheet.max_row == 12
    rest = pd.read_csv(written.overflow, encoding="utf-8-sig")
    assert len(rest) == len(result.docs) - 10
    assert rest["doc_id"].tolist() == result.docs["doc_id"].iloc[10:].tolist()
    assert sheet["A1"].value == (
        f"共 {len(result.docs)} 条文档：本表列出前 10 条，其余 {len(result.docs) - 10} 条在同一"
        "文件夹的 small.documents.csv 中。"
    )


def test_english_report(tmp_path: Path, result) -> None:
    path = build_report(result, tmp_path / "en.xlsx", lang="en").workbook
    book = load_workbook(path)
    assert book.sheetnames == list(sheet_names("en"))
    assert book["Overview"]["A1"].value == "Churn reason report"
    assert [c.value for c in book["Churn reasons"][3]][:2] == ["Churn reasons", "Churn type"]
    assert [c.value for c in book["Reason statistics"][3]][:2] == ["Theme ID", "Churn reasons"]
    assert book["Key drivers"]._charts and book["Trends"]._charts
    assert book["Documents"]["G3"].value in {"Negative", "Neutral", "Positive"}


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
    mentions = result.mentions[result.mentions["doc_id"].isin(docs["doc_id"])].copy()
    mentions["evidence"] = HOSTILE[0]
    hostile = replace(
        result,
        docs=docs,
        mentions=mentions,
        rejects=result.rejects.iloc[:0],
        summary=replace(
            result.summary,
            quotes=result.summary.quotes.head(3).assign(evidence=HOSTILE[1], text=HOSTILE[6]),
            competitors=result.summary.competitors.head(1).assign(
                competitor=HOSTILE[4], example=HOSTILE[0]
            ),
        ),
    )
    path = build_report(hostile, tmp_path / "hostile.xlsx").workbook
    book = load_workbook(path)
    sheet = book["明细"]
    values = [sheet.cell(row=i, column=5) for i in range(3, len(HOSTILE) + 3)]
    assert all(cell.data_type == "s" for cell in values)
    assert [c.value for c in values[:5]] == HOSTILE[:5]
    assert values[5].value == "退款太慢了"
    assert len(values[6].value) == EXCEL_MAX_CELL_CHARS and values[6].value.endswith("…[截断]")
    assert sheet.cell(row=3, column=2).data_type == "s"
    quote = book["原声"]["D4"]
    assert quote.value == HOSTILE[1] and quote.data_type == "s" and quote.hyperlink is None
    assert len(book["原声"]["E4"].value) == EXCEL_MAX_CELL_CHARS
    assert book["竞品去向"]["A4"].value == HOSTILE[4]
    assert book["竞品去向"]["E4"].value == HOSTILE[0]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_report_without_labels_or_dates_says_why(tmp_path: Path, samples_dir: Path) -> None:
    result = analyze([samples_dir / "social_posts.csv"], ingest_options=None)
    undated = replace(result, summary=replace(result.summary, trends=None))
    undated = replace(undated, docs=result.docs.assign(created_at=pd.NaT))
    book = load_workbook(build_report(undated, tmp_path / "nolabels.xlsx").workbook)
    assert book["流失原因"]["A1"].value.startswith("未提供流失标签文件(--labels)")
    assert len(book["流失原因"]._charts) == 1
    assert book["关键驱动"]["A1"].value == "未提供流失标签文件(--labels)：关键驱动需要归因结果。"
    assert book["趋势"]["A1"].value.startswith("输入中有日期的文档为 0 条，跨度不足两个月")
    assert book["竞品去向"].max_column == 4  # no churned-user column without labels


def test_result_without_summary_is_refused(tmp_path: Path, result) -> None:
    with pytest.raises(ValueError, match="the result has no summary"):
        build_report(replace(result, summary=None), tmp_path / "x.xlsx")


def test_reasons_list_sub_themes_beneath_and_name_the_unmentioned(workbook, result) -> None:
    sheet = workbook["原因统计"]
    summary = result.summary
    rows = [r for r in _rows(sheet) if r[0] in set(summary.reason_order)]
    parents = dict(zip(summary.themes["theme_id"], summary.themes["parent"], strict=True))
    for above, row in itertools.pairwise(rows):
        if parents[row[0]]:
            assert row[1].startswith("└ ")  # a sub-theme, indented ...
            assert parents[row[0]] in {above[0], parents.get(above[0], "")}  # ... under its parent
    hidden = workbook["流失原因"].cell(row=2, column=1).value
    if summary.hidden_themes:
        names = summary.themes.set_index("theme_id")["theme_name"]
        assert hidden == "没有被提及、未列出的主题：" + "、".join(
            names[h] for h in summary.hidden_themes
        )
        assert not set(summary.hidden_themes) & {r[0] for r in _rows(sheet)}


def test_overview_names_the_taxonomy(workbook, result) -> None:
    figures = {r[0]: r[1] for r in workbook["概览"].iter_rows(min_row=4, values_only=True) if r}
    assert figures["流失原因分类(taxonomy)"].startswith(f"{result.taxonomy.name}（自动选择）")
