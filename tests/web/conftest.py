"""Files and a real server for the web tests."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# a workbook as small as Excel allows: one sheet, cells given inline
_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="问卷" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def workbook_with_cells(*cells: tuple[str, str]) -> bytes:
    """A valid .xlsx whose one sheet holds ``(reference, text)`` cells, nothing else."""
    rows: dict[int, list[str]] = {}
    for reference, text in cells:
        row = int("".join(c for c in reference if c.isdigit()))
        rows.setdefault(row, []).append(
            f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        + "".join(f'<row r="{n}">{"".join(rows[n])}</row>' for n in sorted(rows))
        + "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in {**_WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            book.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def hostile_xlsx() -> bytes:
    """1.5 kB: a cell at A1 and one at XFD1048576, the last cell a sheet can have.

    A reader that trusts the used range allocates the whole grid: 2^34 cells.
    """
    return workbook_with_cells(("A1", "评价"), ("XFD1048576", "太贵了"))


@pytest.fixture(scope="session")
def big_csv(samples_dir: Path) -> Callable[[float], bytes]:
    """A UTF-8 ticket export of about ``megabytes`` MB: the sample tickets over and over."""

    def make(megabytes: float) -> bytes:
        lines = (samples_dir / "service_tickets.csv").read_bytes().decode("gbk").splitlines()
        header, rows = lines[0], lines[1:]
        out = [header]
        size = 0
        while size < megabytes * 2**20:
            row = rows[len(out) % len(rows)]
            out.append(row)
            size += len(row.encode()) + 1
        return ("\n".join(out) + "\n").encode()

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A ``feedback-miner serve`` process on a free port."""

    process: subprocess.Popen[str]
    url: str
    port: int

    def descendants(self) -> set[int]:
        """Process ids of every process started below the server (Linux ``/proc``)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        found: set[int] = set()
        todo = [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    """Start ``feedback-miner serve ARGS`` and wait until it answers; ended after the test."""
    started: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "feedback_miner.cli", "serve", "--port", str(port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        server = Server(process, f"http://127.0.0.1:{port}", port)
        started.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(server.url + "/api/config", timeout=2)
                return server
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read() if process.stderr else "") from None
                time.sleep(0.2)
        process.kill()
        raise AssertionError("the server did not start in 60 s")

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
        server.process.communicate(timeout=30)
