"""The report file: an XlsxWriter workbook written atomically, and its cell formats.

The workbook is built in a temporary file beside the target and moved over it with
`os.replace` only once complete, so a failed write never leaves a half-written report nor
damages the previous one. Every workbook fivestar writes carries the custom document
property `fivestar` (MARKER), whose value says what it is ("report", "template" …): the
commands replace an existing file at their output path only when fivestar wrote it
(`check_replaceable`).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from xlsxwriter import Workbook
from xlsxwriter.exceptions import XlsxFileError

from fivestar.errors import OutputError, UsageError
from fivestar.parallel import interrupts_held

# Text from the input is never turned into a formula, a link or a number.
WORKBOOK_OPTIONS: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": False,
    # Sheet data is spooled to temporary files (see `tmpdir` below) rather than held in
    # memory: ~110 MiB less at 20,000 officers, same speed.
    "in_memory": False,
}

# How a column's cells are written and shown.
#   text: a string; wrap: a long string, wrapped; count: a whole number;
#   rate: a fraction shown as a percentage; number: a decimal number;
#   gap: a near miss's gap in words, wrapped, in the gap colour.
Kind = Literal["text", "wrap", "count", "rate", "number", "gap"]
WRAPPED: tuple[Kind, ...] = ("wrap", "gap")

NUMBER_FORMATS: dict[str, str] = {
    "count": "0",
    # 99.96 % must not show as 100.0 %: up to four decimals, as the gap texts write them.
    "rate": "0.0###%",
    "number": "0.00",
}

_BASE: dict[str, Any] = {"font_size": 10, "valign": "vcenter", "border": 1}
_WINNER: dict[str, Any] = {"bold": True, "bg_color": "#C6EFCE", "font_color": "#006100"}
_GAP: dict[str, Any] = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
TITLE_SIZE = 14


class Formats:
    """The workbook's cell formats, created once per workbook and shared by every sheet."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._cells: dict[tuple[str, bool], Any] = {}
        self.header = workbook.add_format(
            {
                **_BASE,
                "bold": True,
                "bg_color": "#D9E1F2",
                "align": "center",
                "text_wrap": True,
            }
        )
        self.heading = workbook.add_format({"bold": True, "font_size": 12})
        title = {"bold": True, "font_size": TITLE_SIZE, "valign": "vcenter"}
        self.title = workbook.add_format({**title, "align": "center"})
        self.title_left = workbook.add_format(title)
        self.note = workbook.add_format({"font_size": 10})
        self.paragraph = workbook.add_format({"font_size": 10, "text_wrap": True, "valign": "top"})
        self.key = workbook.add_format({**_BASE, "bold": True, "bg_color": "#F2F2F2"})
        self.winner_fill = workbook.add_format(
            {"bg_color": _WINNER["bg_color"], "font_color": _WINNER["font_color"]}
        )

    def cell(self, kind: Kind, highlight: bool = False) -> Any:
        """The format of a data cell of `kind`; `highlight` marks a winner's row."""
        found = self._cells.get((kind, highlight))
        if found is None:
            props: dict[str, Any] = dict(_BASE)
            if kind in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[kind]
            if kind in WRAPPED:
                props["text_wrap"] = True
            if kind == "gap":
                props.update(_GAP)
            if highlight:
                props.update(_WINNER)
            found = self._workbook.add_format(props)
            self._cells[(kind, highlight)] = found
        return found


Build = Callable[[Any, Formats], None]


def write_atomically(path: Path, build: Build, what: str = "report") -> None:
    """Build a workbook with `build(workbook, formats)` and put it at `path` in one step.

    `what` names the file in errors and is the value of its MARKER property. Raises
    OutputError ("cannot write report PATH: reason") when the folder is missing or not
    writable, or the target is locked; the previous file at `path` is then unchanged. A
    file at `path` is replaced whatever it is: commands call `check_replaceable` first.
    """
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {what} {path}: no such folder {folder}")
    _remove_stale_temps(path)
    temp: Path | None = None
    parts: Path | None = None
    try:
        # Ctrl-C is held while the temporary file and folder are made, so that both are
        # named before it comes (a held Ctrl-C is raised as the block ends: in this `try`)
        with interrupts_held():
            fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}-", suffix=".xlsx")
            temp = Path(name)
            os.close(fd)
            # XlsxWriter writes each part to a file of `tmpdir` before packing it: a hidden
            # folder of our own beside the report (same disk), removed by a later run, like
            # the temporary report, if a kill leaves it
            parts = Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.stem}-", suffix=".parts"))
        workbook = Workbook(name, {**WORKBOOK_OPTIONS, "tmpdir": str(parts)})
        workbook.set_custom_property(MARKER, what)
        build(workbook, Formats(workbook))
        workbook.close()
        _remove_folder(parts)
        _copy_mode(path, temp)
        temp.replace(path)
    except (OSError, XlsxFileError) as err:
        _remove_folder(parts)
        _remove(temp)
        raise OutputError(f"cannot write {what} {path}: {_reason(err)}") from None
    except BaseException:
        _remove_folder(parts)
        _remove(temp)
        raise


def _remove_folder(folder: Path | None) -> None:
    """Remove a folder whole: a Ctrl-C is held until it is gone."""
    if folder is not None:
        with interrupts_held():
            shutil.rmtree(folder, ignore_errors=True)


def _copy_mode(path: Path, temp: Path) -> None:
    """mkstemp makes a private file: give the report the target's mode, or the umask's."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temp.chmod(mode)


# A temporary file this old was left by a run that was killed (no run writes a report for
# an hour), not one being written now: it is removed by the next run writing that report.
STALE_SECONDS = 3600


def _remove_stale_temps(path: Path) -> None:
    """Remove what killed runs left beside `path`: `.{stem}-XXXXXXXX.xlsx` and the folder
    `.{stem}-XXXXXXXX.parts` (tempfile's names; not hidden on Windows), once older than
    STALE_SECONDS."""
    ours = re.compile(rf"\.{re.escape(path.stem)}-[a-z0-9_]{{8}}\.(xlsx|parts)")
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = ours.fullmatch(entry.name)
            if not found or entry.is_symlink():
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime <= STALE_SECONDS:
                    continue
                if found.group(1) == "parts" and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                elif found.group(1) == "xlsx" and entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink()


def _remove(temp: Path | None) -> None:
    if temp is not None:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _reason(err: BaseException) -> str:
    cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else err
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(cause) or type(cause).__name__


# ---------------------------------------------------------------------------------------------
# What an output path may replace

MARKER = "fivestar"  # the custom document property every workbook fivestar writes carries
TEMPLATE = "template"  # its value on the input template (`write_atomically(..., what=...)`)

# Workbooks written before the marker, known by their sheets (as fivestar names them):
# a report, a `history --out` workbook, and the input template.
_REPORT_SHEETS = frozenset({"运行信息", "全员明细"})
_HISTORY_SHEETS = frozenset({"年度明细", "县局统计", "各星当选"})
_TEMPLATE_SHEETS = frozenset({"月度数据", "填表说明"})
_PART_LIMIT = 1_000_000  # a real sheet list or property part is a few KB
_SHEET_NAME = re.compile(rb"<sheet\b[^>]*?\bname=\"([^\"]*)\"")
_MARKER_VALUE = re.compile(
    rb"<property\b[^>]*?\bname=\"" + MARKER.encode() + rb"\"[^>]*>\s*<vt:lpwstr>([^<]*)<"
)


def check_replaceable(path: Path, subject: str) -> None:
    """Raise UsageError unless writing `path` would replace nothing of the user's.

    Free to write: no file at `path` (a folder there is the writer's error), or a file
    fivestar wrote — a report, a `report`/`history` export, a template still empty. Anything
    else (a county's data file, a template filled in, a .csv that is not fivestar's export)
    is refused with one line naming it; `subject` starts it ("--out x.xlsx").
    """
    if not path.is_file():
        return
    kind = written_by(path)
    if kind is None:
        raise UsageError(
            f"{subject} would replace a file fivestar did not write: "
            "name another with --out, or move that file away first"
        )
    if kind == TEMPLATE:
        from fivestar.report.template import holds_data

        if holds_data(path):
            raise UsageError(
                f"{subject} would replace a template that has been filled in: "
                "name another with --out, or move that file away first"
            )


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
    from fivestar.report.store_exports import CSV_HEADER

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    return first == ",".join(CSV_HEADER).encode()
