"""Decoding CSV/TSV bytes: BOMs, UTF-8, GBK/GB18030, UTF-16, and clear errors for mixed files."""

from __future__ import annotations

import logging
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import InputFileError

__all__ = ["decode_text"]

logger = logging.getLogger(__name__)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(file: Path, data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text export; return the text and the encoding's name.

    Order: a byte-order mark; UTF-16 without a mark (NUL bytes in every other
    position); strict UTF-8; strict GB18030 (reported as ``gbk``, its common
    name); then charset-normalizer. A file whose lines are partly UTF-8 and
    partly another encoding is refused with the first line that breaks.

    Raises
    ------
    InputFileError
        For binary content, mixed encodings or undecodable bytes.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise _broken(file, data, err, name) from None
    if _looks_like_utf16(data[:4096]):
        codec = "utf-16-le" if data[0::2][:2048].count(0) == 0 else "utf-16-be"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as err:
            raise _broken(file, data, err, codec) from None
    if _looks_binary(data[:65536]):
        raise InputFileError(
            f"{file}: the file contains NUL bytes and is not a text export. "
            "If it is a spreadsheet, give it the .xlsx or .xls extension."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if _has_utf8_lines(data):
        raise _mixed(file, data, utf8_error)
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise _broken(file, data, utf8_error, "utf-8")
    logger.info("%s: detected encoding %s", file, best.encoding)
    return str(best), best.encoding


def _looks_binary(head: bytes) -> bool:
    """NUL bytes with other control bytes, or many of them: not a text export.

    A few NUL bytes in a text export are damage in some rows (those rows are
    refused one by one when the table is read), not a binary file.
    """
    nul = head.count(0)
    if not nul:
        return False
    controls = sum(head.count(b) for b in (*range(1, 9), *range(14, 27), *range(28, 32)))
    return controls > 0 or nul > max(16, len(head) // 100)


def _looks_like_utf16(head: bytes) -> bool:
    """NUL bytes, all on one side of each byte pair: ASCII characters in UTF-16."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return even + odd >= 2 and (even == 0 or odd == 0)


def _has_utf8_lines(data: bytes) -> bool:
    """Whether some non-ASCII lines are valid UTF-8 (so the file mixes encodings)."""
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _mixed(file: Path, data: bytes, err: UnicodeDecodeError) -> InputFileError:
    return InputFileError(
        f"{file}: mixed text encodings: most lines are UTF-8 but line {_line_of(data, err.start)} "
        "is not (often a GBK export pasted into a UTF-8 file). Open the file in an editor, "
        "re-save that part as UTF-8, or export the whole file again in one encoding."
    )


def _broken(file: Path, data: bytes, err: UnicodeDecodeError, encoding: str) -> InputFileError:
    return InputFileError(
        f"{file}: cannot decode line {_line_of(data, err.start)} as {encoding} or GBK "
        f"(byte 0x{data[err.start]:02x}). The file may be damaged or in an unusual encoding; "
        "save it as 'CSV UTF-8' in Excel or WPS and try again."
    )
