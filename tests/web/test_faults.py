"""The web service under faults: dying workers, hostile and slow previews, long names, full disks."""

import errno
import os
import signal
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient

from feedback_miner.web.app import NAME_BYTES, WebSettings, create_app, safe_name
from feedback_miner.web.jobs import JobSpec, JobStore

BASE = "http://127.0.0.1:8000"
WAIT = 180

JOB_KILLED = (
    "分析进程意外结束（被信号 SIGKILL 终止），多半是服务器内存不足，或进程被系统终止。"
    "请重新提交；如果再次出现，请把导出文件拆成几个小文件，或请管理员用更少的 --workers 启动服务。"
    "\nThe analysis process ended unexpectedly (killed by signal SIGKILL), most likely because "
    "the server ran out of memory or the process was stopped by the system. Submit the job "
    "again; if it happens again, split the export into smaller files, or ask the administrator "
    "to start the server with fewer --workers."
)
SERVER_STOPPED = (
    "服务在分析完成前停止了。请在服务重新启动后再上传一次。"
    "\nThe server was stopped before the work finished. Upload the files again once the server "
    "is running."
)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = WebSettings(max_upload_mb=20, workers=2, jobs_dir=tmp_path_factory.mktemp("jobs"))
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


def _wait(client: TestClient, job_id: str) -> dict:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job_id}").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {WAIT} s")


def _wait_for_pid(store: JobStore, job_id: str) -> int:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        pid = store.worker_pid(job_id)
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never started")


def _post_job(client: TestClient, samples_dir: Path, name: str = "social_posts.csv") -> str:
    content = (samples_dir / "social_posts.csv").read_bytes()
    answer = client.post("/api/jobs", files=[("files", (name, content))])
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


# --- a job whose worker dies -----------------------------------------------------------------


def test_a_job_whose_worker_is_killed_fails_and_the_next_job_succeeds(
    client: TestClient, samples_dir: Path
) -> None:
    store = client.app.state.store
    victim = _post_job(client, samples_dir)
    bystander = _post_job(client, samples_dir)  # runs beside it in the other worker
    os.kill(_wait_for_pid(store, victim), signal.SIGKILL)
    killed = _wait(client, victim)
    assert killed == {
        "id": victim,
        "status": "failed",
        "progress": 1.0,
        "error": JOB_KILLED,
        "files": [],
    }
    assert _wait(client, bystander)["status"] == "done"
    # every later job gets a worker: no BrokenProcessPool, no 500
    for _ in range(2):
        later = _post_job(client, samples_dir)
        assert _wait(client, later)["status"] == "done"


def test_stopping_the_store_fails_running_jobs_and_removes_only_its_folder(
    tmp_path: Path, samples_dir: Path
) -> None:
    root = tmp_path / "feedback-miner-jobs-x"
    root.mkdir()
    store = JobStore(root, workers=1)
    job_id, folder = store.new_folder()
    upload = folder / "inputs" / "1" / "social_posts.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes((samples_dir / "social_posts.csv").read_bytes())
    store.submit(job_id, folder, JobSpec(inputs=(str(upload),)))
    waiting_id, waiting_folder = store.new_folder()
    store.submit(waiting_id, waiting_folder, JobSpec(inputs=(str(upload),)))
    pid = _wait_for_pid(store, job_id)
    store.shutdown()
    for each in (job_id, waiting_id):
        status = store.status(each)
        assert status is not None
        assert (status["status"], status["error"]) == ("failed", SERVER_STOPPED)
    assert not root.exists() and tmp_path.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


# --- previews --------------------------------------------------------------------------------


def _preview_stopped(name: str, zh: str, en: str) -> str:
    return (
        f"{name}: 预览已停止（{zh}）：读取这个文件需要的内存超过了预览的 2048 MB 上限，"
        "或者读取时崩溃了。文件可能已损坏，或被做成耗尽内存的样子；请用 Excel 打开后另存一份，或导出为 CSV，"
        f"再上传。\nThe preview of this file stopped ({en}): reading it needed more than the "
        "2048 MB a preview may use, or the reader crashed. The file may be damaged or built to "
        "exhaust memory; open it in Excel and save a copy, or export it as CSV, then upload that."
    )


# the workbook reader refuses it before it allocates anything; were it to try, the
# preview's memory limit would end its worker (see the test after this one)
HOSTILE_PREVIEW = (
    "hostile.xlsx: sheet '问卷' spans 1,048,576 rows x 16,384 columns (17,179,869,184 cells) "
    "but holds 2 values; the limit is 5,000,000 cells. Delete the stray cells far from the data "
    "(Ctrl+End shows the last one) and save again, or export the sheet as CSV, which has no limit."
)


def test_a_preview_whose_worker_is_killed_is_422_and_the_next_preview_works(
    client: TestClient, big_csv, samples_dir: Path
) -> None:
    previews = client.app.state.previews
    content = big_csv(5)
    answers: list = []
    reader = threading.Thread(
        target=lambda: answers.append(
            client.post("/api/preview", files={"file": ("tickets.csv", content)})
        )
    )
    reader.start()
    deadline = time.monotonic() + WAIT
    while previews.reading() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    for pid in previews.worker_pids():
        os.kill(pid, signal.SIGKILL)
    reader.join(WAIT)
    assert answers[0].status_code == 422
    assert answers[0].json()["detail"] == _preview_stopped(
        "tickets.csv", "被信号 SIGKILL 终止", "killed by signal SIGKILL"
    )
    again = (samples_dir / "service_tickets.csv").read_bytes()
    answer = client.post("/api/preview", files={"file": ("tickets.csv", again)})
    assert answer.status_code == 200 and answer.json()["rows"] == 516


def test_a_hostile_workbook_fails_its_own_preview_and_the_server_goes_on(
    client: TestClient, hostile_xlsx: bytes, samples_dir: Path
) -> None:
    assert len(hostile_xlsx) < 2000
    answer = client.post("/api/preview", files={"file": ("hostile.xlsx", hostile_xlsx)})
    assert answer.status_code == 422
    assert answer.json()["detail"] == HOSTILE_PREVIEW
    # this process (the server) is still here, and so is the next preview
    content = (samples_dir / "survey_wjx.xlsx").read_bytes()
    answer = client.post("/api/preview", files={"file": ("survey.xlsx", content)})
    assert answer.status_code == 200 and answer.json()["rows"] == 490


def test_a_preview_over_its_time_limit_is_422(tmp_path: Path, big_csv) -> None:
    settings = WebSettings(max_upload_mb=20, jobs_dir=tmp_path, preview_seconds=0.2)
    with TestClient(create_app(settings), base_url=BASE) as client:
        answer = client.post("/api/preview", files={"file": ("工单.csv", big_csv(5))})
        assert answer.status_code == 422
        assert answer.json()["detail"] == (
            "工单.csv: 预览超过 0.2 秒仍未完成，已停止。分析本身没有这个时间限制：可以直接点“开始分析”，"
            "或把文件拆小后再预览。\nThe preview took longer than 0.2 s and was stopped. The "
            "analysis itself has no such limit: press 开始分析 to run it, or split the file into "
            "smaller ones to preview them."
        )
        assert client.get("/api/config").status_code == 200


def test_other_requests_are_answered_while_a_5_mb_preview_is_read(
    client: TestClient, big_csv
) -> None:
    previews = client.app.state.previews
    content = big_csv(5)
    answers: list = []
    reader = threading.Thread(
        target=lambda: answers.append(
            client.post("/api/preview", files={"file": ("tickets.csv", content)})
        )
    )
    reader.start()
    deadline = time.monotonic() + WAIT
    while previews.reading() == 0 and reader.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert previews.reading() == 1  # the preview is being read in its worker now ...
    assert client.get("/api/config").status_code == 200  # ... and the server answers
    assert client.get("/").status_code == 200
    assert previews.reading() == 1 and reader.is_alive()  # before the preview is done
    reader.join(WAIT)
    assert answers[0].status_code == 200 and answers[0].json()["rows"] > 30_000


def test_a_lone_surrogate_in_a_column_name_previews_instead_of_a_500(
    client: TestClient,
) -> None:
    export = '[{"\\ud800编号": "1", "年龄": "3"}, {"\\ud800编号": "2", "年龄": "4"}]'.encode()
    answer = client.post("/api/preview", files={"file": ("codes.json", export)})
    assert answer.status_code == 200
    assert answer.json()["columns"] == ["\ufffd编号", "年龄"]  # the reader replaced it


# --- long names and full disks ---------------------------------------------------------------


@pytest.mark.parametrize("characters", [119, 120, 300])
def test_a_long_chinese_file_name_previews(
    client: TestClient, samples_dir: Path, characters: int
) -> None:
    name = ("问卷星导出" * 100)[:characters] + ".csv"
    content = (samples_dir / "social_posts.csv").read_bytes()
    answer = client.post("/api/preview", files={"file": (name, content)})
    assert answer.status_code == 200
    assert answer.json()["name"] == safe_name(name, "upload")
    assert len(answer.json()["name"].encode()) <= NAME_BYTES


def test_a_job_with_a_119_character_chinese_file_name_runs(
    client: TestClient, samples_dir: Path
) -> None:
    name = ("客服工单导出" * 20)[:119] + ".csv"
    job_id = _post_job(client, samples_dir, name)
    assert _wait(client, job_id)["status"] == "done"
    stored = list((client.app.state.store.root / job_id / "inputs" / "1").iterdir())
    assert [p.name for p in stored] == [safe_name(name, "export1")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("问" * 119 + ".csv", "问" * 65 + ".csv"),  # 65 x 3 bytes + 4 = 199 bytes
        ("问" * 66 + ".xlsx", "问" * 65 + ".xlsx"),
        ("a" * 300 + ".csv", "a" * 196 + ".csv"),
        ("a" * 300, "a" * 200),
        ("问卷." + "x" * 40, ("问卷." + "x" * 40)),  # an "extension" this long is part of the name
        ("𠀀" * 60 + ".csv", "𠀀" * 49 + ".csv"),  # 4-byte characters are never cut in two
    ],
)
def test_safe_names_fit_the_file_system(name: str, expected: str) -> None:
    assert safe_name(name, "upload") == expected
    assert len(expected.encode()) <= NAME_BYTES


def _full_disk_under(root: Path, monkeypatch) -> None:
    real_open = Path.open

    def open_on_a_full_disk(self, mode="r", *args, **kwargs):
        if "w" in mode and root in self.parents:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_on_a_full_disk)


DISK_FULL = (
    "服务器磁盘已满，无法保存上传的文件。请管理员清理磁盘后再上传。\nThe server's disk is full: "
    "the upload cannot be stored. Ask the administrator to free space on the disk of the jobs "
    "folder, then upload again."
)


@pytest.mark.parametrize("endpoint", ["/api/jobs", "/api/preview"])
def test_a_full_disk_while_storing_an_upload_is_507_and_leaves_no_folder(
    client: TestClient, monkeypatch, endpoint: str
) -> None:
    root = client.app.state.store.root
    before = sorted(p.name for p in root.iterdir())
    _full_disk_under(root, monkeypatch)
    field = "files" if endpoint == "/api/jobs" else "file"
    answer = client.post(endpoint, files=[(field, ("导出.csv", "id,text\n1,太贵\n".encode()))])
    assert answer.status_code == 507
    assert answer.json()["detail"] == DISK_FULL
    assert str(root) not in answer.text
    assert sorted(p.name for p in root.iterdir()) == before


def test_while_the_server_stops_uploads_are_503(tmp_path: Path, samples_dir: Path) -> None:
    with TestClient(create_app(WebSettings(jobs_dir=tmp_path)), base_url=BASE) as client:
        client.app.state.previews.shutdown()
        client.app.state.store.shutdown()  # what the end of the lifespan does first
        content = (samples_dir / "social_posts.csv").read_bytes()
        for endpoint, field in (("/api/preview", "file"), ("/api/jobs", "files")):
            answer = client.post(endpoint, files=[(field, ("posts.csv", content))])
            assert answer.status_code == 503
            assert answer.json()["detail"] == SERVER_STOPPED
    assert list(tmp_path.iterdir()) == []
