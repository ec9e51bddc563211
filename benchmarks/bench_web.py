"""How long other requests wait while ``serve`` reads a preview, and what a hostile one does.

    python benchmarks/bench_web.py --preview-mb 5

Starts ``feedback-miner serve`` as a subprocess on a free port, then:

1. posts a preview of a ticket export of about ``--preview-mb`` MB (the sample
   tickets over and over) and, while it is in flight, asks ``GET /api/config``
   every 20 ms: prints the preview's seconds and the median, 95th percentile
   and largest wait of those requests;
2. posts a 1.5 kB workbook with cells at A1 and XFD1048576, which a reader that
   trusts the declared range inflates to 2^34 cells: prints its status and
   seconds, and whether the server still answers afterwards.

Not a test: its figures go in the notes. Run it against another checkout with
``PYTHONPATH=OTHER_CHECKOUT python benchmarks/bench_web.py`` to compare.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>评价</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>太贵了</t></is></c></row>'
    "</sheetData></worksheet>"
)
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def hostile_workbook() -> bytes:
    """A minimal valid .xlsx whose one sheet has cells at A1 and XFD1048576."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_MAIN}.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            f'sheet1.xml" ContentType="{_MAIN}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            f'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{_RELS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": _SHEET,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return buffer.getvalue()


def ticket_export(megabytes: float) -> bytes:
    lines = (SAMPLES / "service_tickets.csv").read_bytes().decode("gbk").splitlines()
    out, size = [lines[0]], 0
    while size < megabytes * 2**20:
        row = lines[1 + len(out) % (len(lines) - 1)]
        out.append(row)
        size += len(row.encode()) + 1
    return ("\n".join(out) + "\n").encode()


def post_file(url: str, name: str, content: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, f"{type(error).__name__}: {error}"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/config", timeout=5):
            return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview-mb", type=float, default=5.0)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as jobs:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "feedback_miner.cli", "serve", "--port", str(port)),
                *("--jobs-dir", jobs, "--max-upload-mb", str(max(200, 2 * args.preview_mb))),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not answers(url):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            # warm: the preview worker's first start is not the figure asked for
            post_file(url + "/api/preview", "warm.csv", ticket_export(0.05))

            content = ticket_export(args.preview_mb)
            result: list[tuple[int, str]] = []
            started = time.monotonic()
            reader = threading.Thread(
                target=lambda: result.append(post_file(url + "/api/preview", "t.csv", content))
            )
            reader.start()
            waits = []
            while reader.is_alive():
                asked = time.monotonic()
                answers(url)
                waits.append(time.monotonic() - asked)
                time.sleep(0.02)
            preview_seconds = time.monotonic() - started
            status = result[0][0]
            waits.sort()
            print(
                f"preview of {len(content) / 2**20:.1f} MB: status {status}, "
                f"{preview_seconds:.2f} s; {len(waits)} GET /api/config meanwhile: median "
                f"{1000 * statistics.median(waits):.0f} ms, p95 "
                f"{1000 * waits[math.ceil(0.95 * len(waits)) - 1]:.0f} ms, max {1000 * waits[-1]:.0f} ms"
            )

            hostile = hostile_workbook()
            started = time.monotonic()
            status, body = post_file(url + "/api/preview", "hostile.xlsx", hostile)
            seconds = time.monotonic() - started
            detail = json.loads(body)["detail"] if body.startswith("{") else body
            print(
                f"hostile preview ({len(hostile)} bytes): status {status}, {seconds:.2f} s, "
                f"server answers afterwards: {answers(url)}, server process alive: "
                f"{server.poll() is None}\n  {str(detail)[:160]}"
            )
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
