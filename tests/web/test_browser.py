"""A real browser on the real server: headless Chromium uploads, waits, downloads.

Starts ``feedback-miner serve`` in a subprocess on a free port, drives Debian's
``/usr/bin/chromium`` with Playwright's Python client (no browser download),
uploads a sample export and the label file, checks the preview, runs the
analysis, downloads the report and opens it. `.ci/run` installs chromium and
sets ``FEEDBACK_MINER_REQUIRE_TOOLS=1`` so that the test cannot be skipped there.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

CHROMIUM = "/usr/bin/chromium"
# as the probe of this machine found: without these, Chromium's background
# connections are refused by the closed network, many at a time
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory, require_tool):
    try:
        import fastapi  # noqa: F401
    except ImportError:
        require_tool(False, "feedback-miner[web]")
    port = _free_port()
    jobs = tmp_path_factory.mktemp("jobs")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "feedback_miner.cli",
            "serve",
            "--port",
            str(port),
            "--jobs-dir",
            str(jobs),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/api/config", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read() if process.stdout else "") from None
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError("the server did not start in 60 s")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(require_tool):
    require_tool(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "playwright (pip install 'feedback-miner[browser-test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def test_upload_run_and_download_in_a_browser(
    server: str, browser, samples_dir: Path, tmp_path: Path
) -> None:
    started = time.monotonic()
    page = browser.new_page(accept_downloads=True, viewport={"width": 1100, "height": 1000})
    page.goto(server + "/")
    assert page.title() == "流失原因挖掘 · feedback-miner"
    assert page.locator("#run").is_disabled()

    page.set_input_files("#files", str(samples_dir / "service_tickets.csv"))
    row = page.locator("#preview tbody tr").first
    row.locator("td").nth(5).wait_for()  # the preview came back
    assert row.locator("td").nth(1).inner_text() == "csv"
    assert row.locator("td").nth(2).inner_text() == "gbk"
    assert "问题描述" in row.locator("td").nth(6).inner_text()
    assert "问题描述" in page.locator("#text-col option").all_inner_texts()

    page.set_input_files("#labels", str(samples_dir / "churn_labels.csv"))
    page.locator("#run").click()
    report_link = page.locator('#downloads a[data-file="report.xlsx"]')
    report_link.wait_for(timeout=180_000)
    assert page.locator("#status").inner_text().startswith("完成")
    files = page.locator("#downloads a").evaluate_all("links => links.map(a => a.dataset.file)")
    assert files == [
        "report.xlsx",
        "docs.csv",
        "mentions.csv",
        "attribution.csv",
        "features.parquet",
    ]
    if os.environ.get("FEEDBACK_MINER_SCREENSHOT"):
        page.screenshot(path=os.environ["FEEDBACK_MINER_SCREENSHOT"], full_page=True)

    with page.expect_download() as download:
        report_link.click()
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames[:2] == ["概览", "流失原因"]
    assert book["概览"]["B4"].value == 516  # documents analysed
    assert time.monotonic() - started < 300


def test_a_broken_file_shows_the_message(server: str, browser, tmp_path: Path) -> None:
    broken = tmp_path / "导出.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    page = browser.new_page()
    page.goto(server + "/")
    page.set_input_files("#files", str(broken))
    page.locator("#preview td.problem").wait_for()
    page.locator("#run").click()
    page.locator("#error").wait_for(state="visible", timeout=120_000)
    assert page.locator("#error").inner_text() == (
        "导出.xlsx: the workbook is damaged or truncated (its zip structure cannot be read). "
        "Download or export it again."
    )
