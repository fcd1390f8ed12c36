"""Files fivestar wrote itself: recognised before one is read as input or replaced as output.

Every workbook fivestar writes carries a custom document property MARKER ("report", or
"template" on the input template); workbooks written before the marker are known by their
sheets, and `report --out x.csv` exports by their header line. Light on purpose (zipfile,
re): the reader asks it about every input file.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from pathlib import Path

MARKER = "fivestar"  # the custom document property every workbook fivestar writes carries
TEMPLATE = "template"  # its value on the input template (`write_atomically(..., what=...)`)
GUIDE = "填表说明"  # the template's guide sheet
EXAMPLE_ID = "示例"  # the 警号 of the template's example row, never evaluated

# Workbooks written before the marker, known by their sheets (as fivestar names them):
# a report, a `history --out` workbook, and the input template.
_REPORT_SHEETS = frozenset({"运行信息", "全员明细"})
_HISTORY_SHEETS = frozenset({"年度明细", "县局统计", "各星当选"})
_TEMPLATE_SHEETS = frozenset({"月度数据", GUIDE})
_PART_LIMIT = 1_000_000  # a real sheet list or property part is a few KB
_SHEET_NAME = re.compile(rb"<sheet\b[^>]*?\bname=\"([^\"]*)\"")
_MARKER_VALUE = re.compile(
    rb"<property\b[^>]*?\bname=\"" + MARKER.encode() + rb"\"[^>]*>\s*<vt:lpwstr>([^<]*)<"
)


# The header line of a `report --out x.csv` export (`fivestar.report.store_exports`).
CSV_HEADER = (
    "评选项目",
    "类别",
    "排名",
    "警号",
    "姓名",
    "县局",
    "派出所",
    "结果",
    "主要数据",
    "差距",
)


def is_fivestar_report(path: Path) -> bool:
    """True for an output fivestar wrote — a report, a `report`/`history` export — whatever
    it is named now: never input data. (A template is input once filled in.) Any path may be
    asked about: a pipe or a folder is not opened."""
    try:
        if not path.is_file():  # opening a named pipe would block
            return False
    except OSError:
        return False
    kind = written_by(path)
    return kind is not None and kind != TEMPLATE


def written_by(path: Path) -> str | None:
    """What fivestar wrote at `path` — "template", or "report" for any other workbook or
    export — or None when it was not fivestar (or the file cannot be read)."""
    if path.suffix.lower() == ".csv":
        return "report" if _is_csv_export(path) else None
    parts = _package_parts(path)
    if parts is None:
        return None
    sheets, custom = parts
    marked = _MARKER_VALUE.search(custom)
    if marked:
        return html.unescape(marked.group(1).decode("utf-8", "replace")) or "report"
    names = [html.unescape(m.decode("utf-8", "replace")) for m in _SHEET_NAME.findall(sheets)]
    if _TEMPLATE_SHEETS.issubset(names):
        return TEMPLATE
    known = _REPORT_SHEETS.issubset(names) or _HISTORY_SHEETS.issubset(names)
    if known or _is_ranking_export(names):
        return "report"
    return None


def _is_ranking_export(names: list[str]) -> bool:
    """A `report --out x.xlsx` workbook before the marker: one sheet per star, then 运行信息."""
    return (
        len(names) >= 2
        and names[-1] == "运行信息"
        and all(name.endswith("之星") for name in names[:-1])
    )


def _package_parts(path: Path) -> tuple[bytes, bytes] | None:
    """A workbook's sheet list and custom properties (b"" when absent), or None for a file
    that is not an Excel package."""
    try:
        with path.open("rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                return None
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "xl/workbook.xml" not in names:
                return None
            found: list[bytes] = []
            for part in ("xl/workbook.xml", "docProps/custom.xml"):
                info = package.getinfo(part) if part in names else None
                small = info is not None and info.file_size <= _PART_LIMIT
                found.append(package.read(part) if small else b"")
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError):
        return None
    except NotImplementedError:  # a compression method zipfile does not know
        return None
    return found[0], found[1]


def _is_csv_export(path: Path) -> bool:
    """A `report --out x.csv` export: UTF-8 text whose first line is the export's header."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    return first == ",".join(CSV_HEADER).encode()


def holds_data(path: Path) -> bool:
    """Whether a template at `path` has been filled in: a sheet other than 填表说明 has a
    row under the header, other than the example row, with something in it. A workbook
    that cannot be read counts as filled: it is never replaced unseen."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # corrupt, encrypted, not a workbook: keep it
        return True
    try:
        for sheet in book.worksheets:
            if sheet.title == GUIDE:
                continue
            for row in sheet.iter_rows(min_row=2, values_only=True):
                cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
                if cells and EXAMPLE_ID not in cells:
                    return True
    except Exception:
        return True
    finally:
        book.close()
    return False
