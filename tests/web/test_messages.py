"""What a job says when the server's environment fails it: what to do, and no server paths."""

import errno
from pathlib import Path

import pytest

import feedback_miner.pipeline
from feedback_miner.errors import InputFileError, OutputError
from feedback_miner.report import replacing
from feedback_miner.web.jobs import JobSpec, run_job
from feedback_miner.web.messages import job_crashed, preview_crashed, without_paths
from feedback_miner.web.workers import WorkerDied

DISK_FULL = (
    "服务器磁盘已满，结果无法写出。请管理员清理任务文件夹所在的磁盘，然后再提交。"
    "\nThe server's disk is full: the results could not be written. Ask the administrator to "
    "free space on the disk of the jobs folder, then submit the job again."
)


def _read_only(reason: str) -> str:
    return (
        f"服务器无法写入任务文件夹（{reason}）。请管理员用可写的 --jobs-dir 重新启动服务。"
        f"\nThe server cannot write to its jobs folder ({reason}). Ask the administrator to "
        "start the server again with a writable --jobs-dir."
    )


def _internal(detail: str) -> str:
    return (
        f"内部错误（{detail}）：服务遇到了意外的问题，详情在服务器日志里。请把这条消息和文件发给维护者。"
        f"\nInternal error ({detail}): the server met an unexpected problem; its log has the "
        "details. Please report it to the maintainers, with the file if you can."
    )


def _output_error(path: Path, code: int, reason: str) -> OutputError:
    """The error the report writers raise when the system refuses to write ``path``."""
    try:
        with replacing(path, "output"):
            raise OSError(code, reason)
    except OutputError as error:
        return error
    raise AssertionError("replacing() did not raise")


def _cases(folder: Path) -> list[tuple[BaseException, str]]:
    report = str(folder / "out" / "report.xlsx")
    (folder / "out").mkdir()
    return [
        (_output_error(folder / "out" / "docs.csv", errno.ENOSPC, "No space left"), DISK_FULL),
        (
            _output_error(folder / "out" / "docs.csv", errno.EROFS, "Read-only file system"),
            _read_only("Read-only file system"),
        ),
        (OSError(errno.ENOSPC, "No space left on device", report), DISK_FULL),
        (OSError(errno.EDQUOT, "Disk quota exceeded", report), DISK_FULL),
        (
            OSError(errno.EROFS, "Read-only file system", report),
            _read_only("Read-only file system"),
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", report),
            _read_only("Permission denied"),
        ),
        (
            OSError(errno.EIO, "Input/output error", report),
            "服务器读写任务文件时出错（Input/output error）。请再提交一次；仍然出错时，请管理员检查任务文件夹。"
            "\nThe server could not read or write a job file (Input/output error). Submit the job "
            "again; if it fails again, ask the administrator to check the jobs folder.",
        ),
        (
            MemoryError(),
            "分析需要的内存超过了服务器可用的内存。请把导出文件拆成几个小文件再提交。"
            "\nThe analysis needed more memory than the server has. Split the export into smaller "
            "files and submit them again.",
        ),
        (
            UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
            _internal(
                "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position "
                "0: surrogates not allowed"
            ),
        ),
        (
            RuntimeError(f"cannot rename {report}.tmp to {report}"),
            _internal("RuntimeError: cannot rename out/report.xlsx.tmp to out/report.xlsx"),
        ),
        (
            ValueError("bad cell in /var/tmp/tmpa81k2/sheet1.xml"),
            _internal("ValueError: bad cell in sheet1.xml"),
        ),
        (
            InputFileError(f"{folder}/inputs/1/导出.csv: cannot be read. Export it again."),
            "导出.csv: cannot be read. Export it again.",
        ),
    ]


@pytest.mark.parametrize("case", range(12))
def test_a_failure_of_the_environment_says_what_to_do_without_server_paths(
    tmp_path: Path, monkeypatch, case: int
) -> None:
    folder = tmp_path / "feedback-miner-jobs-q1" / "0123456789abcdef"
    (folder / "inputs" / "1").mkdir(parents=True)
    error, expected = _cases(folder)[case]

    def failing_analysis(*args, **kwargs):
        raise error

    monkeypatch.setattr(feedback_miner.pipeline, "analyze", failing_analysis)
    spec = JobSpec(inputs=(str(folder / "inputs" / "1" / "导出.csv"),))
    files, message = run_job(str(folder), spec)
    assert files == []
    assert message == expected
    assert str(tmp_path) not in (message or "")


def test_a_long_internal_error_is_cut() -> None:
    from feedback_miner.web.messages import environment_failure

    message = environment_failure(RuntimeError("x" * 1000))
    assert "（RuntimeError: " + "x" * 185 + "…）" in message


@pytest.mark.parametrize(
    ("message", "folders", "expected"),
    [
        (
            "cannot write /srv/jobs/ab12/out/docs.csv",
            ("/srv/jobs/ab12",),
            "cannot write out/docs.csv",
        ),
        (
            "'/srv/jobs/ab12/inputs/1/问卷.xlsx' is damaged",
            ("/srv/jobs/ab12/",),
            "'inputs/1/问卷.xlsx' is damaged",
        ),
        (
            "[Errno 28] No space left: '/tmp/tmp8a/x.parquet'",
            (),
            "[Errno 28] No space left: 'x.parquet'",
        ),
        ("C:\\Users\\li\\AppData\\Local\\Temp\\jobs\\a.csv failed", (), "a.csv failed"),
        (
            "see https://example.com/docs/page for help",
            (),
            "see https://example.com/docs/page for help",
        ),
        ("ratio 1/2 and 价格/服务", (), "ratio 1/2 and 价格/服务"),
        ("/", (), "/"),
    ],
)
def test_without_paths(message: str, folders: tuple[str, ...], expected: str) -> None:
    assert without_paths(message, *folders) == expected


@pytest.mark.parametrize(
    ("died", "how"),
    [
        (WorkerDied(-9), ("被信号 SIGKILL 终止", "killed by signal SIGKILL")),
        (WorkerDied(-11), ("被信号 SIGSEGV 终止", "killed by signal SIGSEGV")),
        (WorkerDied(-6), ("被信号 SIGABRT 终止", "killed by signal SIGABRT")),
        (WorkerDied(137), ("退出码 137", "exit code 137")),
    ],
)
def test_a_crashed_job_says_how_its_process_ended(died: WorkerDied, how: tuple[str, str]) -> None:
    message = job_crashed(died)
    assert message.startswith(f"分析进程意外结束（{how[0]}），")
    assert f"\nThe analysis process ended unexpectedly ({how[1]}), " in message


def test_a_worker_that_cannot_start_points_at_the_installation() -> None:
    expected = (
        "服务无法启动工作进程（退出码 1），原因写在服务器日志里。请管理员检查服务的安装"
        "（例如 pip install 'feedback-miner[web]' 是否完整）。"
        "\nThe server could not start a worker process (exit code 1); the server log says why. "
        "Ask the administrator to check the installation (for example that pip install "
        "'feedback-miner[web]' completed)."
    )
    assert job_crashed(WorkerDied(1, starting=True)) == expected
    assert preview_crashed("a.csv", WorkerDied(1, starting=True), 2048) == f"a.csv: {expected}"


def test_a_preview_out_of_memory_names_the_limit() -> None:
    assert preview_crashed("大表.xlsx", None, 1024) == (
        "大表.xlsx: 预览已停止（内存不足）：读取这个文件需要的内存超过了预览的 1024 MB 上限，或者读取时崩溃了。"
        "文件可能已损坏，或被做成耗尽内存的样子；请用 Excel 打开后另存一份，或导出为 CSV，再上传。"
        "\nThe preview of this file stopped (out of memory): reading it needed more than the 1024 MB "
        "a preview may use, or the reader crashed. The file may be damaged or built to exhaust "
        "memory; open it in Excel and save a copy, or export it as CSV, then upload that."
    )
