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
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from zipfile import ZipFile

import xlsxwriter.packager
import xlsxwriter.workbook
from xlsxwriter import Workbook
from xlsxwriter.exceptions import XlsxFileError

from fivestar.errors import (
    FILLED_TEMPLATE,
    NOT_OURS,
    NOT_REGULAR,
    OUT,
    OutputError,
    OutputRefused,
    Said,
    said,
)
from fivestar.i18n import N_
from fivestar.own_files import MARKER, TEMPLATE, holds_data, written_by
from fivestar.parallel import interrupts_held
from fivestar.report.shared_strings import use_bulk_shared_strings

# Text from the input is never turned into a formula, a link or a number.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": False,
    # Sheet data is spooled to temporary files (see `tmpdir` below) rather than held in
    # memory: ~110 MiB less at 20,000 officers, same speed.
    "in_memory": False,
    # A Chinese font in every cell, charset GB2312: with Excel's Calibri, LibreOffice chose a
    # Japanese face for the Chinese text.
    "default_format_properties": {"font_name": "等线", "font_size": 11, "font_charset": 134},
}

# How a column's cells are written and shown.
#   text: a string; wrap: a long string, wrapped; count: a whole number;
#   rate: a fraction shown as a percentage; number: a decimal number;
#   gap: a near miss's gap in words, wrapped, in the gap colour;
#   rank: a rank, centred, so that on paper it never runs into the 警号 beside it.
Kind = Literal["text", "wrap", "count", "rate", "number", "gap", "rank"]
WRAPPED: tuple[Kind, ...] = ("wrap", "gap")

NUMBER_FORMATS: dict[str, str] = {
    "count": "0",
    "rank": "0",
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
            if kind in ("text", *WRAPPED):  # a little room from the cell on the left
                props.update({"align": "left", "indent": 1})
            if kind == "rank":
                props["align"] = "center"
            if kind == "gap":
                props.update(_GAP)
            if highlight:
                props.update(_WINNER)
            found = self._workbook.add_format(props)
            self._cells[(kind, highlight)] = found
        return found


Build = Callable[[Any, Formats], None]

# Deflate level of the package: at the default (6) compressing the sheets' XML took longer
# than writing it; level 1 is ~5x faster for a file ~40 % larger (3 MB at 20,000 officers).
COMPRESS_LEVEL = 1


class _FastZip(ZipFile):
    def __init__(
        self, file: str, mode: Literal["w"] = "w", compression: int = 0, allowZip64: bool = True
    ) -> None:
        super().__init__(file, mode, compression, allowZip64, compresslevel=COMPRESS_LEVEL)


class FastWorkbook(Workbook):  # type: ignore[misc]
    """XlsxWriter's workbook, its zip package deflated at COMPRESS_LEVEL and its shared
    strings written in bulk (`report.shared_strings`).

    XlsxWriter opens the package itself with zlib's default level and no option for it: the
    zip class its module uses, and the shared strings class its packager uses, are swapped
    while it stores the workbook (fivestar writes one workbook at a time).
    """

    def _store_workbook(self) -> None:
        module: Any = xlsxwriter.workbook
        module.ZipFile = _FastZip
        strings = use_bulk_shared_strings(xlsxwriter.packager)
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = ZipFile
            xlsxwriter.packager.SharedStrings = strings


def write_atomically(path: Path, build: Build, what: str = "report") -> None:
    """Build a workbook with `build(workbook, formats)` and put it at `path` in one step.

    `what` names the file in errors and is the value of its MARKER property. Raises
    OutputError ("cannot write report PATH: reason") when the folder is missing or not
    writable, or the target is locked; the previous file at `path` is then unchanged. A
    file at `path` is replaced whatever it is: commands call `check_replaceable` first.
    """
    put_in_place(build_beside(path, build, what), path, what)


def build_beside(path: Path, build: Build, what: str = "report") -> Path:
    """Build the workbook of `path` in a hidden temporary file beside it and return that
    file; `path` itself is not touched until `put_in_place` (or `discard`). A run that
    records itself commits the store in between, so that a failed commit leaves the
    previous report as it was. Raises OutputError as `write_atomically` does."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(
            N_("cannot write {what} {path}: no such folder {folder}"),
            what=_what(what),
            path=path,
            folder=folder,
        )
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
        workbook = FastWorkbook(name, {**WORKBOOK_OPTIONS, "tmpdir": str(parts)})
        workbook.set_custom_property(MARKER, what)
        build(workbook, Formats(workbook))
        workbook.close()
        _remove_folder(parts)
        _copy_mode(path, temp)
    except (OSError, XlsxFileError) as err:
        _remove_folder(parts)
        _remove(temp)
        raise OutputError(
            N_("cannot write {what} {path}: {reason}"),
            what=_what(what),
            path=path,
            reason=_reason(err),
        ) from None
    except BaseException:
        _remove_folder(parts)
        _remove(temp)
        raise
    return temp


def put_in_place(temp: Path, path: Path, what: str = "report") -> None:
    """Move a workbook built by `build_beside` over `path` in one step; on failure the
    temporary file is removed and `path` is unchanged (OutputError)."""
    try:
        temp.replace(path)
    except OSError as err:
        _remove(temp)
        raise OutputError(
            N_("cannot write {what} {path}: {reason}"),
            what=_what(what),
            path=path,
            reason=_reason(err),
        ) from None
    except BaseException:
        _remove(temp)
        raise


def discard(temp: Path) -> None:
    """Remove a workbook built by `build_beside` that will not be put in place."""
    with interrupts_held():
        _remove(temp)


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
    """Remove what killed runs left in the folder of `path`, once older than STALE_SECONDS:
    the temporary workbooks `.{stem}-XXXXXXXX.xlsx` and the folders `.{stem}-XXXXXXXX.parts`
    (tempfile's names; not hidden on Windows) of any report, export or template written
    there — a killed run of another month, or a county no longer given with --per-file,
    leaves them under another stem. Under the stem of `path` they are this report's own;
    under another, only fivestar's: a workbook empty (killed before it was packed) or
    marked as fivestar's, a folder holding nothing but XlsxWriter's part files."""
    mine = re.compile(rf"\.{re.escape(path.stem)}-[a-z0-9_]{{8}}\.(xlsx|parts)")
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = _TEMP.fullmatch(entry.name)
            if not found or entry.is_symlink():
                continue
            own = mine.fullmatch(entry.name) is not None
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime <= STALE_SECONDS:
                    continue
                if found.group(1) == "parts" and entry.is_dir(follow_symlinks=False):
                    if own or _only_parts(entry):
                        shutil.rmtree(entry.path, ignore_errors=True)
                elif entry.is_file(follow_symlinks=False) and (own or _own_workbook(entry)):
                    Path(entry.path).unlink()


_TEMP = re.compile(r"\..+-[a-z0-9_]{8}\.(xlsx|parts)")
_PART = re.compile(r"tmp[a-z0-9_]{8}")  # XlsxWriter's part files (tempfile.mkstemp)


def _own_workbook(entry: os.DirEntry[str]) -> bool:
    if not entry.is_file(follow_symlinks=False):
        return False
    return (
        entry.stat(follow_symlinks=False).st_size == 0 or written_by(Path(entry.path)) is not None
    )


def _only_parts(entry: os.DirEntry[str]) -> bool:
    with os.scandir(entry.path) as inside:
        return all(_PART.fullmatch(part.name) and part.is_file(follow_symlinks=False)
                   for part in inside)  # fmt: skip


def _remove(temp: Path | None) -> None:
    if temp is not None:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


_WHAT = {
    "report": N_("report"),
    "comparison": N_("comparison"),
    TEMPLATE: N_("template"),
}


def _what(what: str) -> Said:
    """The kind of workbook, in words (`what` is also the marker written into the file)."""
    return said(_WHAT.get(what, N_("workbook")))


def _reason(err: BaseException) -> str:
    cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else err
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(cause) or type(cause).__name__


# ---------------------------------------------------------------------------------------------
# What an output path may replace


def check_replaceable(path: Path, chosen_by: str = OUT) -> None:
    """Raise OutputRefused unless writing `path` would replace nothing of the user's.

    Free to write: no file at `path` (a folder there is the writer's error), or a file
    fivestar wrote — a report, a `report`/`history` export, a template still empty. Anything
    else (a county's data file, a template filled in, a .csv that is not fivestar's export)
    is refused; `chosen_by` says who named the path (the CLI words it with its flag).
    """
    try:
        found = path.stat()
    except OSError:  # nothing there (or nothing we can see): the writer will say
        return
    if stat.S_ISDIR(found.st_mode):  # the writer's one-line error names it
        return
    if not stat.S_ISREG(found.st_mode):  # a pipe, a device: never replaced by a report
        raise OutputRefused(path, NOT_REGULAR, chosen_by)
    kind = written_by(path)
    if kind is None:
        raise OutputRefused(path, NOT_OURS, chosen_by)
    if kind == TEMPLATE and holds_data(path):
        raise OutputRefused(path, FILLED_TEMPLATE, chosen_by)
