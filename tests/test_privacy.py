"""Personal data never reaches an output: tables, evidence, the report's quotes and documents,
the proposed themes."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from feedback_miner.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_files as h


def _texts_in(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "".join(
                book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")
            )
    return path.read_text(encoding="utf-8")


def test_no_output_holds_the_personal_data_of_the_input(tmp_path: Path) -> None:
    rows = h.pii_rows()
    # enough texts for topic discovery, each carrying one of the shapes
    rows += [
        [f"V{i}", rows[1 + i % 17][1], f"第{i}次：{rows[1 + i % 17][1]}，网络卡顿"]
        for i in range(40)
    ]
    path = h.write_csv(tmp_path / "in.csv", rows)
    outputs = {
        "--docs": tmp_path / "docs.csv",
        "--mentions": tmp_path / "mentions.csv",
    }
    argv = ["analyze", str(path), "--text-col", "评价内容", "-o", str(tmp_path / "r.xlsx")]
    for option, out in outputs.items():
        argv += [option, str(out)]
    assert main([*argv, "--quiet"]) == 0
    proposed = tmp_path / "proposed.toml"
    assert (
        main(
            [
                "themes",
                "discover",
                str(path),
                "--text-col",
                "评价内容",
                "--all",
                "-k",
                "3",
                "-o",
                str(proposed),
                "--quiet",
            ]
        )
        == 0
    )
    for out in [*outputs.values(), tmp_path / "r.xlsx", proposed]:
        text = _texts_in(out)
        assert [v for v in h.PII_VALUES if v in text] == [], out.name
    assert "<手机号>" in _texts_in(tmp_path / "docs.csv")
