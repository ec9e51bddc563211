"""Rows per second for ingest on a generated CSV and XLSX export.

    python benchmarks/bench_ingest.py --rows 100000

Writes a seeded ticket export (GBK CSV and XLSX, with user ids, times, a rating,
free text built from the sample templates, some PII and non-answers) to a
temporary folder, then times ``ingest_file`` on each and prints rows per second
and the peak resident memory of this process. Not a test: its figures go in
release notes.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import tomllib
from openpyxl import Workbook

from feedback_miner.ingest import ingest_file

TEMPLATES = Path(__file__).resolve().parent.parent / "samples" / "templates.toml"
HEADER = ["工单编号", "用户ID", "创建时间", "渠道", "问题描述", "满意度"]


def rows(n: int, seed: int) -> list[list[object]]:
    text = tomllib.loads(TEMPLATES.read_text(encoding="utf-8"))
    lines = [line for table in text["negative"].values() for line in table["lines"]]
    lines += (
        text["general"]["positive"] + text["general"]["neutral"] + text["general"]["non_answers"]
    )
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        body = "，".join(
            lines[int(j)] for j in rng.integers(0, len(lines), int(rng.integers(1, 4)))
        )
        if rng.random() < 0.02:
            body += f"，电话13{int(rng.integers(100000000, 999999999))}"
        out.append(
            [
                f"T{i:07d}",
                f"U{int(rng.integers(1, n // 3 + 2))}",
                f"2026-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d} 10:00",
                "在线客服",
                body,
                int(rng.integers(1, 6)),
            ]
        )
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = rows(args.rows, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "tickets.csv"
        with csv_path.open("w", encoding="gbk", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(data)
        xlsx_path = Path(tmp) / "tickets.xlsx"
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in data:
            sheet.append(row)
        book.save(xlsx_path)
        for path in (csv_path, xlsx_path):
            started = time.perf_counter()
            result = ingest_file(path)
            seconds = time.perf_counter() - started
            summary = result.files[0]
            print(
                f"{path.suffix[1:]:>4}: {summary.rows_read:,} rows in {seconds:.1f} s = "
                f"{summary.rows_read / seconds:,.0f} rows/s; {summary.records:,} records, "
                f"rejected {summary.rejected}; peak RSS so far {peak_rss_mb():,.0f} MB"
            )


if __name__ == "__main__":
    main()
