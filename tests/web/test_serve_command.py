import sys

import pytest

from feedback_miner.cli import main


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
    [("--workers", "0"), ("--max-upload-mb", "-1"), ("--keep-minutes", "0")],
)
def test_serve_options_must_be_positive(option: str, value: str, capsys) -> None:
    pytest.importorskip("uvicorn")
    assert main(["serve", option, value]) == 2
    number = float(value) if "." in value or option != "--workers" else int(value)
    assert capsys.readouterr().err == (
        f"feedback-miner: error: {option} is {number}; it must be more than 0.\n"
    )
