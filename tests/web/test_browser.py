"""A real browser on the real server: headless Chromium uploads, waits, downloads.

Starts ``feedback-miner serve`` in a subprocess on a free port, drives Debian's
``/usr/bin/chromium`` with Playwright's Python client (no browser download),
uploads two sample exports and the label file, picks each file's text column,
runs the analysis, reads the key figures and top reasons on the page, downloads
the report and opens it; a failed run shows as failed. `.ci/run` installs chromium and
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


def _pick(row, role: str, column: str) -> None:
    row.locator(f'select[data-role="{role}"]').select_option(column)


def test_two_files_with_their_own_columns_run_and_show_the_top_reasons(
    server: str, browser, samples_dir: Path, tmp_path: Path
) -> None:
    started = time.monotonic()
    page = browser.new_page(accept_downloads=True, viewport={"width": 1200, "height": 1400})
    page.goto(server + "/")
    assert page.title() == "流失原因挖掘 · feedback-miner"
    assert page.locator("#run").is_disabled()

    # two exports whose text columns differ: 问题描述 (tickets) and 微博内容 (posts)
    page.set_input_files(
        "#files", [str(samples_dir / "service_tickets.csv"), str(samples_dir / "social_posts.csv")]
    )
    rows = page.locator("#preview tbody tr")
    tickets, posts = rows.nth(0), rows.nth(1)
    for row in (tickets, posts):
        row.locator('select[data-role="time_col"]').wait_for()  # its preview came back
    assert tickets.locator("td").nth(2).inner_text() == "gbk"
    assert "问题描述" in tickets.locator('select[data-role="text_col"] option').all_inner_texts()
    assert "问题描述" not in posts.locator('select[data-role="text_col"] option').all_inner_texts()
    _pick(tickets, "text_col", "问题描述")
    _pick(tickets, "id_col", "用户ID")
    _pick(posts, "text_col", "微博内容")

    page.set_input_files("#labels", str(samples_dir / "churn_labels.csv"))
    page.locator("#label-id-col option", has_text="user_id").wait_for(state="attached")
    page.locator("#label-id-col").select_option("user_id")
    page.locator("#run").click()
    page.locator("#reasons tbody tr").first.wait_for(timeout=180_000)
    assert page.locator("#status").inner_text().startswith("完成")
    assert page.locator("#progress").is_hidden()

    # the key figures and the top reasons, on the page
    figures = dict(
        zip(
            page.locator("#figures dt").all_inner_texts(),
            page.locator("#figures dd").all_inner_texts(),
            strict=True,
        )
    )
    assert figures["分析文档数"] == str(516 + 571)
    assert "文本带来的 AUC 提升" in figures
    shown = page.locator("#reasons tbody tr td:first-child").all_inner_texts()
    assert len(shown) >= 3
    assert page.locator("#reasons-title").inner_text() == "主要流失原因(按归因流失占比)"
    assert page.locator("#reasons td.bar span").count() == len(shown)
    files = page.locator("#downloads a").evaluate_all("links => links.map(a => a.dataset.file)")
    assert files == [
        "report.xlsx",
        "docs.csv",
        "mentions.csv",
        "attribution.csv",
        "features.csv",
        "features.xlsx",
        "features.parquet",
    ]
    if os.environ.get("FEEDBACK_MINER_SCREENSHOT"):
        page.screenshot(path=os.environ["FEEDBACK_MINER_SCREENSHOT"], full_page=True)

    with page.expect_download() as download:
        page.locator('#downloads a[data-file="report.xlsx"]').click()
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames[:2] == ["概览", "流失原因"]
    assert book["概览"]["B4"].value == 516 + 571  # documents analysed
    top = [r[0] for r in book["概览"].iter_rows(values_only=True) if r and r[0] in shown]
    assert top[:3] == shown[:3]  # the page's reasons are the report's
    assert time.monotonic() - started < 300


def test_a_failed_run_looks_failed(server: str, browser, tmp_path: Path) -> None:
    labels_only = tmp_path / "churn.csv"
    labels_only.write_text(
        "id,churned\n" + "".join(f"U{i},{i % 2}\n" for i in range(20)), encoding="utf-8"
    )
    page = browser.new_page()
    page.goto(server + "/")
    page.set_input_files("#files", str(labels_only))
    page.locator("#preview td.problem").wait_for()
    page.locator("#run").click()
    page.locator("#error").wait_for(state="visible", timeout=120_000)
    assert page.locator("#status").inner_text() == "失败"
    assert page.locator("#progress").is_hidden()
    assert (
        page.locator("#error")
        .inner_text()
        .startswith("churn.csv：这是流失标签表(用户ID与是否流失)，不是反馈。请把它放到“流失标签表”")
    )


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
