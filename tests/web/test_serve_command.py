import sys
from pathlib import Path

import pytest

from feedback_miner.cli import main
from feedback_miner.cli.serve import allowed_hosts


def test_serve_without_the_web_extra_says_what_to_install(monkeypatch, capsys) -> None:
    for module in ("fastapi", "uvicorn", "multipart"):  # importing them now fails
        monkeypatch.setitem(sys.modules, module, None)
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == (
        "feedback-miner: error: the web service needs fastapi, uvicorn, python-multipart, which are not "
        "installed. Install them with: pip install 'feedback-miner[web]'\n"
    )


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--workers", "0"),
        ("--max-upload-mb", "-1"),
        ("--keep-minutes", "0"),
        ("--preview-seconds", "0"),
        ("--preview-memory-mb", "-5"),
    ],
)
def test_serve_options_must_be_positive(option: str, value: str, capsys) -> None:
    pytest.importorskip("uvicorn")
    assert main(["serve", option, value]) == 2
    number = float(value) if "." in value or option != "--workers" else int(value)
    assert capsys.readouterr().err == (
        f"feedback-miner: error: {option} is {number}; it must be more than 0.\n"
    )


def test_serve_refuses_a_jobs_dir_that_is_a_file(tmp_path, capsys) -> None:
    pytest.importorskip("uvicorn")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me", encoding="utf-8")
    assert main(["serve", "--jobs-dir", str(a_file)]) == 2
    assert capsys.readouterr().err == (
        f"feedback-miner: error: --jobs-dir {a_file} cannot be used as a folder (File exists). "
        "Give a folder this user can write to, or leave the option out to use the system's "
        "temporary folder.\n"
    )
    assert a_file.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_serve_says_when_it_cannot_make_its_jobs_folder(capsys) -> None:
    pytest.importorskip("uvicorn")
    assert main(["serve", "--jobs-dir", "/proc"]) == 2  # a folder in which nobody makes folders
    assert capsys.readouterr().err == (
        "feedback-miner: error: cannot make the jobs folder in /proc (No such file or directory). "
        "Give --jobs-dir a folder this user can write to.\n"
    )


@pytest.mark.parametrize(
    ("bind", "extra", "expected"),
    [
        ("127.0.0.1", [], ()),
        ("::1", [], ()),
        ("analytics.internal", ["Box"], ("box", "analytics.internal")),
        ("127.0.0.1", ["box", "BOX"], ("box",)),
    ],
)
def test_allowed_hosts_from_the_command_line(bind: str, extra: list[str], expected: tuple) -> None:
    assert allowed_hosts(bind, extra) == expected


def test_listening_on_every_address_allows_the_machine_name(monkeypatch) -> None:
    monkeypatch.setattr("socket.gethostname", lambda: "Analytics-Box")
    assert allowed_hosts("0.0.0.0", []) == ("analytics-box",)
