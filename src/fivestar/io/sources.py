"""Finding input files and telling what they really are, from their bytes.

Clerks rename files freely (a CSV saved as .xlsx, an HTML table saved as .xls), so the
format is decided by content; the extension only decides which files a folder offers.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from fivestar.findings import Issue
from fivestar.io.limits import (
    DEFAULT_MAX_UNPACKED,
    MAX_FILE_BYTES,
    Limits,
    UnreadableFile,
    check_file_size,
    check_unpacked,
)
from fivestar.io.walk import list_folder
from fivestar.io.walk import os_reason as _os_reason
from fivestar.issues import RECURSIVE_HINT, message
from fivestar.own_files import is_fivestar_report

__all__ = [
    "ENCRYPTED",
    "REPORT_NOT_INPUT",
    "UnreadableFile",
    "discover_files",
    "file_label",
    "has_text_bom",
    "read_bytes",
    "sniff_format",
]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv"})

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# An encrypted .xlsx is an OLE2 container holding a stream with this (UTF-16LE) name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTED = message("encrypted").text
REPORT_NOT_INPUT = message("fivestar-report").text
# Byte-order marks of text files: each names its encoding beyond doubt.
_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def has_text_bom(data: bytes) -> bool:
    """Whether text starts with a UTF-8 or UTF-16 byte-order mark."""
    return data.startswith(_TEXT_BOMS)


def file_label(path: Path) -> str:
    """How a file is named in issues and reports: the path as given."""
    return str(path)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _offered_name(name: str) -> bool:
    # "~$x.xlsx" is Excel's lock file of an open workbook, not a workbook. (A report this
    # tool wrote earlier is not offered either: a re-run in the same folder must not read it.)
    return Path(name).suffix.lower() in SPREADSHEET_SUFFIXES and not name.startswith(("~$", "."))


def discover_files(
    paths: Sequence[Path], recursive: bool = False
) -> tuple[list[Path], list[Issue]]:
    """Expand folders into their spreadsheet/CSV files; a missing path is a file-level issue.

    A file named explicitly is taken whatever its extension (its content decides whether
    it is readable), except a report fivestar wrote: a glob such as *.xlsx names it with
    the county files, and read as input its sheets would be officer rows; it is a
    file-level issue instead. A folder offers only files with a spreadsheet extension,
    sorted by name, and leaves such reports out silently. The same file given twice is
    read (or reported) once.
    """
    found: list[Path] = []
    issues: list[Issue] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_dir():
            try:
                listing = list_folder(path, recursive, _offered_name)
            except OSError as err:
                issues.append(Issue.of(_os_reason("unreadable-folder", err), file=file_label(path)))
                continue
            # an entry that cannot be looked at is its own issue, never a silent absence
            issues.extend(Issue.of(r, file=file_label(p)) for p, r in listing.problems)
            # a file gone since the listing is still offered: reading it says so
            offered = [
                c for c in listing.files if _offered_name(c.name) and not is_fivestar_report(c)
            ]
            if not offered and not listing.problems:
                issues.append(
                    Issue.of(
                        message(
                            "no-spreadsheets",
                            hint="" if recursive else RECURSIVE_HINT,
                        ),
                        file=file_label(path),
                    )
                )
            for child in offered:
                add(child)
        elif path.is_file():
            if not is_fivestar_report(path):
                add(path)
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                issues.append(Issue.of(message("fivestar-report"), file=file_label(path)))
        elif path.exists():
            issues.append(Issue.of(message("not-a-regular-file"), file=file_label(path)))
        else:
            issues.append(Issue.of(message("not-found"), file=file_label(path)))
    return found, issues


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, refusing one over `max_bytes` (checked on the bytes read, not only
    the size the file system reports, which a growing or special file can belie)."""
    limits = Limits(max_file_bytes=max_bytes)
    try:
        check_file_size(path.stat().st_size, limits)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise UnreadableFile(_os_reason("unreadable-file", err)) from err
    check_file_size(len(data), limits)
    return data


def _sniff_zip(data: bytes, max_unpacked: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_unpacked(sum(info.file_size for info in infos), Limits(max_unpacked=max_unpacked))
            names = {info.filename for info in infos}
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(_ODS_MIME) + 16).strip() == _ODS_MIME:
                        return "ods"
            if "xl/workbook.xml" in names:
                return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise UnreadableFile(message("corrupt-zip")) from err
    raise UnreadableFile(message("zip-not-workbook"))


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        text.startswith(b"<") and b"<table" in text
    )


def sniff_format(data: bytes, max_unpacked: int = DEFAULT_MAX_UNPACKED) -> str:
    """Return "xlsx", "xlsm", "ods", "xls", "html" or "csv", or raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile(message("empty-file" if not data else "blank-file"))
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, max_unpacked)
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise UnreadableFile(message("encrypted"))
        return "xls"
    head = data[:4096]
    if _looks_like_html(head):
        return "html"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        raise UnreadableFile(message("xml-spreadsheet"))
    # UTF-16 text (Excel's "Unicode text") has NUL bytes but announces itself with a BOM.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in head:
        raise UnreadableFile(message("unknown-binary"))
    return "csv"
