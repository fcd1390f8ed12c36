"""Finding files and telling formats by content."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from io_builders import tidy_row, write_csv, write_xlsx

from fivestar.io.sources import UnreadableFile, discover_files, file_label, sniff_format
from tests.conftest import TIDY_HEADER

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_discover_takes_spreadsheets_directly_inside_folders(tmp_path: Path) -> None:
    for name in ("b.xlsx", "a.csv", "c.ods", "notes.txt", "~$b.xlsx", "d.XLS"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.xlsm").write_text("x")
    files, issues = discover_files([tmp_path])
    assert [f.name for f in files] == ["a.csv", "b.xlsx", "c.ods", "d.XLS"]
    assert issues == []
    deep, _ = discover_files([tmp_path], recursive=True)
    assert "e.xlsm" in [f.name for f in deep]


def test_discover_reports_a_missing_path_and_reads_a_file_once(tmp_path: Path) -> None:
    existing = tmp_path / "a.csv"
    existing.write_text("x")
    missing = tmp_path / "nope.xlsx"
    files, issues = discover_files([existing, missing, existing, tmp_path])
    assert files == [existing]
    assert len(issues) == 1
    assert issues[0].file == file_label(missing) == str(missing)
    assert issues[0].row is None and "不存在" in issues[0].reason


def test_sniff_formats_by_content(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "a.csv", {"S": [TIDY_HEADER, tidy_row("1", "张三")]})
    assert sniff_format(xlsx.read_bytes()) == "xlsx"
    csv_named_xlsx = write_csv(tmp_path / "b.xlsx", [TIDY_HEADER])
    assert sniff_format(csv_named_xlsx.read_bytes()) == "csv"
    assert sniff_format(b"<html><body><table><tr><td>1</td></tr></table>") == "html"
    assert sniff_format(OLE2 + b"\x00" * 600) == "xls"


def test_sniff_ods_and_xlsm(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert sniff_format(path.read_bytes()) == "ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", "")
    assert sniff_format(path.read_bytes()) == "xlsm"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "0 字节"),
        (b"\x00\x01\x02garbage\xff", "二进制"),
        (OLE2 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64, "加密"),
        (b"PK\x03\x04 not really a zip", "损坏"),
    ],
)
def test_unreadable_content(data: bytes, words: str) -> None:
    with pytest.raises(UnreadableFile, match=words):
        sniff_format(data)


def test_a_zip_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnreadableFile, match="不是 Excel"):
        sniff_format(path.read_bytes())
