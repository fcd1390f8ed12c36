"""read_inputs: every file of a run → one officers frame, issues, and per-file accounting.

Bad file content never raises: each file is read inside one boundary that turns any failure
into a single file-level issue, and the other files are still read.
"""

from __future__ import annotations

import codecs
import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from fivestar.columns import BY_KEY, SOURCE_ROW
from fivestar.errors import UnknownEncoding, UsageError, described
from fivestar.findings import FileReport, Issue
from fivestar.i18n import N_
from fivestar.io.formats import load_grids
from fivestar.io.header import Header, HeaderMiss, build_lookup, describe_miss, find_header
from fivestar.io.limits import DEFAULT_MAX_UNPACKED, Limits
from fivestar.io.sources import (
    UnreadableFile,
    discover_files,
    file_label,
    has_text_bom,
    read_bytes,
    sha256_of,
    sniff_format,
)
from fivestar.io.table import SheetResult, empty_officers, read_sheet
from fivestar.issues import Message, message
from fivestar.months import parse_month
from fivestar.parallel import child_started, cores, fork_context, interrupts_held
from fivestar.rules.inputs import OptionalColumn

if TYPE_CHECKING:  # not defined on Windows
    from multiprocessing.context import ForkContext

__all__ = ["InputBatch", "ReadOptions", "discover_files", "file_label", "read_inputs"]


@dataclass(frozen=True)
class ReadOptions:
    sheets: tuple[str, ...] = ()  # --sheet NAME (repeatable); empty = every visible sheet
    encoding: str | None = None  # --encoding override for CSV (and HTML tables)
    recursive: bool = False  # --recursive: descend into sub-folders
    max_unpacked: int = DEFAULT_MAX_UNPACKED  # --max-unpacked: a zip package's unpacked bytes


@dataclass
class InputBatch:
    officers: pd.DataFrame  # the contract in fivestar.io
    issues: list[Issue] = field(default_factory=list)  # row- and file-level
    files: list[FileReport] = field(default_factory=list)  # one per input file


@dataclass
class _FileResult:
    report: FileReport
    sheets: list[tuple[str | None, SheetResult]] = field(default_factory=list)
    issue: Issue | None = None
    refused: list[Issue] = field(default_factory=list)  # sheets over the size limits


def _read_file(
    path: Path,
    month: str,
    lookup: dict[str, str],
    options: ReadOptions,
    optional: Sequence[OptionalColumn] = (),
) -> _FileResult:
    label = file_label(path)
    report = FileReport(path=label)
    result = _FileResult(report=report)
    limits = Limits(max_unpacked=options.max_unpacked)
    try:
        data = read_bytes(path, limits.max_file_bytes)
        report.sha256 = sha256_of(data)
        report.format = sniff_format(data, limits.max_unpacked)
        # a byte-order mark names the encoding beyond doubt: it wins over --encoding, which
        # is meant for the county files without one (a UTF-8 file among GBK ones)
        encoding = None if has_text_bom(data) else options.encoding
        loaded = load_grids(data, report.format, options.sheets, encoding, limits)
        del data  # the grids are all that is needed now; keep peak memory down
        report.sheets_skipped = list(loaded.skipped)
        result.refused = [Issue.of(why, file=label, sheet=name) for name, why in loaded.refused]
        found: list[tuple[str | None, Header]] = []
        misses: list[tuple[str | None, HeaderMiss]] = []
        for grid in loaded.grids:
            header = find_header(grid, lookup)
            if isinstance(header, HeaderMiss):
                misses.append((grid.name, header))
                # a CSV has no sheet to name: its file-level issue says it all
                if grid.name is not None:
                    need = "、".join(BY_KEY[k].header for k in header.missing)
                    report.sheets_skipped.append(f"{grid.name}: 找不到表头（缺少 {need}）")
                continue
            found.append((grid.name, header))
            sheet = read_sheet(grid, header, label, month, lookup, optional)
            result.sheets.append((grid.name, sheet))
        if not found:
            raise UnreadableFile(describe_miss(misses))
    except UnreadableFile as err:
        why = err.what
    except Exception as err:  # the file boundary: nothing in a file may stop the run
        why = message("read-failed", detail=described(err))
    else:
        for name, sheet in result.sheets:
            if name is not None:
                report.sheets_used.append(name)
            report.rows_read += sheet.rows_read
            report.skipped += sheet.skipped
            report.rejected += len(sheet.issues)
            report.evaluated += len(sheet.officers)
        ignored = [column for _, header in found for column in header.ignored]
        report.ignored_columns = list(dict.fromkeys(ignored))
        if report.evaluated + report.rejected == 0 and not result.refused:
            _no_officer_rows(result)
        return result
    return _unreadable(result, why)


def _no_officer_rows(result: _FileResult) -> None:
    """A file with a header but not one officer row is an issue, not a silent 0: the county
    would drop out of the month unnoticed. Its rows stay counted (skipped), so the counts
    still add up. (A refused sheet already says why rows are missing: not reported twice.)
    """
    report = result.report
    if report.rows_read == 0:
        found = "只有表头"
    else:
        found = f"表头下 {report.rows_read} 行都是空行、合计、示例或说明等非数据行，已跳过"
    result.issue = Issue.of(message("no-officer-rows", found=found), file=report.path)
    report.error = result.issue.reason


def _unreadable(result: _FileResult, why: Message) -> _FileResult:
    """A file that cannot be read counts no rows at all: one file-level issue."""
    result.sheets = []
    result.refused = []
    result.issue = Issue.of(why, file=result.report.path)
    result.report.error = result.issue.reason
    return result


def _reject_duplicates(results: list[_FileResult]) -> None:
    """The same 警号 twice in a run rejects every such row, naming all places.

    Rows already rejected for another reason are named as places too, but keep their
    first issue (one issue per row).
    """
    frames = []
    for number, result in enumerate(results):
        for sheet_number, (name, sheet) in enumerate(result.sheets):
            if len(sheet.ids):
                frames.append(sheet.ids.assign(file=number, sheet=sheet_number, sheet_name=name))
    if not frames:
        return
    ids = pd.concat(frames, ignore_index=True)
    dup = ids[ids["officer_id"].duplicated(keep=False)]
    if dup.empty:
        return
    places = dup.groupby("officer_id", sort=False)["place"].agg("；".join)
    victims = dup[dup["accepted"]]
    for key, rows in victims.groupby(["file", "sheet"], sort=False):
        file_no, sheet_no = cast(tuple[int, int], key)
        result = results[file_no]
        name, sheet = result.sheets[sheet_no]
        drop = sheet.officers[SOURCE_ROW].isin(rows[SOURCE_ROW])
        for officer_id, row in zip(rows["officer_id"], rows[SOURCE_ROW], strict=True):
            sheet.issues.append(
                Issue.of(
                    message("duplicate-officer", officer_id=officer_id, places=places[officer_id]),
                    file=result.report.path,
                    sheet=name,
                    row=int(row),
                    column=sheet.id_label,
                    value=str(officer_id),
                )
            )
        sheet.officers = sheet.officers[~drop].reset_index(drop=True)
        dropped = set(rows[SOURCE_ROW].tolist())  # a rejected row keeps its one issue
        sheet.notes = [note for note in sheet.notes if note.row not in dropped]
        result.report.evaluated -= int(drop.sum())
        result.report.rejected += int(drop.sum())
        sheet.issues.sort(key=lambda i: i.row or 0)


# Below this many bytes of input (xlsx: compressed), forking readers costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024


def _no_progress(path: Path) -> None:
    pass


Reader = Callable[[Path], _FileResult]
CRASHED = message("reader-crashed").text


def _read_files(
    files: Sequence[Path], read: Reader, progress: Callable[[Path], None]
) -> list[_FileResult]:
    """Each file's result, in order; on several cores, files are read in forked workers.

    A worker's result comes back pickled (the officers of one file: small). A worker that
    dies — a reader library crashing on a malformed file takes its process with it — breaks
    the pool. What the pool had finished is kept; the files it had handed to workers but
    not finished (at most workers + 1, the first unfinished ones) are each read in a process
    of their own, and a new pool takes the rest (files a surviving worker finished while the
    pool was torn down are lost with it, and read again). The file that kills its reader is
    read at most twice and becomes one file-level issue; every other file is read.
    """
    workers = min(cores(), len(files))
    context = fork_context() if workers > 1 and _total_bytes(files) >= PARALLEL_MIN_BYTES else None
    if context is None:
        return [_tick(read(path), path, progress) for path in files]
    results: dict[int, _FileResult] = {}
    ticked = 0

    def keep(index: int, result: _FileResult) -> None:
        nonlocal ticked
        results[index] = result
        while ticked in results:  # progress once per file, in order
            progress(files[ticked])
            ticked += 1

    todo = list(range(len(files)))
    while todo:
        finished = _read_in_pool([files[i] for i in todo], read, workers, context)
        for local, result in finished.items():
            keep(todo[local], result)
        lost = [i for i in todo if i not in results]
        for index in lost[: workers + 1]:  # a file in a worker when the pool broke
            keep(index, _read_alone(files[index], read, context))
        todo = lost[workers + 1 :]
    return [results[i] for i in range(len(files))]


def _read_in_pool(
    files: Sequence[Path], read: Reader, workers: int, context: ForkContext
) -> dict[int, _FileResult]:
    """{index in `files`: result} of every file read, all of them unless the pool broke."""
    finished: dict[int, _FileResult] = {}
    futures: list[Future[_FileResult]] = []
    pool = _pool(min(workers, len(files)), context)
    try:
        with contextlib.suppress(BrokenProcessPool), interrupts_held():
            for path in files:  # the workers are forked by the first submit
                futures.append(pool.submit(read, path))
        for index, future in enumerate(futures):
            try:
                finished[index] = future.result()
            except BrokenProcessPool:
                break
    finally:  # on Ctrl-C, files not started are not read
        pool.shutdown(wait=True, cancel_futures=True)
    for index, future in enumerate(futures):  # finished before the pool broke
        ended = index not in finished and future.done() and not future.cancelled()
        if ended and future.exception() is None:
            finished[index] = future.result()
    return finished


def _tick(result: _FileResult, path: Path, progress: Callable[[Path], None]) -> _FileResult:
    progress(path)
    return result


def _pool(workers: int, context: ForkContext) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=child_started, initargs=(os.getpid(),)
    )


def _read_alone(path: Path, read: Reader, context: ForkContext) -> _FileResult:
    """`read(path)` in a process of its own; its death is the file's one issue."""
    with _pool(1, context) as pool:
        try:
            with interrupts_held():
                future = pool.submit(read, path)
            return future.result()
        except BrokenProcessPool:
            failed = _FileResult(report=FileReport(path=file_label(path)))
            return _unreadable(failed, message("reader-crashed"))


def _total_bytes(files: Sequence[Path]) -> int:
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reading it will say why
            total += path.stat().st_size
    return total


def read_inputs(
    paths: Sequence[Path],
    month: str,
    aliases: Mapping[str, Sequence[str]],
    options: ReadOptions = ReadOptions(),  # frozen: a shared default is safe
    progress: Callable[[Path], None] | None = None,
    *,
    discovered: tuple[list[Path], list[Issue]] | None = None,
    optional: Sequence[OptionalColumn] = (),
) -> InputBatch:
    """Read every file (folders expanded) for `month`; see the package docstring.

    `discovered` is `discover_files(paths, options.recursive)` when the caller has listed the
    folders already: they are listed once per run, so the files counted are the files read.
    `optional` are the input columns the rules declare for their vetoes
    (`RuleSet.optional_columns`).
    """
    evaluated_month = parse_month(month)
    if evaluated_month is None:
        raise UsageError(N_("month {value!r} is not a month: write it as 2014-04"), value=month)
    if options.encoding:
        try:
            codecs.lookup(options.encoding)
        except LookupError as err:
            raise UnknownEncoding(options.encoding) from err
    lookup = build_lookup(aliases, optional)
    files, missing = discovered or discover_files(paths, options.recursive)
    issues: list[Issue] = list(missing)
    reports = [FileReport(path=i.file, error=i.reason) for i in missing]
    read = partial(
        _read_file, month=evaluated_month, lookup=lookup, options=options, optional=optional
    )
    results = _read_files(files, read, progress or _no_progress)
    _reject_duplicates(results)
    frames: list[pd.DataFrame] = []
    for result in results:
        reports.append(result.report)
        if result.issue is not None:
            issues.append(result.issue)
        issues.extend(result.refused)
        for _, sheet in result.sheets:
            # notes (rows still evaluated) take their place among the rejections, by row
            issues.extend(sorted(sheet.issues + sheet.notes, key=lambda i: i.row or 0))
            if len(sheet.officers):
                frames.append(sheet.officers)
    officers = pd.concat(frames, ignore_index=True) if frames else empty_officers()
    return InputBatch(officers=officers, issues=issues, files=reports)
