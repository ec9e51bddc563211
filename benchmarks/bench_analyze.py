"""End-to-end documents per second of ``analyze``, beside plain ``jieba.lcut`` on the same texts.

    python benchmarks/bench_analyze.py --docs 100000 --jobs 2

Generates N ticket texts with a seed (the sample templates, as in
bench_ingest.py) and a churn label file for their users, then in one run:

1. times single-process ``jieba.lcut`` over the same texts (jieba's default
   dictionary, loaded before the clock starts);
2. runs ``feedback-miner analyze`` end to end as a subprocess (ingest, text
   stages in ``--jobs`` processes, attribution, report with the documents sheet
   moved to the CSV by ``--docs-sheet-rows 0``, docs and mentions as Parquet),
   sampling the resident memory of its whole process tree every 0.1 s.

``--input FILE`` (with ``--labels FILE`` when it has labels) measures a real
export instead: ``jieba.lcut`` over its texts as ingest gives them, and
``analyze`` on the file.

Prints documents per second of both, their ratio, the peak RSS (the sum
over the main process and its workers) and the analysis's phases as
``analyze --timings`` prints them. ``--keep DIR`` writes the inputs, the
outputs and ``rss.tsv`` (seconds since the start, MB of the main process and of
the whole tree, one line per sample) to DIR instead of a temporary folder.
Not a test: its figures go in the notes.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import HEADER, rows


def _write_inputs(folder: Path, n: int, seed: int) -> tuple[Path, Path, list[str]]:
    data = rows(n, seed)
    tickets = folder / "tickets.csv"
    with tickets.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)
    users = sorted({row[1] for row in data})
    rng = np.random.default_rng(seed + 1)
    labels = folder / "churn.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "churned", "churn_date", "tenure_months", "plan"])
        for user in users:
            churned = int(rng.random() < 0.25)
            date = f"2026-12-{int(rng.integers(1, 29)):02d}" if churned else ""
            plan = ("基础", "高级", "家庭")[int(rng.integers(0, 3))]
            writer.writerow([user, churned, date, int(rng.integers(1, 48)), plan])
    return tickets, labels, [str(row[4]) for row in data]


def _jieba_seconds(texts: list[str]) -> float:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident MB of the process ``pid`` and of it with all its descendants."""
    import psutil

    try:
        process = psutil.Process(pid)
        main = process.memory_info().rss
        children = sum(p.memory_info().rss for p in process.children(recursive=True))
        return main / 2**20, (main + children) / 2**20
    except psutil.Error:
        return 0.0, 0.0


def _run_analyze(command: list[str], trace: Path | None) -> tuple[float, float, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()
    samples: list[tuple[float, float, float]] = []

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            main, tree = _rss_mb(process.pid)
            peak = max(peak, tree)
            samples.append((time.perf_counter() - started, main, tree))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if trace is not None:
        lines = [f"{at:.1f}\t{main:.0f}\t{tree:.0f}" for at, main, tree in samples]
        trace.write_text("seconds\tmain_mb\ttree_mb\n" + "\n".join(lines) + "\n")
    if process.returncode:
        sys.exit(f"analyze failed ({process.returncode}): {err.decode()[-2000:]}")
    return seconds, peak, err.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--engine", default="local")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="write inputs, outputs and rss.tsv here"
    )
    parser.add_argument(
        "--input",
        type=Path,
        metavar="FILE",
        help="a real export instead of generated tickets (its documents are counted after ingest)",
    )
    parser.add_argument(
        "--labels", type=Path, metavar="FILE", help="with --input: its churn label file, if any"
    )
    args = parser.parse_args()
    if args.labels is not None and args.input is None:
        parser.error("--labels goes with --input (generated tickets come with their own labels)")
    where: AbstractContextManager[str]
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        where = nullcontext(str(args.keep))
    else:
        where = tempfile.TemporaryDirectory()
    with where as tmp:
        folder = Path(tmp)
        labels: Path | None
        if args.input is None:
            tickets, labels, texts = _write_inputs(folder, args.docs, args.seed)
            documents = args.docs
            what = "generated documents"
        else:
            from feedback_miner.ingest import IngestStream

            tickets, labels = args.input, args.labels
            texts = [str(t) for t in IngestStream([tickets]).read_all().records["text"]]
            documents = len(texts)
            what = f"documents of {tickets.name} (after ingest)"
        chars = sum(len(t) for t in texts)
        print(f"{documents:,} {what}, {chars / max(len(texts), 1):.1f} characters on average")
        jieba_seconds = _jieba_seconds(texts)
        jieba_rate = len(texts) / jieba_seconds
        print(
            f"jieba.lcut, one process: {jieba_seconds:.1f} s = {jieba_rate:,.0f} docs/s "
            f"({chars / jieba_seconds:,.0f} chars/s)"
        )
        command = [
            sys.executable,
            "-m",
            "feedback_miner.cli",
            "analyze",
            str(tickets),
            *(["--labels", str(labels)] if labels is not None else []),
            "-o",
            str(folder / "report.xlsx"),
            "--docs-sheet-rows",
            "0",
            "--docs",
            str(folder / "docs.parquet"),
            "--mentions",
            str(folder / "mentions.parquet"),
            *(["--attribution", str(folder / "attribution.csv")] if labels is not None else []),
            "--jobs",
            str(args.jobs),
            "--engine",
            args.engine,
            "--quiet",
            "--timings",
        ]
        trace = folder / "rss.tsv" if args.keep is not None else None
        seconds, peak, said = _run_analyze(command, trace)
        rate = documents / seconds
        print(
            f"feedback-miner analyze --jobs {args.jobs} --engine {args.engine}: {seconds:.1f} s = "
            f"{rate:,.0f} docs/s end to end; peak RSS of its processes {peak:,.0f} MB"
        )
        print(f"ratio analyze / jieba.lcut: {rate / jieba_rate:.2f}")
        table = said[said.find("phase ") :] if "phase " in said else ""
        if table:
            print("phases of the analysis (wall seconds, the main process; from --timings):")
            print(table.rstrip())


if __name__ == "__main__":
    main()
