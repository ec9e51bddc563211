"""Hostile inputs: every kind of file or output an attacker or a broken export can hand us.

Generates 40+ hostile files (our own, written by ``tests/hostile_files.py`` and
below), runs the command line on each in a child process under an address
space limit, and prints per case: exit code, seconds, peak RSS, whether every
input row ended as a record or a reject, and whether anything went wrong
(a signal, a traceback, an unexpected exit code, a leak of personal data, a
formula left live in a CSV, a truncated output left behind).

    python benchmarks/hostile_inputs.py                 # all cases, 2 GB, 90 s each
    python benchmarks/hostile_inputs.py --only csv_ --keep /tmp/hostile
    python benchmarks/hostile_inputs.py --mem-gb 2 --timeout 90

Cases that need to mount a file system (a read-only folder, a full disk) or
set the immutable flag run when the machine allows it and are reported as
skipped otherwise. Exit status 0 when every case passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import hostile_files as h  # noqa: E402  (the fixture writers live with the tests)


@dataclass
class Case:
    """One hostile input: how to make it, the command to run, what must hold."""

    name: str
    what: str
    make: Callable[[Path], list[str]]
    expect: int = 0
    rows: int | None = None  # data rows in the input: records + rejects must add up to it
    checks: list[Callable[[Path, str], str | None]] = field(default_factory=list)
    needs: Callable[[Path], str | None] | None = None  # returns why it cannot run here


def _ingest(path: Path, *extra: str) -> list[str]:
    folder = path.parent
    return [
        "ingest",
        str(path),
        "-o",
        str(folder / "records.csv"),
        "--rejects",
        str(folder / "rejects.csv"),
        *extra,
    ]


def _analyze(path: Path, *extra: str) -> list[str]:
    folder = path.parent
    return ["analyze", str(path), "-o", str(folder / "report.xlsx"), "--quiet", *extra]


def _csv_rows(folder: Path, name: str) -> int:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _no_live_formula(folder: Path, _: str) -> str | None:
    for table in ("records.csv", "rejects.csv", "docs.csv", "scored.csv"):
        if not (folder / table).exists():
            continue
        with (folder / table).open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if _looks_like_formula(cell):
                        return f"live formula in {table}: {cell[:30]!r}"
    return None


def _looks_like_formula(cell: str) -> bool:
    text = cell.lstrip(" \u3000")
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return False
    try:
        float(text)  # a number such as -0.78 is a number to a spreadsheet, not a formula
    except ValueError:
        return True
    return False


def _no_pii(folder: Path, _: str) -> str | None:
    for table in folder.glob("*.csv"):
        if table.name == "input.csv":
            continue
        text = table.read_text(encoding="utf-8")
        for value in h.PII_VALUES:
            if value in text:
                return f"{value!r} left in {table.name}"
    return None


def _no_temporary_left(folder: Path, _: str) -> str | None:
    left = [p.name for p in folder.rglob(".*.tmp")]
    return f"temporary files left: {left}" if left else None


def _says(fragment: str) -> Callable[[Path, str], str | None]:
    def check(_: Path, stderr: str) -> str | None:
        return None if fragment in stderr else f"message lacks {fragment!r}"

    return check


def _mounted(kind: str) -> Callable[[Path], str | None]:
    def needs(folder: Path) -> str | None:
        target = folder / "mnt"
        target.mkdir(exist_ok=True)
        options = "size=1m,ro" if kind == "ro" else "size=96k"
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
            capture_output=True,
        )
        return None if done.returncode == 0 else "cannot mount a tmpfs here"

    return needs


def _unmount(folder: Path) -> None:
    if (folder / "mnt").is_dir():
        subprocess.run(["umount", str(folder / "mnt")], capture_output=True)


def _feedback_csv(folder: Path, n: int = 40) -> Path:
    return h.write_csv(folder / "input.csv", h.feedback_rows(n))


def _case_list() -> list[Case]:
    cases: list[Case] = []

    def add(name: str, what: str, expect: int = 0, rows: int | None = None, **kw: object):
        def register(make: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
            cases.append(Case(name, what, make, expect, rows, **kw))  # type: ignore[arg-type]
            return make

        return register

    # ---- workbooks
    @add("xlsx_far_cell", "one value at A1, one at XFD1048576", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.far_cell_workbook(d / "input.xlsx"))

    @add("xlsx_zz200000", "a value at ZZ200000", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.far_cell_workbook(d / "input.xlsx", "ZZ200000"))

    @add("xlsx_bad_column", "a cell reference AAAAAAA2", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.far_cell_workbook(d / "input.xlsx", "AAAAAAA2"))

    @add("xlsx_bad_row", "a row number of 11 digits", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.far_row_workbook(d / "input.xlsx"))

    @add("xlsx_declared_extent", "50 rows declaring A1:XFD1048576", 0, 50)
    def _(d: Path) -> list[str]:
        return _ingest(h.declared_extent_workbook(d / "input.xlsx"))

    @add("xlsx_inflating", "a workbook that inflates beyond 1 GB", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.inflating_workbook(d / "input.xlsx", 24_000_000))

    @add("xlsx_cover_sheet", "a cover note first, the data second", 0, 30, checks=[_says("说明")])
    def _(d: Path) -> list[str]:
        return _ingest(h.two_sheet_workbook(d / "input.xlsx"))

    @add("xlsx_6000_columns", "a dense sheet 6,000 columns wide", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.wide_workbook(d / "input.xlsx", 6000))

    @add("xlsx_formulas", "texts that start like formulas", 0, 12, checks=[_no_live_formula])
    def _(d: Path) -> list[str]:
        path = h.write_workbook(d / "input.xlsx", [("Sheet1", h.rows_xml(h.formula_rows()))])
        return _ingest(path, "--text-col", "评价内容")

    @add("xlsx_truncated", "half a workbook", 2)
    def _(d: Path) -> list[str]:
        path = h.declared_extent_workbook(d / "whole.xlsx", 2000)
        data = path.read_bytes()
        (d / "input.xlsx").write_bytes(data[: len(data) // 2])
        return _ingest(d / "input.xlsx")

    @add("xlsx_other_zip", "a zip archive named .xlsx", 2)
    def _(d: Path) -> list[str]:
        with zipfile.ZipFile(d / "input.xlsx", "w") as archive:
            archive.writestr("photo.jpg", b"\xff\xd8" * 100)
        return _ingest(d / "input.xlsx")

    @add("xlsx_encrypted", "a password-protected workbook", 2)
    def _(d: Path) -> list[str]:
        marker = "EncryptedPackage".encode("utf-16-le")
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + marker + b"\0" * 4000
        (d / "input.xlsx").write_bytes(data)
        return _ingest(d / "input.xlsx")

    @add("xls_garbage", "an OLE header and garbage", 2)
    def _(d: Path) -> list[str]:
        (d / "input.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(20000))
        return _ingest(d / "input.xls")

    @add("xlsx_empty_sheet", "a workbook with no cells", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.write_workbook(d / "input.xlsx", [("Sheet1", [])]))

    # ---- CSV
    @add("csv_ragged_first_row", "an unquoted comma in the first data row", 0, 40)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        rows[1] = [*rows[1][:2], "物流太慢", "客服也不回复"]
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_ragged_later", "rows with extra fields in the middle", 0, 40)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        for i in (7, 19, 33):
            rows[i] = [*rows[i], "多出来的", "字段"]
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_trailing_delimiter", "every row ends with a comma", 0, 40)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        text = "\n".join(",".join(map(str, r)) + ("," if i else "") for i, r in enumerate(rows))
        (d / "input.csv").write_text(text + "\n", encoding="utf-8")
        return _ingest(d / "input.csv")

    @add("csv_nul_after_64k", "a NUL byte in a row after the first 64 KiB", 0, 3000)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(3000)
        rows[2500][2] = "价格\0\0太贵"
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_nul_in_text", "价格\\0\\0太贵 in an early row", 0, 40)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        rows[3][2] = "价格\0\0太贵"
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_binary", "a PNG named .csv", 2)
    def _(d: Path) -> list[str]:
        data = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 40
        (d / "input.csv").write_bytes(data)
        return _ingest(d / "input.csv")

    @add("csv_20000_columns", "20,000 columns", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.wide_csv(d / "input.csv", 20000))

    @add("csv_4000_columns", "4,000 columns (under the limit)", 0, 20)
    def _(d: Path) -> list[str]:
        return _ingest(h.wide_csv(d / "input.csv", 4000), "--text-col", "评价内容")

    @add("csv_long_numbers", "5,000-digit numbers in the rating and id columns", 0, 40)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        rows[0].append("评分")
        for i, row in enumerate(rows[1:], start=1):
            row.append("9" * 5000 if i % 2 else "4")
        rows[5][0] = "7" * 5000
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_unbalanced_quote", "a quote never closed: the rest is one cell", 2)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(20000)
        text = "\n".join(",".join(map(str, r)) for r in rows)
        text = text.replace("第10位用户", '"第10位用户', 1)
        (d / "input.csv").write_text(text + "\n", encoding="utf-8")
        return _ingest(d / "input.csv")

    @add("csv_mixed_encodings", "UTF-8 lines and GBK lines", 2)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(40)
        head = "\n".join(",".join(map(str, r)) for r in rows[:20]).encode("utf-8")
        tail = "\n".join(",".join(map(str, r)) for r in rows[20:]).encode("gbk")
        (d / "input.csv").write_bytes(head + b"\n" + tail + b"\n")
        return _ingest(d / "input.csv")

    @add("csv_gbk_formulas", "a GBK export whose texts start like formulas", 0, 12)
    def _(d: Path) -> list[str]:
        rows = [r for r in h.formula_rows()]
        text = "\n".join(",".join('"' + str(v).replace('"', '""') + '"' for v in r) for r in rows)
        (d / "input.csv").write_bytes(text.encode("gb18030") + b"\n")
        return _ingest(d / "input.csv", "--text-col", "评价内容")

    @add("csv_formulas", "formula-like texts in text and meta columns", 0, 12)
    def _(d: Path) -> list[str]:
        return _ingest(h.write_csv(d / "input.csv", h.formula_rows()), "--text-col", "评价内容")

    @add("csv_huge_cell", "one cell of 200,000 characters", 2)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(10)
        rows[4][2] = "太慢" * 100_000
        return _ingest(h.write_csv(d / "input.csv", rows))

    @add("csv_header_only", "a header and no rows", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.write_csv(d / "input.csv", h.feedback_rows(0)))

    @add("csv_million_blank_lines", "three rows among a million blank lines", 0, 3)
    def _(d: Path) -> list[str]:
        rows = h.feedback_rows(3)
        lines = [",".join(map(str, r)) for r in rows]
        text = lines[0] + "\n" + lines[1] + "\n" * 1_000_000 + lines[2] + "\n" + lines[3] + "\n"
        (d / "input.csv").write_text(text, encoding="utf-8")
        return _ingest(d / "input.csv")

    @add("csv_pii", "personal data in many shapes, text and meta", 0, 17, checks=[_no_pii])
    def _(d: Path) -> list[str]:
        return _ingest(h.write_csv(d / "input.csv", h.pii_rows()), "--text-col", "评价内容")

    @add("csv_one_long_line", "20 MB without a newline", 2)
    def _(d: Path) -> list[str]:
        (d / "input.csv").write_text("评价内容," + "很慢," * 7_000_000, encoding="utf-8")
        return _ingest(d / "input.csv")

    @add("tsv_utf16", "a UTF-16 tab-separated export (Excel's Unicode text)", 0, 40)
    def _(d: Path) -> list[str]:
        text = "\n".join("\t".join(map(str, r)) for r in h.feedback_rows(40))
        (d / "input.txt").write_bytes(text.encode("utf-16"))
        return _ingest(d / "input.txt")

    # ---- JSON
    @add("json_deep", "an array nested 100,000 deep", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.deep_json(d / "input.json", 100_000))

    @add("jsonl_30000_keys", "records of 30,000 fields", 2)
    def _(d: Path) -> list[str]:
        return _ingest(h.wide_json_line(d / "input.jsonl", 30_000))

    @add("jsonl_4000_keys", "records of 4,000 fields (under the limit)", 0, 3)
    def _(d: Path) -> list[str]:
        return _ingest(h.wide_json_line(d / "input.jsonl", 4000), "--text-col", "评价内容")

    @add("json_long_number", "a 5,000-digit number", 0, 2)
    def _(d: Path) -> list[str]:
        big = "9" * 5000
        text = f'[{{"评价内容": "太贵了", "评分": {big}}}, {{"评价内容": "客服差", "评分": 1}}]'
        (d / "input.json").write_text(text, encoding="utf-8")
        return _ingest(d / "input.json")

    @add("json_lone_surrogate", "a lone surrogate in a text", 0, 2)
    def _(d: Path) -> list[str]:
        text = '[{"评价内容": "太贵了\\ud800", "用户": "u1"}, {"评价内容": "客服差", "用户": "u\\udfff"}]'
        (d / "input.json").write_text(text, encoding="utf-8")
        return _ingest(d / "input.json")

    @add("json_not_records", "an array of numbers", 2)
    def _(d: Path) -> list[str]:
        (d / "input.json").write_text("[1, 2, 3]", encoding="utf-8")
        return _ingest(d / "input.json")

    # ---- taxonomy and labels
    @add("taxonomy_deep", "a taxonomy nested 100,000 deep", 2)
    def _(d: Path) -> list[str]:
        return _analyze(_feedback_csv(d), "--taxonomy", str(h.deep_toml(d / "t.toml", 100_000)))

    @add("taxonomy_binary", "random bytes as a taxonomy", 2)
    def _(d: Path) -> list[str]:
        (d / "t.toml").write_bytes(os.urandom(4000))
        return _analyze(_feedback_csv(d), "--taxonomy", str(d / "t.toml"))

    @add("labels_long_ids", "a label file with 5,000-digit ids and tenures", 0)
    def _(d: Path) -> list[str]:
        _feedback_csv(d)
        lines = ["user_id,churned,tenure"] + [
            f"U{i:05d},{i % 2},{'9' * 5000 if i == 3 else i}" for i in range(1, 41)
        ]
        lines.append(f"{'8' * 5000},1,3")
        (d / "labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return _analyze(d / "input.csv", "--labels", str(d / "labels.csv"))

    # ---- outputs
    @add("out_folder_in_the_way", "--docs names an existing folder", 2)
    def _(d: Path) -> list[str]:
        (d / "docs.csv").mkdir()
        return _analyze(_feedback_csv(d), "--docs", str(d / "docs.csv"))

    @add("out_parent_is_a_file", "-o inside a path that is a file", 2)
    def _(d: Path) -> list[str]:
        (d / "afile").write_text("x")
        return ["ingest", str(_feedback_csv(d)), "-o", str(d / "afile" / "records.csv")]

    @add("out_read_only", "-o on a read-only file system", 2, needs=_mounted("ro"))
    def _(d: Path) -> list[str]:
        return ["ingest", str(_feedback_csv(d)), "-o", str(d / "mnt" / "records.csv")]

    @add(
        "out_disk_full",
        "--docs on a 96 kB disk that fills up",
        2,
        needs=_mounted("small"),
        checks=[_no_temporary_left],
    )
    def _(d: Path) -> list[str]:
        return _analyze(_feedback_csv(d, 2000), "--docs", str(d / "mnt" / "docs.csv"))

    @add("out_immutable", "-o replaces an immutable file", 2, needs=lambda d: _immutable(d))
    def _(d: Path) -> list[str]:
        return ["ingest", str(_feedback_csv(d)), "-o", str(d / "locked.csv")]

    @add("sentiment_pii", "the sentiment command on personal data", 0, checks=[_no_pii])
    def _(d: Path) -> list[str]:
        path = h.write_csv(d / "input.csv", h.pii_rows())
        return ["sentiment", str(path), "--text-col", "评价内容", "-o", str(d / "scored.csv")]

    @add(
        "sentiment_formulas", "the sentiment command on formula texts", 0, checks=[_no_live_formula]
    )
    def _(d: Path) -> list[str]:
        path = h.write_csv(d / "input.csv", h.formula_rows())
        return ["sentiment", str(path), "--text-col", "评价内容", "-o", str(d / "scored.csv")]

    return cases


def _immutable(folder: Path) -> str | None:
    locked = folder / "locked.csv"
    locked.write_text("old\n")
    done = subprocess.run(["chattr", "+i", str(locked)], capture_output=True)
    return None if done.returncode == 0 else "cannot set the immutable flag here"


def _release(folder: Path) -> None:
    locked = folder / "locked.csv"
    if locked.exists():
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
    _unmount(folder)


def _limits(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return apply


def _run(case: Case, folder: Path, memory: int, timeout: float) -> dict[str, object]:
    why = case.needs(folder) if case.needs else None
    if why:
        return {"case": case.name, "status": f"skipped: {why}"}
    try:
        args = case.make(folder)
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "feedback_miner", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_limits(memory),
            cwd=folder,
        )
        try:
            _, stderr_bytes = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            _, stderr_bytes = child.communicate()
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        stderr = stderr_bytes.decode("utf-8", "replace")
        problems = []
        code = child.returncode
        if code < 0:
            problems.append(f"signal {-code}")
        if seconds > timeout:
            problems.append("timeout")
        if "Traceback" in stderr:
            problems.append("traceback")
        if code != case.expect:
            problems.append(f"exit {code}, expected {case.expect}")
        balanced = "-"
        if code == 0 and case.rows is not None and (folder / "records.csv").exists():
            total = _csv_rows(folder, "records.csv") + _csv_rows(folder, "rejects.csv")
            balanced = "yes" if total == case.rows else f"no ({total} of {case.rows})"
            if total != case.rows:
                problems.append("rows lost")
        for check in case.checks:
            if (found := check(folder, stderr)) is not None:
                problems.append(found)
        message = next((line for line in stderr.splitlines() if "error:" in line), "")
        return {
            "case": case.name,
            "what": case.what,
            "exit": code,
            "seconds": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "rows_balance": balanced,
            "status": "ok" if not problems else "FAIL: " + "; ".join(problems),
            "message": message[:160],
        }
    finally:
        _release(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run the cases whose name starts with this")
    parser.add_argument("--mem-gb", type=float, default=2.0, help="address space limit (GB)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per case")
    parser.add_argument("--keep", type=Path, help="keep the cases' folders here")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    cases = [c for c in _case_list() if c.name.startswith(args.only)]
    root = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    results = []
    print(f"{len(cases)} cases, address space limit {args.mem_gb:g} GB, {args.timeout:g} s each")
    print(f"{'case':26} {'exit':>4} {'s':>6} {'RSS MB':>7} {'rows':>6}  status")
    for case in cases:
        folder = root / case.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        # the peak of each case alone: RUSAGE_CHILDREN keeps the maximum of all children so far
        result = _run_isolated(case, folder, int(args.mem_gb * 2**30), args.timeout)
        results.append(result)
        print(
            f"{case.name:26} {result.get('exit', '-')!s:>4} {result.get('seconds', '-')!s:>6} "
            f"{result.get('peak_rss_mb', '-')!s:>7} {result.get('rows_balance', '-')!s:>6}  "
            f"{result['status']}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    failed = [r for r in results if str(r["status"]).startswith("FAIL")]
    print(f"{len(results) - len(failed)} of {len(results)} passed")
    return 1 if failed else 0


def _run_isolated(case: Case, folder: Path, memory: int, timeout: float) -> dict[str, object]:
    """Run one case from a fresh helper process, so that its peak RSS is its own."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: run the case, send the result, leave
        os.close(reader)
        try:
            result = _run(case, folder, memory, timeout)
        except Exception as error:  # a case that cannot even be set up is a failure
            result = {"case": case.name, "status": f"FAIL: setup {type(error).__name__}: {error}"}
        with os.fdopen(writer, "w") as out:
            out.write(json.dumps(result))
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as incoming:
        data = incoming.read()
    os.waitpid(pid, 0)
    return json.loads(data) if data else {"case": case.name, "status": "FAIL: no result"}


if __name__ == "__main__":
    sys.exit(main())
