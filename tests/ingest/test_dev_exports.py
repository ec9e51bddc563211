"""The real 问卷星 exports in ../shared/data/dev/wjx (not part of the project).

Skipped when that folder is absent: the project's tests pass on a fresh clone
without it. See ../shared/data/dev/README.md for the files and their licence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_miner.cli import main
from feedback_miner.ingest import IngestOptions, ingest_file

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev" / "wjx"
pytestmark = pytest.mark.skipif(
    not DEV.is_dir(),
    reason=(
        "optional: real 问卷星 exports kept outside the project (a folder shared/data/dev/wjx "
        "beside the checkout) are not present; the fixtures under tests/ cover the same cases"
    ),
)


@pytest.mark.parametrize("name", ["wjx_800_text.xls", "wjx_800_codes.xls"])
def test_no_free_text_column_is_exit_2_with_the_columns(name: str, tmp_path: Path, capsys) -> None:
    assert main(["ingest", str(DEV / name), "-o", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{DEV / name}: no column holds free text" in err
    assert "'1、手机部数'" in err and "--text-col" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "column"), [("wjx_800_text.xls", "6、兴趣爱好"), ("wjx_800_codes.xls", "第6题(运动)")]
)
def test_an_option_column_named_with_text_col_still_works(name: str, column: str) -> None:
    result = ingest_file(DEV / name, IngestOptions(text_cols=(column,)))
    summary = result.files[0]
    assert (summary.platform, summary.file_format, summary.rows_read) == ("wjx", "xls", 800)
    assert summary.rows_read == summary.rows_in_records + sum(summary.rejected.values())


def test_other_please_specify_fill_ins_are_lifted(tmp_path: Path) -> None:
    result = ingest_file(
        DEV / "wjx_800_text.xls", IngestOptions(text_cols=("2、手机价格〖填写〗",))
    )
    assert sorted(result.records["text"]) == ["亲友赠送的", "我妈买的。"]
