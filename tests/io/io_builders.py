"""Fixture file builders: every input file is generated into tmp_path by the tests themselves.

(A plain module, not a package: a `tests/io` package would shadow the standard `io`.)
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter

from fivestar.io import InputBatch
from tests.conftest import zip_ods

Rows = Sequence[Sequence[Any]]
MONTH = "2014-04"


def tidy_row(officer_id: Any, name: str, visits: Any = 85, rate: Any = "100%") -> list[Any]:
    return [
        officer_id,
        name,
        "武城县局",
        "城关派出所",
        visits,
        rate,
        rate,
        rate,
        3,
        3,
        3,
        4,
        3,
        "社区民警",
        "",
    ]  # fmt: skip  (月份 blank: of whichever month is evaluated)


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Rows],
    merges: Mapping[str, Sequence[tuple[int, int, int, int, str]]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """Rows are written from A1; None leaves a cell empty; merges are (r0, c0, r1, c1, text)."""
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)  # text stays text, even "0012"
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write(r, c, value)
        for r0, c0, r1, c1, text in (merges or {}).get(name, ()):
            sheet.merge_range(r0, c0, r1, c1, text)
        if name in hidden:
            sheet.hide()
    book.close()
    return path


def county_workbook(path: Path) -> Path:
    """A county export as it comes: merged title, 填报单位 line, two-row merged header
    (入户走访 over 户数/人号一致率/入户走访率/群众满意率), 序号 and 备注 columns, rates as
    full-width text, a 合计 row and a 填表人 line.

    Excel rows: 1 title, 2 填报单位, 3–4 header, 5–7 officers, 8 合计, 9 blank, 10 填表人.
    """
    full = "１００％"  # a full-width rate as typed in WPS
    lower = [None, None, None, None, "户数", "人号一致率", "入户走访率", "群众满意率"]
    rows: list[list[Any]] = [
        [],
        ["填报单位：武城县公安局（盖章）"],
        [],
        lower,
        [1, "371402001", "薛翠翠", "城关派出所", 85, full, full, full, 3, 3, 3, ""],
        [2, 371402002.0, "张  伟", "城关派出所", "９０", "98.5%", full, full, 4, 4, 4, "x"],
        [3, "0371402003", "李娜", "郝王庄派出所", 50, full, "", full, 0, 0, 0, ""],
        ["合计", None, None, None, 225, None, None, None, 7, 7, 7],
        [],
        ["填表人：王五        审核人：赵六"],
    ]
    merges = [(0, 0, 0, 11, "德州市公安局2014年4月社区民警“六进”工作统计表")]
    for c, text in enumerate(["序号", "警号", "姓名", "派出所"]):
        merges.append((2, c, 3, c, text))
    merges.append((2, 4, 2, 7, "入户走访"))
    for c, text in zip(
        range(8, 12), ["调解纠纷数", "调解成功数", "回访满意数", "备注"], strict=True
    ):
        merges.append((2, c, 3, c, text))
    return write_xlsx(path, {"Sheet1": rows}, {"Sheet1": merges})


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_html(path: Path, rows: Rows, spans: Mapping[tuple[int, int], str] | None = None) -> Path:
    """An HTML table as web systems export it as ".xls"; spans maps (r, c) → td attributes."""
    body = []
    for r, row in enumerate(rows):
        cells = "".join(
            f"<td {(spans or {}).get((r, c), '')}>{html.escape(str(v))}</td>"
            for c, v in enumerate(row)
            if v is not None
        )
        body.append(f"<tr>{cells}</tr>")
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"</head><body><table border=1>{''.join(body)}</table></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


def write_ods(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """A minimal OpenDocument spreadsheet, by hand (no library here writes ODS)."""
    tables = []
    for name, rows in sheets.items():
        xml_rows = []
        for row in rows:
            cells = []
            for value in row:
                if value is None or value == "":
                    cells.append("<table:table-cell/>")
                elif isinstance(value, int | float):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{value}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        '<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                    )
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}">{"".join(xml_rows)}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    return zip_ods(path, content)


def assert_balanced(batch: InputBatch) -> None:
    """Nothing is lost: per file read = evaluated + rejected + skipped, and the totals agree."""
    for report in batch.files:
        assert report.balanced, report
    officers = batch.officers
    evaluated = set(
        zip(officers["source_file"], officers["source_sheet"], officers["source_row"], strict=True)
    )
    # a note (text the report cuts) sits on an evaluated row: it rejects nothing
    row_issues = [
        i
        for i in batch.issues
        if not i.file_level and (i.file, i.sheet or "", i.row) not in evaluated
    ]
    assert sum(f.rejected for f in batch.files) == len(row_issues)
    assert sum(f.evaluated for f in batch.files) == len(batch.officers)
