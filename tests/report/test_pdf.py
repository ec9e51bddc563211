"""The workbook opens in a real spreadsheet program: LibreOffice converts it to PDF.

Needs Debian's ``libreoffice-calc-nogui`` and ``poppler-utils``; `.ci/run`
installs them and sets ``FEEDBACK_MINER_REQUIRE_TOOLS=1`` so that the test
cannot be skipped there.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from feedback_miner.report import build_report, sheet_names

TOOLS = ("soffice", "pdftotext", "pdfinfo")


@pytest.fixture(scope="module")
def tools(require_tool) -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    require_tool(
        not missing, f"{', '.join(missing)} (install libreoffice-calc-nogui poppler-utils)"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_converts_to_pdf(tools, lang: str, report_result, tmp_path: Path) -> None:
    result = report_result
    workbook = build_report(result, tmp_path / "report.xlsx", lang=lang).workbook
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages >= len(sheet_names(lang))  # every sheet prints at least one page
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    expected = "流失原因分析报告" if lang == "zh" else "Churn reason report"
    assert expected in text
    reason = result.attribution.table["theme_name"].iloc[0]
    assert reason in text
