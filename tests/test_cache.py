"""Built objects kept on disk: built once, read back equal, never a reason to fail."""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from feedback_miner.cache import CACHE_VARIABLE, cache_folder, digest, load_or_build


@dataclass(frozen=True)
class Built:
    value: int


class Counter:
    """A build function that counts its calls."""

    def __init__(self, value: int = 7) -> None:
        self.calls = 0
        self.value = value

    def __call__(self) -> Built:
        self.calls += 1
        return Built(self.value)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(where))
    return where


@pytest.mark.parametrize(
    ("variable", "xdg", "expected"),
    [
        ("/data/fm", None, "/data/fm"),
        ("~/fm", None, str(Path("~/fm").expanduser())),
        (None, "/xdg", "/xdg/feedback-miner"),
        (None, None, str(Path("~/.cache/feedback-miner").expanduser())),
        ("off", "/xdg", None),
        ("OFF", None, None),
        ("", None, None),
        (" 0 ", None, None),
        ("false", None, None),
        ("no", None, None),
    ],
)
def test_the_folder_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, variable: str | None, xdg: str | None, expected: str | None
) -> None:
    for name, value in ((CACHE_VARIABLE, variable), ("XDG_CACHE_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    found = cache_folder()
    assert (None if found is None else str(found)) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (["ab", "c"], ["ab", "c"], True),
        (["ab", "c"], [b"ab", b"c"], True),
        (["ab", "c"], ["a", "bc"], False),
        (["ab", "c"], ["c", "ab"], False),
        (["x"], ["x", ""], False),
        (["词"], ["词".encode()], True),
    ],
)
def test_digest_separates_its_parts(a: list[str | bytes], b: list[str | bytes], same: bool) -> None:
    assert (digest(a) == digest(b)) is same


def test_built_once_then_read_back_equal(folder: Path) -> None:
    build = Counter()
    first = load_or_build("thing", "k1", build, kind=Built)
    second = load_or_build("thing", "k1", build, kind=Built)
    assert first == second == Built(7) and second is not first
    assert build.calls == 1
    assert [p.name for p in folder.iterdir()] == ["thing-k1.pickle"]
    if hasattr(os, "getuid"):
        assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("off", ["off", ""])
def test_off_builds_every_time_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, off: str
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, off)
    monkeypatch.chdir(tmp_path)
    build = Counter()
    for _ in range(2):
        assert load_or_build("thing", "k1", build, kind=Built) == Built(7)
    assert build.calls == 2 and list(tmp_path.iterdir()) == []


def test_a_new_key_replaces_the_old_entries_of_its_name_only(folder: Path) -> None:
    load_or_build("thing", "k1", Counter(1), kind=Built)
    load_or_build("other", "k1", Counter(2), kind=Built)
    build = Counter(3)
    assert load_or_build("thing", "k2", build, kind=Built) == Built(3) and build.calls == 1
    assert sorted(p.name for p in folder.iterdir()) == ["other-k1.pickle", "thing-k2.pickle"]


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:10])


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a pickle at all")


def _other_key(path: Path) -> None:
    path.write_bytes(pickle.dumps(("k0", Built(99))))


def _other_kind(path: Path) -> None:
    path.write_bytes(pickle.dumps(("k1", {"value": 99})))


def _not_a_pair(path: Path) -> None:
    path.write_bytes(pickle.dumps(Built(99)))


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_truncated, "cannot be read"),
        (_garbage, "cannot be read"),
        (_not_a_pair, "cannot be read"),
        (_other_key, "holds something else"),
        (_other_kind, "holds something else"),
    ],
)
def test_an_entry_that_is_not_whole_or_not_this_one_is_built_again(
    folder: Path, caplog: pytest.LogCaptureFixture, spoil, reason: str
) -> None:
    load_or_build("thing", "k1", Counter(), kind=Built)
    spoil(folder / "thing-k1.pickle")
    build = Counter()
    with caplog.at_level(logging.DEBUG, logger="feedback_miner.cache"):
        assert load_or_build("thing", "k1", build, kind=Built) == Built(7)
    assert build.calls == 1
    assert any(reason in r.getMessage() for r in caplog.records)
    # and the entry is whole again
    again = Counter()
    assert load_or_build("thing", "k1", again, kind=Built) == Built(7) and again.calls == 0


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners are a POSIX notion")
def test_an_entry_another_user_owns_is_not_loaded(
    folder: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    load_or_build("thing", "k1", Counter(), kind=Built)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    build = Counter()
    with caplog.at_level(logging.DEBUG, logger="feedback_miner.cache"):
        assert load_or_build("thing", "k1", build, kind=Built) == Built(7)
    assert build.calls == 1
    assert any("belongs to another user" in r.getMessage() for r in caplog.records)


def test_a_folder_that_cannot_be_made_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    build = Counter()
    with caplog.at_level(logging.DEBUG, logger="feedback_miner.cache"):
        for _ in range(2):
            assert load_or_build("thing", "k1", build, kind=Built) == Built(7)
    assert build.calls == 2
    assert any("cannot be written" in r.getMessage() for r in caplog.records)
    assert blocker.read_text() == "in the way"


def test_an_object_that_cannot_be_pickled_is_returned_and_leaves_no_file(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def build() -> Built:
        return Built(lambda: 0)  # type: ignore[arg-type]  # a lambda cannot be pickled

    with caplog.at_level(logging.DEBUG, logger="feedback_miner.cache"):
        value = load_or_build("thing", "k1", build, kind=Built)
    assert value.value() == 0  # type: ignore[operator]
    assert list(folder.iterdir()) == []
    assert any("cannot be pickled" in r.getMessage() for r in caplog.records)
