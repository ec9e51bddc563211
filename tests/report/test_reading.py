"""What a reader of the report sees: words in the report's language, the key-driver
chart labelled, fonts named, wrapped rows tall enough, printed pages with headers."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from openpyxl import load_workbook

from feedback_miner.report import build_report
from feedback_miner.report.cells import FONT_NAME, row_height
from feedback_miner.report.i18n import Labels
from feedback_miner.report.workbook import auc_in_words
from feedback_miner.result import AnalysisResult, RunSettings

# what statsmodels and the fitting code say in English; none of it belongs in a zh sheet
STATSMODELS_TEXT = re.compile(
    r"maximum.likelihood|penalised|penalized|ridge|lambda|converge|Hessian|separation"
    r"|statsmodels|Warning|too few exposed",
    re.IGNORECASE,
)
SETTING_KEYS = {f.name for f in fields(RunSettings)}
CODES = {"survey", "service", "social", "wjx", "ticket", "weibo", "chat", "generic", "negative"}
# sheets whose cells hold the customers' own data (ids, texts), which stay as written
DATA_SHEETS = {"明细", "原声"}


def _texts(sheet) -> list[str]:
    return [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def test_chinese_sheets_hold_no_english_settings_codes_or_model_text(workbook) -> None:
    for sheet in workbook.worksheets:
        texts = _texts(sheet)
        assert not SETTING_KEYS & set(texts), sheet.title
        assert not [t for t in texts if STATSMODELS_TEXT.search(t)], sheet.title
        if sheet.title not in DATA_SHEETS | {"原因统计"}:  # theme ids are ids
            assert not CODES & set(texts), (sheet.title, CODES & set(texts))
    quotes = workbook["原声"]
    assert {r[5] for r in quotes.iter_rows(min_row=4, values_only=True)} <= {
        "问卷",
        "客服",
        "社交媒体",
    }


def test_settings_in_words_and_files_without_folders(workbook, report_result) -> None:
    overview = {r[0]: r[1] for r in workbook["概览"].iter_rows(values_only=True) if r and r[0]}
    assert overview["输入文件"] == "survey_wjx.xlsx; service_tickets.csv; social_posts.csv"
    assert overview["流失标签文件"] == "churn_labels.csv"
    assert overview["暴露的定义"] == "流失前以负面情感提及该原因"
    assert overview["只计流失前多少天内的反馈"] == "不限"
    assert overview["计算方式"] == "本机"
    assert overview["流失原因分类"].startswith(f"{report_result.taxonomy.name} ")
    words = overview["这说明什么"]
    assert words.startswith("AUC 是模型把一位会流失的用户排在一位不会流失的用户前面的概率")
    inc = report_result.incremental
    assert ("区间包含 0" in words) == (inc.ci_low <= 0 <= inc.ci_high)
    folders = [t for s in workbook.worksheets for t in _texts(s) if "/" in t and "samples" in t]
    assert folders == []


def test_english_report_has_english_settings(report_result, tmp_path: Path) -> None:
    book = load_workbook(build_report(report_result, tmp_path / "en.xlsx", lang="en").workbook)
    overview = {r[0]: r[1] for r in book["Overview"].iter_rows(values_only=True) if r and r[0]}
    assert overview["Exposure"] == "A negative mention before churn"
    assert overview["Engine"] == "This computer"
    assert overview["What this means"].startswith("AUC is the chance that the model ranks")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    method = [r[0] for r in book["Method"].iter_rows(values_only=True) if r and r[0]]
    assert not [x for x in method if cjk.search(x)]
    rows = [r[0] for r in book["Overview"].iter_rows(values_only=True) if r and r[0]]
    settings = rows[rows.index("Inputs and settings") + 1 :]  # theme names above are data
    assert len(settings) == 15 and not [x for x in settings if cjk.search(x)]


def test_key_driver_chart_names_each_dot_and_draws_the_quadrant_lines(
    workbook, report_result: AnalysisResult
) -> None:
    (chart,) = workbook["关键驱动"]._charts
    modelled = report_result.attribution.table["impact"].notna().sum()
    dots, lines = chart.series[:modelled], chart.series[modelled:]
    assert all(s.dLbls is not None and s.dLbls.showSerName for s in dots)
    assert len(lines) == 2
    assert all(s.graphicalProperties.line.prstDash == "dash" for s in lines)


def test_every_style_names_the_cjk_font(workbook) -> None:
    names = {font.name for font in workbook._fonts}
    assert names == {FONT_NAME}


def test_wrapped_rows_are_tall_enough_and_headers_repeat(workbook) -> None:
    method = workbook["方法说明"]
    long_rows = [
        row
        for row in range(3, method.max_row + 1)
        if len(str(method.cell(row=row, column=2).value or "")) > 60
    ]
    assert long_rows
    for row in long_rows:
        text = method.cell(row=row, column=2).value
        assert method.row_dimensions[row].height == row_height([(text, 100)])
    assert workbook["流失原因"].print_title_rows == "$3:$3"
    assert workbook["明细"].print_title_rows == "$2:$2"


@pytest.mark.parametrize(
    ("texts", "height"),
    [
        ([("短句", 10)], None),
        ([("字" * 9, 10)], 49.5),  # 19.8 units on lines of 9: three lines
        ([("一行\n两行\n三行", 40)], 49.5),
        ([("a" * 18, 10), ("字" * 30, 20)], 66.0),  # the taller cell (four lines) sets it
        ([("字" * 5000, 10)], 409.0),  # Excel's largest row
    ],
)
def test_row_height(texts, height) -> None:
    assert row_height(texts) == height


@pytest.mark.parametrize(
    ("gain", "low", "high", "zh", "en"),
    [
        (
            0.04,
            0.01,
            0.07,
            "加入反馈文本后提升 0.040，区间不含 0：文本让流失预测更准，值得把文本特征放进流失模型。",
            "With the feedback text it rises by 0.040, and the interval excludes 0",
        ),
        (
            -0.046,
            -0.09,
            0.01,
            "变化 -0.046 的区间包含 0：没有证据表明文本让流失预测更准(也可能是用户太少，看不出差别)。",
            "The interval of the change (-0.046) includes 0",
        ),
        (
            -0.05,
            -0.08,
            -0.02,
            "加入反馈文本后下降 0.050，区间不含 0：文本特征没有帮助。",
            "With the feedback text it falls by 0.050",
        ),
    ],
)
def test_auc_gain_in_words(gain: float, low: float, high: float, zh: str, en: str) -> None:
    chinese = auc_in_words(gain, low, high, Labels("zh"))
    assert chinese.startswith("AUC 是模型把一位会流失的用户排在一位不会流失的用户前面的概率")
    assert chinese.endswith(zh) and "+-" not in chinese
    assert en in auc_in_words(gain, low, high, Labels("en"))
