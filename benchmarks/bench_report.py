"""Time and memory to write the Excel report for N documents.

    python benchmarks/bench_report.py --docs 10000 1000000

Analyses the bundled samples once (with their churn labels), then, for each N,
repeats their documents until there are N (each copy with its own doc_id) and
times ``build_report`` alone: the documents sheet streams N rows (Excel's
limit is 1,048,576; beyond it the rest goes to the overflow CSV), the other
sheets come from the analysis summary. Prints seconds, rows per second and
the growth of resident memory while the report was written (peak RSS during
``build_report`` minus RSS before it; Linux's ``/proc/self/clear_refs`` resets
the peak between runs). Not a test: its figures go in release notes.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import numpy as np

from feedback_miner import LabelOptions, analyze
from feedback_miner.report import build_report
from feedback_miner.report.documents import DOCUMENT_SHEET_COLUMNS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    raise KeyError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000])
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args()
    result = analyze(
        [SAMPLES / n for n in INPUTS], labels=LabelOptions(SAMPLES / "churn_labels.csv")
    )
    base = result.docs[[c for c in DOCUMENT_SHEET_COLUMNS if c in result.docs.columns]]
    print(f"analysed {len(base):,} sample documents; repeating them for each run")
    for n in args.docs:
        copies = -(-n // len(base))
        docs = base.iloc[np.tile(np.arange(len(base)), copies)[:n]].reset_index(drop=True)
        copy_number = np.repeat(np.arange(copies), len(base))[:n].astype(str)
        docs["doc_id"] = docs["doc_id"].to_numpy(dtype=object) + "#" + copy_number
        scaled = dataclasses.replace(result, docs=docs)
        with tempfile.TemporaryDirectory() as folder:
            Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM)
            before = _status("VmRSS")
            started = time.perf_counter()
            written = build_report(scaled, Path(folder) / "report.xlsx", lang=args.lang)
            seconds = time.perf_counter() - started
            peak = _status("VmHWM")
            size = written.workbook.stat().st_size / 2**20
            overflow = (
                f"; overflow CSV {written.overflow.stat().st_size / 2**20:.0f} MB"
                if written.overflow
                else ""
            )
        print(
            f"{n:>9,} documents: {seconds:7.1f} s ({n / seconds:,.0f} rows/s), "
            f"RSS {before} MB before, peak {peak} MB (+{peak - before} MB); "
            f"workbook {size:.0f} MB{overflow}"
        )


if __name__ == "__main__":
    main()
