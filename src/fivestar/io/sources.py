"""Finding input files and telling what they really are, from their bytes.

Clerks rename files freely (a CSV saved as .xlsx, an HTML table saved as .xls), so the
format is decided by content; the extension only decides which files a folder offers.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from fivestar.findings import Issue

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv"})

# Size limits: a county export is a few MB; anything far larger is a mistake or a zip bomb.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# An encrypted .xlsx is an OLE2 container holding a stream with this (UTF-16LE) name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is the one-line, user-facing reason."""


def file_label(path: Path) -> str:
    """How a file is named in issues and reports: the path as given."""
    return str(path)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_candidate(path: Path) -> bool:
    # "~$x.xlsx" is Excel's lock file of an open workbook, not a workbook.
    name = path.name
    return (
        path.is_file()
        and path.suffix.lower() in SPREADSHEET_SUFFIXES
        and not name.startswith(("~$", "."))
    )


def discover_files(
    paths: Sequence[Path], recursive: bool = False
) -> tuple[list[Path], list[Issue]]:
    """Expand folders into their spreadsheet/CSV files; a missing path is a file-level issue.

    A file named explicitly is always taken (its content decides whether it is readable);
    a folder offers only files with a spreadsheet extension, sorted by name. The same file
    given twice is read once.
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
            pattern = path.rglob("*") if recursive else path.iterdir()
            for child in sorted(pattern, key=str):
                if _is_candidate(child):
                    add(child)
        elif path.is_file():
            add(path)
        elif path.exists():
            issues.append(Issue(file=file_label(path), reason="不是普通文件，无法读取"))
        else:
            issues.append(Issue(file=file_label(path), reason="文件或文件夹不存在"))
    return found, issues


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(
                f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）"
            )
        return path.read_bytes()
    except OSError as err:
        raise UnreadableFile(f"无法打开文件：{err.strerror or err}") from err


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                raise UnreadableFile("文件解压后过大，疑似损坏或恶意文件")
            names = {info.filename for info in infos}
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIME:
                return "ods"
            if "xl/workbook.xml" in names:
                return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    except zipfile.BadZipFile as err:
        raise UnreadableFile("文件已损坏（ZIP 结构无效），请重新导出") from err
    raise UnreadableFile("是 ZIP 压缩包，但不是 Excel 或 ODS 表格")


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        text.startswith(b"<") and b"<table" in text
    )


def sniff_format(data: bytes) -> str:
    """Return "xlsx", "xlsm", "ods", "xls", "html" or "csv", or raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("文件为空（0 字节）" if not data else "文件为空（只有空白）")
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data)
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_PACKAGE in data[:1_000_000] or _ENCRYPTED_PACKAGE in data[-65536:]:
            raise UnreadableFile("文件已加密（设有打开密码），请去掉密码后另存")
        return "xls"
    head = data[:4096]
    if _looks_like_html(head):
        return "html"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        raise UnreadableFile("是 XML 文件（如 Excel 2003 XML 表格），请另存为 .xlsx")
    # UTF-16 text (Excel's "Unicode text") has NUL bytes but announces itself with a BOM.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in head:
        raise UnreadableFile("不是表格文件（无法识别的二进制内容）")
    return "csv"
