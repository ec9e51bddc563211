"""``feedback-miner serve`` as a real process: the body after the token, hostile previews, shutdown."""

import json
import re
import signal
import socket
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from conftest import alive

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

TOKEN = "s3cret-token"
WAIT = 180


def _request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _multipart(field: str, name: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _headers_only(port: int, headers: str, wait: float) -> bytes:
    """Send a request's headers and no body; what the server answers within ``wait`` s."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(headers.encode())
        try:
            while not _complete(answer) and (chunk := connection.recv(65536)):
                answer += chunk
        except TimeoutError:
            pass
    return answer


def _complete(answer: bytes) -> bool:
    head, separator, body = answer.partition(b"\r\n\r\n")
    if not separator:
        return False
    length = re.search(rb"(?im)^content-length: *(\d+)", head)
    return length is not None and len(body) >= int(length.group(1))


def _upload_headers(port: int, authorization: str, megabytes: int) -> str:
    return (
        f"POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{authorization}"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {megabytes * 2**20}\r\n\r\n"
    )


def test_an_unauthenticated_upload_is_refused_before_its_body_is_sent(start_server) -> None:
    server = start_server("--token", TOKEN, "--max-upload-mb", "500")
    # 200 MB announced, not one byte of it sent: the answer comes all the same
    answer = _headers_only(server.port, _upload_headers(server.port, "", 200), wait=30)
    assert answer.startswith(b"HTTP/1.1 401 ")
    body = answer.split(b"\r\n\r\n", 1)[1]
    assert json.loads(body) == {
        "detail": "a valid token is needed: send the header 'Authorization: Bearer <token>'."
    }
    # with the token, the server waits for the body it was promised
    waiting = _headers_only(
        server.port, _upload_headers(server.port, f"Authorization: Bearer {TOKEN}\r\n", 200), 2
    )
    assert waiting == b""


def test_a_hostile_preview_fails_alone_and_the_server_answers(
    start_server, hostile_xlsx: bytes, samples_dir: Path
) -> None:
    server = start_server()
    body, headers = _multipart("file", "hostile.xlsx", hostile_xlsx)
    started = time.monotonic()
    status, answer = _request(server.url + "/api/preview", data=body, headers=headers)
    assert status == 422
    assert answer["detail"].startswith("hostile.xlsx: sheet '问卷' spans 1,048,576 rows x 16,384")
    assert time.monotonic() - started < 60  # within the preview's time limit
    assert server.process.poll() is None
    assert _request(server.url + "/api/config")[0] == 200
    body, headers = _multipart(
        "file", "tickets.csv", (samples_dir / "service_tickets.csv").read_bytes()
    )
    status, answer = _request(server.url + "/api/preview", data=body, headers=headers)
    assert status == 200 and answer["rows"] == 516


@pytest.mark.parametrize(
    ("signal_number", "exit_code", "said"),
    [
        (signal.SIGTERM, -signal.SIGTERM, ""),
        (signal.SIGINT, 130, "feedback-miner: interrupted\n"),
    ],
)
def test_stopping_the_server_keeps_the_jobs_dir_and_leaves_no_process(
    start_server, tmp_path: Path, samples_dir: Path, signal_number: int, exit_code: int, said: str
) -> None:
    jobs_dir = tmp_path / "shared-folder"
    jobs_dir.mkdir()
    (jobs_dir / "notes.txt").write_text("the analyst's own file\n", encoding="utf-8")
    server = start_server("--jobs-dir", str(jobs_dir))
    made = [p for p in jobs_dir.iterdir() if p.name != "notes.txt"]
    assert [p.name.startswith("feedback-miner-jobs-") for p in made] == [True]

    body, headers = _multipart(
        "files", "posts.csv", (samples_dir / "social_posts.csv").read_bytes()
    )
    status, job = _request(server.url + "/api/jobs", data=body, headers=headers)
    assert status == 202
    preview, headers = _multipart(
        "file", "t.csv", (samples_dir / "service_tickets.csv").read_bytes()
    )
    assert _request(server.url + "/api/preview", data=preview, headers=headers)[0] == 200
    deadline = time.monotonic() + WAIT
    while _request(f"{server.url}/api/jobs/{job['id']}")[1]["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    children = server.descendants()
    assert len(children) >= 3  # the job's worker, the preview's worker, multiprocessing's tracker

    server.process.send_signal(signal_number)
    _, stderr = server.process.communicate(timeout=60)
    assert server.process.returncode == exit_code
    assert stderr == said
    assert [p.name for p in jobs_dir.iterdir()] == ["notes.txt"]
    assert (jobs_dir / "notes.txt").read_text(encoding="utf-8") == "the analyst's own file\n"
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if alive(pid)] == []
