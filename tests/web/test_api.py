"""The HTTP API with FastAPI's TestClient: real uploads, real worker processes."""

import io
import json
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from feedback_miner.web.app import WebSettings, create_app, safe_name

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = WebSettings(
        max_upload_mb=1, workers=2, token=TOKEN, jobs_dir=tmp_path_factory.mktemp("jobs")
    )
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


def _wait(client: TestClient, job_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job_id}", headers=AUTH).json()
        seen.append(status["status"])
        assert 0 <= status["progress"] <= 1
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still {seen[-1]} after {timeout} s")


def _upload(samples_dir: Path, *names: str) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (name, (samples_dir / name).read_bytes())) for name in names]


def test_upload_poll_download(client: TestClient, samples_dir: Path, tmp_path: Path) -> None:
    files = _upload(samples_dir, "service_tickets.csv", "social_posts.csv")
    files.append(("labels", ("churn_labels.csv", (samples_dir / "churn_labels.csv").read_bytes())))
    # each file its own text column: neither column exists in the other file
    columns = json.dumps([{"text_col": "问题描述", "id_col": "用户ID"}, {"text_col": "微博内容"}])
    answer = client.post(
        "/api/jobs", files=files, data={"lang": "zh", "columns": columns}, headers=AUTH
    )
    assert answer.status_code == 202
    assert answer.json()["status"] == "queued"
    job_id = answer.json()["id"]
    status = _wait(client, job_id)
    assert status == {
        "id": job_id,
        "status": "done",
        "progress": 1.0,
        "error": None,
        "files": [
            "report.xlsx",
            "docs.csv",
            "mentions.csv",
            "attribution.csv",
            "features.csv",
            "features.xlsx",
            "features.parquet",
            "overview.json",
        ],
    }
    overview = client.get(f"/api/jobs/{job_id}/files/overview.json", headers=AUTH).json()
    assert overview["figures"]["documents"] == 516 + 571
    assert overview["ranked_by"] == "impact" and len(overview["reasons"]) >= 3
    attribution = pd.read_csv(
        io.StringIO(client.get(f"/api/jobs/{job_id}/files/attribution.csv", headers=AUTH).text)
    )
    top = attribution[attribution["parent_id"].isna()].dropna(subset=["impact"])
    assert [r["theme"] for r in overview["reasons"]] == top["theme_name"].head(8).tolist()
    features = pd.read_csv(
        io.StringIO(client.get(f"/api/jobs/{job_id}/files/features.csv", headers=AUTH).text)
    )
    sheet = client.get(f"/api/jobs/{job_id}/files/features.xlsx", headers=AUTH)
    (tmp_path / "f.xlsx").write_bytes(sheet.content)
    rows = list(load_workbook(tmp_path / "f.xlsx")["features"].iter_rows(values_only=True))
    assert list(rows[0]) == list(features.columns) and len(rows) == len(features) + 1
    report = client.get(f"/api/jobs/{job_id}/files/report.xlsx", headers=AUTH)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "report.xlsx"
    path.write_bytes(report.content)
    book = load_workbook(path)
    assert book.sheetnames[0] == "概览" and book["流失原因"]["A4"].value
    inputs = {r[0]: r[1] for r in book["概览"].iter_rows(values_only=True) if r and r[0]}
    assert inputs["输入文件"] == "service_tickets.csv; social_posts.csv"  # no server folders
    assert inputs["流失标签文件"] == "churn_labels.csv"
    docs = client.get(f"/api/jobs/{job_id}/files/docs.csv", headers=AUTH)
    assert docs.text.splitlines()[0].startswith("doc_id,user_id,source,created_at,text")


def test_oversize_upload_is_refused_with_413(client: TestClient) -> None:
    big = ("files", ("big.csv", b"a" * (1024 * 1024 + 10)))
    answer = client.post("/api/jobs", files=[big], headers=AUTH)
    assert answer.status_code == 413
    assert answer.json()["detail"] == (
        "the upload is 1.0 MB; the limit is 1 MB. Split the export, "
        "or start the service with a larger --max-upload-mb."
    )


def test_corrupt_file_fails_with_the_cli_message(client: TestClient) -> None:
    fake = b"PK\x03\x04" + b"\x00" * 200  # a zip header and nothing after it
    answer = client.post("/api/jobs", files=[("files", ("导出.xlsx", fake))], headers=AUTH)
    status = _wait(client, answer.json()["id"])
    assert status["status"] == "failed" and status["files"] == []
    assert status["error"] == (
        "导出.xlsx: the workbook is damaged or truncated (its zip structure cannot be read). "
        "Download or export it again."
    )


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]
)
def test_wrong_token_is_401(client: TestClient, headers: dict) -> None:
    answer = client.get("/api/jobs/0123456789abcdef", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["detail"] == (
        "a valid token is needed: send the header 'Authorization: Bearer <token>'."
    )
    assert (
        client.post("/api/jobs", files=[("files", ("a.csv", b"x"))], headers=headers).status_code
        == 401
    )


def test_the_page_needs_no_token_and_the_docs_do(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "流失原因挖掘" in page.text
    assert client.get("/static/page.js").status_code == 200
    assert client.get("/static/../app.py", headers=AUTH).status_code == 404
    assert client.get("/static/app.py").status_code == 404
    assert client.get("/api/config").json()["token_required"] is True
    assert client.get("/openapi.json").status_code == 401
    schema = client.get("/openapi.json", headers=AUTH).json()
    assert {"/api/jobs", "/api/jobs/{job_id}", "/api/jobs/{job_id}/files/{name}"} <= set(
        schema["paths"]
    )


def test_path_names_from_the_client_are_harmless(
    client: TestClient, samples_dir: Path, tmp_path: Path
) -> None:
    settings_root = client.app.state.store.root
    content = (samples_dir / "social_posts.csv").read_bytes()
    answer = client.post(
        "/api/jobs", files=[("files", ("../../etc/passwd", content))], headers=AUTH
    )
    job_id = answer.json()["id"]
    status = _wait(client, job_id)
    # stored as "passwd" inside the job's folder; without an extension it is not read
    assert status["error"].startswith("passwd: unsupported file type '(no extension)'")
    saved = list((settings_root / job_id).rglob("passwd"))
    assert saved == [settings_root / job_id / "inputs" / "1" / "passwd"]
    for name in ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "report.xlsx/../../x"):
        assert client.get(f"/api/jobs/{job_id}/files/{name}", headers=AUTH).status_code == 404
    assert client.get("/api/jobs/..%2F..%2Fetc/files/docs.csv", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("问卷 导出(1).xlsx", "问卷_导出_1_.xlsx"),
        (".hidden.csv", "hidden.csv"),
        ("", "upload"),
        ("/", "upload"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name, "upload") == expected


def test_preview_describes_an_export(client: TestClient, samples_dir: Path) -> None:
    content = (samples_dir / "service_tickets.csv").read_bytes()
    info = client.post(
        "/api/preview", files={"file": ("tickets.csv", content)}, headers=AUTH
    ).json()
    assert info["format"] == "csv" and info["encoding"] == "gbk"
    assert info["roles"]["text"] == ["问题描述"] and info["roles"]["user_id"] == "用户ID"
    assert info["rows"] == 516 and "问题描述" in info["columns"]


def test_preview_of_a_file_without_free_text_lists_the_columns(client: TestClient) -> None:
    codes = "序号,年龄,性别\n1,3,1\n2,2,2\n3,1,1\n".encode()
    info = client.post("/api/preview", files={"file": ("codes.csv", codes)}, headers=AUTH).json()
    assert info["columns"] == ["序号", "年龄", "性别"]
    lead, detail = info["problem"].split("\n", 1)
    assert lead == "codes.csv：没有找到顾客自己写的文字的列。请在这个文件的“文本列”里选一列。"
    assert detail.startswith("codes.csv: no column holds free text")
    assert detail.endswith("Name the free-text column with “文本列”(text_col).")  # no CLI flag


def test_unknown_job_and_file(client: TestClient) -> None:
    assert client.get("/api/jobs/0123456789abcdef", headers=AUTH).status_code == 404
    answer = client.get("/api/jobs/0123456789abcdef/files/secrets.txt", headers=AUTH)
    assert answer.status_code == 404


def test_finished_jobs_are_removed_after_the_keep_time(
    client: TestClient, samples_dir: Path
) -> None:
    store = client.app.state.store
    answer = client.post("/api/jobs", files=_upload(samples_dir, "social_posts.csv"), headers=AUTH)
    job_id = answer.json()["id"]
    _wait(client, job_id)
    folder = store.root / job_id
    assert folder.exists()
    assert job_id in store.sweep(now=time.time() + store.keep_seconds + 1)
    assert not folder.exists()
    assert client.get(f"/api/jobs/{job_id}", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lang", "fr", "lang is 'fr', which is not valid; use one of: zh, en."),
        ("lang", "zh-CN", "lang is 'zh-CN', which is not valid; use one of: zh, en."),
        (
            "source",
            "mail",
            "source is 'mail', which is not valid; use one of: survey, service, social, auto.",
        ),
        (
            "source",
            "Survey",
            "source is 'Survey', which is not valid; use one of: survey, service, social, auto.",
        ),
    ],
)
def test_invalid_form_values_are_422_naming_the_field(
    client: TestClient, field: str, value: str, message: str
) -> None:
    store = client.app.state.store
    before = {p.name for p in store.root.iterdir()}
    answer = client.post(
        "/api/jobs",
        files=[("files", ("a.csv", io.BytesIO(b"x")))],
        data={field: value},
        headers=AUTH,
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == message
    assert {p.name for p in store.root.iterdir()} == before  # no job folder was made


@pytest.mark.parametrize(
    "columns",
    ["not json", '{"text_col": "a"}', '[{"text": "a"}]', '[{"text_col": 3}]', "[{}, {}]"],
)
def test_per_file_columns_that_are_not_a_list_per_file_are_422(
    client: TestClient, columns: str
) -> None:
    answer = client.post(
        "/api/jobs",
        files=[("files", ("a.csv", io.BytesIO(b"x")))],
        data={"columns": columns},
        headers=AUTH,
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        "columns 应为 JSON 列表，每个上传文件一项(共 1 个文件)，键为 text_col、id_col、time_col。"
        "The columns field must be a JSON list with one object per uploaded file (1), with keys "
        "text_col, id_col, time_col."
    )
