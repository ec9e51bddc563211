"""What the web service tells the user when a job or a preview fails for a reason not in the file.

The upload page is in Chinese and the command line's messages, which jobs
pass on as they are, are in English: these messages say it in both, Chinese
first. None of them holds a path of the server: a message may reach the
browser of anyone who can upload, and the server's folders are none of their
business (:func:`without_paths`).
"""

from __future__ import annotations

import errno
import re

from .workers import WorkerDied

__all__ = [
    "environment_failure",
    "job_crashed",
    "preview_crashed",
    "preview_timed_out",
    "server_stopping",
    "without_paths",
]

# an absolute POSIX path or a Windows drive path; group "last" is its last part
_PATH = re.compile(r"""(?<![\w.:/\\])(?:/|[A-Za-z]:\\)(?:[^\s/\\'"]+[/\\])*(?P<last>[^\s/\\'"]+)""")
_DETAIL_CHARS = 200


def without_paths(message: str, *folders: str) -> str:
    """``message`` with ``folders`` cut from the paths in it and any other path cut to its name.

    Examples
    --------
    >>> without_paths("cannot write /srv/jobs/ab12/out/docs.csv", "/srv/jobs/ab12")
    'cannot write out/docs.csv'
    >>> without_paths("[Errno 2] No such file: '/tmp/tmpx81/book.xlsx'")
    "[Errno 2] No such file: 'book.xlsx'"
    """
    for folder in sorted(folders, key=len, reverse=True):
        for separator in ("/", "\\"):
            message = message.replace(folder.rstrip("/\\") + separator, "")
    return _PATH.sub(lambda found: found.group("last"), message)


def _ended(died: WorkerDied) -> tuple[str, str]:
    """How the process ended, in Chinese and in English."""
    if died.signal_name is not None:
        return f"被信号 {died.signal_name} 终止", f"killed by signal {died.signal_name}"
    return f"退出码 {died.exitcode}", f"exit code {died.exitcode}"


def _could_not_start(died: WorkerDied) -> str:
    zh, en = _ended(died)
    return (
        f"服务无法启动工作进程（{zh}），原因写在服务器日志里。请管理员检查服务的安装"
        "（例如 pip install 'feedback-miner[web]' 是否完整）。"
        f"\nThe server could not start a worker process ({en}); the server log says why. Ask "
        "the administrator to check the installation (for example that pip install "
        "'feedback-miner[web]' completed)."
    )


def job_crashed(died: WorkerDied) -> str:
    """A job's worker process died (killed, out of memory, a crash in a reader)."""
    if died.starting:
        return _could_not_start(died)
    zh, en = _ended(died)
    return (
        f"分析进程意外结束（{zh}），多半是服务器内存不足，或进程被系统终止。"
        "请重新提交；如果再次出现，请把导出文件拆成几个小文件，或请管理员用更少的 --workers 启动服务。"
        f"\nThe analysis process ended unexpectedly ({en}), most likely because the server ran "
        "out of memory or the process was stopped by the system. Submit the job again; if it "
        "happens again, split the export into smaller files, or ask the administrator to start "
        "the server with fewer --workers."
    )


def server_stopping() -> str:
    """The server was stopped (or is stopping) before the work finished."""
    return (
        "服务在分析完成前停止了。请在服务重新启动后再上传一次。"
        "\nThe server was stopped before the work finished. Upload the files again once the "
        "server is running."
    )


def preview_crashed(name: str, died: WorkerDied | None, memory_mb: float) -> str:
    """Reading ``name`` for its preview ran out of memory (``died`` None) or ended its process."""
    if died is not None and died.starting:
        return f"{name}: {_could_not_start(died)}"
    zh, en = ("内存不足", "out of memory") if died is None else _ended(died)
    return (
        f"{name}: 预览已停止（{zh}）：读取这个文件需要的内存超过了预览的 {memory_mb:g} MB 上限，"
        "或者读取时崩溃了。文件可能已损坏，或被做成耗尽内存的样子；请用 Excel 打开后另存一份，或导出为 CSV，"
        f"再上传。\nThe preview of this file stopped ({en}): reading it needed more than the "
        f"{memory_mb:g} MB a preview may use, or the reader crashed. The file may be damaged or "
        "built to exhaust memory; open it in Excel and save a copy, or export it as CSV, then "
        "upload that."
    )


def preview_timed_out(name: str, seconds: float) -> str:
    """The preview of ``name`` ran over its time limit."""
    return (
        f"{name}: 预览超过 {seconds:g} 秒仍未完成，已停止。分析本身没有这个时间限制：可以直接点“开始分析”，"
        f"或把文件拆小后再预览。\nThe preview took longer than {seconds:g} s and was stopped. "
        "The analysis itself has no such limit: press 开始分析 to run it, or split the file "
        "into smaller ones to preview them."
    )


def environment_failure(error: BaseException, *folders: str) -> str:
    """What to do about a failure of the server's environment, not of the user's files.

    Parameters
    ----------
    error : BaseException
        What the analysis raised: ``OSError`` (disk full, read-only folder ...),
        ``MemoryError``, or anything unexpected (an internal error).
    folders : str
        Server folders to keep out of the message.
    """
    if isinstance(error, MemoryError):
        return (
            "分析需要的内存超过了服务器可用的内存。请把导出文件拆成几个小文件再提交。"
            "\nThe analysis needed more memory than the server has. Split the export into "
            "smaller files and submit them again."
        )
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return (
                "服务器磁盘已满，结果无法写出。请管理员清理任务文件夹所在的磁盘，然后再提交。"
                "\nThe server's disk is full: the results could not be written. Ask the "
                "administrator to free space on the disk of the jobs folder, then submit the "
                "job again."
            )
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (
                f"服务器无法写入任务文件夹（{reason}）。请管理员用可写的 --jobs-dir 重新启动服务。"
                f"\nThe server cannot write to its jobs folder ({reason}). Ask the "
                "administrator to start the server again with a writable --jobs-dir."
            )
        return (
            f"服务器读写任务文件时出错（{reason}）。请再提交一次；仍然出错时，请管理员检查任务文件夹。"
            f"\nThe server could not read or write a job file ({reason}). Submit the job "
            "again; if it fails again, ask the administrator to check the jobs folder."
        )
    detail = without_paths(f"{type(error).__name__}: {error}", *folders)
    if len(detail) > _DETAIL_CHARS:
        detail = detail[: _DETAIL_CHARS - 1] + "…"
    return (
        f"内部错误（{detail}）：服务遇到了意外的问题，详情在服务器日志里。请把这条消息和文件发给维护者。"
        f"\nInternal error ({detail}): the server met an unexpected problem; its log has the "
        "details. Please report it to the maintainers, with the file if you can."
    )
