"""Outputs: written whole or not at all, formula-safe CSV, and environment failures as messages."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.cli import main
from feedback_miner.errors import FeedbackMinerError, OutputError
from feedback_miner.report import check_output_path, excel_safe, replacing, write_table_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import hostile_files as h


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+86 客服", "'+86 客服"),
        ("-价格太贵", "'-价格太贵"),
        ("@客服", "'@客服"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\u3000@x", "'\u3000@x"),
        ("价格太贵", "价格太贵"),
        ("＝全角", "＝全角"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_like_text_is_made_text(cell: str, written: str) -> None:
    assert excel_safe(pd.DataFrame({"text": [cell]}))["text"].tolist() == [written]


def test_numbers_and_missing_values_are_left_alone() -> None:
    frame = pd.DataFrame({"score": [-0.5, 0.2], "n": [-3, 4], "text": [None, "-x"]})
    safe = excel_safe(frame)
    assert safe["score"].tolist() == [-0.5, 0.2] and safe["n"].tolist() == [-3, 4]
    assert safe["text"].tolist() == [None, "'-x"]
    assert frame["text"].tolist() == [None, "-x"]  # the input is not changed


def test_csv_is_safe_unless_raw_and_parquet_is_raw(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["=1+1", "ok"]})
    write_table_file(frame, tmp_path / "safe.csv")
    write_table_file(frame, tmp_path / "raw.csv", raw=True)
    write_table_file(frame, tmp_path / "t.parquet")
    assert (tmp_path / "safe.csv").read_text(encoding="utf-8") == "text\n'=1+1\nok\n"
    assert (tmp_path / "raw.csv").read_text(encoding="utf-8") == "text\n=1+1\nok\n"
    assert pd.read_parquet(tmp_path / "t.parquet")["text"].tolist() == ["=1+1", "ok"]


def test_ingest_escapes_formulas_in_every_csv_it_writes(tmp_path: Path) -> None:
    path = h.write_csv(tmp_path / "in.csv", h.formula_rows())
    out, rejects = tmp_path / "records.csv", tmp_path / "rejects.csv"
    argv = ["ingest", str(path), "--text-col", "评价内容", "-o", str(out), "--quiet"]
    assert main([*argv, "--rejects", str(rejects)]) == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    for column in ("text", "meta:备注"):
        for value in written[column]:
            assert not value.lstrip(" \u3000").startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert main([*argv, "--raw-csv"]) == 0
    raw = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert raw["meta:备注"].iloc[0] == '=HYPERLINK("http://example.com/x","点我")'


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "docs.csv"
    target.write_text("old\n")
    with pytest.raises(OutputError) as info, replacing(target, "--docs") as temporary:
        temporary.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(info.value) == (
        f"--docs {target}: cannot write the file: the disk is full; free some space or write "
        "to another disk."
    )
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["docs.csv"]


def test_an_interrupted_write_leaves_no_temporary(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), replacing(tmp_path / "x.csv") as temporary:
        temporary.write_text("half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: (d / "docs.csv").mkdir() or d / "docs.csv",
            "this is a folder; give a file name inside it.",
        ),
        (
            lambda d: d / "missing" / "docs.csv",
            "the folder {d}/missing does not exist; create it first.",
        ),
        (
            lambda d: (d / "afile").write_text("x") and d / "afile" / "docs.csv",
            "{d}/afile is a file, not a folder; choose another folder.",
        ),
    ],
)
def test_output_paths_checked_before_the_work(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(FeedbackMinerError) as info:
        check_output_path(path, "--docs")
    assert str(info.value) == f"--docs {path}: " + message.format(d=tmp_path)


@pytest.fixture
def mounted(tmp_path: Path):
    """A tmpfs mounted for the test (needs the right to mount; skipped where there is none)."""
    mounts: list[Path] = []

    def mount(options: str) -> Path:
        target = tmp_path / f"mnt{len(mounts)}"
        target.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip("mounting a tmpfs needs privileges this machine does not give")
        mounts.append(target)
        return target

    yield mount
    for target in mounts:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_a_read_only_file_system(mounted, samples_dir: Path, capsys) -> None:
    folder = mounted("size=1m,ro")
    out = folder / "records.csv"
    assert main(["ingest", str(samples_dir / "social_posts.csv"), "-o", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"feedback-miner: error: -o {out}: the folder is on a read-only file system; write to "
        "another folder.\n"
    )


def test_a_disk_that_fills_up(mounted, samples_dir: Path, capsys) -> None:
    folder = mounted("size=64k")
    out = folder / "records.csv"
    assert main(["ingest", str(samples_dir / "social_posts.csv"), "-o", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"feedback-miner: error: -o {out}: cannot write the file: the disk is full; free some "
        "space or write to another disk.\n"
    )
    assert list(folder.iterdir()) == []  # no truncated file that looks like a result


def test_an_immutable_file(tmp_path: Path, samples_dir: Path, capsys) -> None:
    out = tmp_path / "records.csv"
    out.write_text("old\n")
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode != 0:
        pytest.skip("setting the immutable flag needs privileges this machine does not give")
    try:
        code = main(["ingest", str(samples_dir / "social_posts.csv"), "-o", str(out), "--quiet"])
    finally:
        subprocess.run(["chattr", "-i", str(out)], capture_output=True)
    assert code == 2
    assert capsys.readouterr().err == (
        f"feedback-miner: error: -o {out}: cannot write the file: the file cannot be replaced "
        "(read-only or locked); remove the protection, close it in Excel or WPS, or choose "
        "another name.\n"
    )
    assert out.read_text() == "old\n"


def test_the_sentiment_command_masks_personal_data(tmp_path: Path) -> None:
    path = h.write_csv(tmp_path / "in.csv", h.pii_rows())
    out = tmp_path / "scored.csv"
    assert main(["sentiment", str(path), "--text-col", "评价内容", "-o", str(out), "--quiet"]) == 0
    written = out.read_text(encoding="utf-8")
    assert [v for v in h.PII_VALUES if v in written] == []
    assert "<手机号>" in written and "<身份证号>" in written
