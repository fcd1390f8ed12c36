"""Text stays text; a failed write leaves the previous report as it was."""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

import fivestar.report
from fivestar.errors import OutputError
from fivestar.report import write_report
from fivestar.rules import RuleSet
from tests.report.conftest import HOSTILE_NAMES, Written, month_result

PREVIOUS = b"the previous report, byte for byte"


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_no_cell_is_a_formula(written: Written) -> None:
    for ws in written.book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_no_formula_in_the_file_itself(written: Written) -> None:
    with zipfile.ZipFile(written.path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert not re.search(r"<f[ >]", xml), name
            assert "HYPERLINK" not in xml  # the name is a shared string, not cell markup
            assert "<hyperlink" not in xml
        # a sheet's relationships are its drawing (the chart), never a link
        for name in [n for n in archive.namelist() if "/_rels/sheet" in n]:
            xml = archive.read(name).decode("utf-8")
            assert "hyperlink" not in xml
            assert re.findall(r'Type="[^"]*/(\w+)"', xml) == ["drawing"], name


def test_hostile_names_come_back_literally(written: Written) -> None:
    ws = written.book["全员明细"]
    names = [cell.value for cell in ws["B"][1:]]
    for name in HOSTILE_NAMES:
        assert name in names
        cell = ws.cell(row=names.index(name) + 2, column=2)
        assert cell.data_type == "s"
    bureaus = [cell.value for cell in ws["C"][1:]]
    assert "=1+1" in bureaus
    offices = [cell.value for cell in ws["E"][1:]]
    assert "http://example.com/a" in offices
    assert all(cell.hyperlink is None for cell in ws["E"])
    winners = [cell.value for cell in written.book["评选结果"]["D"]]
    assert '=HYPERLINK("http://x","y")' in winners


def test_overwrites_the_previous_report(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    write_report(path, month_result(rules, path))
    assert openpyxl.load_workbook(path).sheetnames[0] == "评选结果"
    assert listing(tmp_path) == ["r.xlsx"]


def test_new_report_is_readable_as_the_umask_allows(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    umask = os.umask(0o022)
    try:
        write_report(path, month_result(rules, path))
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def _fails_midway(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(fivestar.report, "write_detail", broken)


def test_failure_midway_keeps_the_previous_file(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    _fails_midway(monkeypatch, RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        write_report(path, month_result(rules, path))
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]


def test_disk_error_midway_is_an_output_error(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    _fails_midway(monkeypatch, OSError(28, "No space left on device"))
    with pytest.raises(OutputError) as caught:
        write_report(path, month_result(rules, path))
    assert str(caught.value) == f"cannot write report {path}: No space left on device"
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]


def test_failure_while_saving_keeps_the_previous_file(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    original = xlsxwriter.Workbook.close

    def half_written(self: xlsxwriter.Workbook) -> None:
        original(self)  # the temporary file is complete on disk ...
        raise xlsxwriter.exceptions.FileCreateError(OSError(5, "Input/output error"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", half_written)
    with pytest.raises(OutputError, match="Input/output error"):
        write_report(path, month_result(rules, path))
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]


def test_locked_target_is_an_output_error(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as caught:
        write_report(path, month_result(rules, path))
    assert str(caught.value) == f"cannot write report {path}: Permission denied"
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]


def test_target_that_is_a_folder_is_an_output_error(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.mkdir()
    with pytest.raises(OutputError, match=r"^cannot write report .*r\.xlsx: "):
        write_report(path, month_result(rules, path))
    assert listing(tmp_path) == ["r.xlsx"]
    assert path.is_dir()


def test_missing_folder_is_refused_not_created(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "r.xlsx"
    with pytest.raises(OutputError) as caught:
        write_report(path, month_result(rules, path))
    assert str(caught.value) == f"cannot write report {path}: no such folder {path.parent}"
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anyway")
def test_unwritable_folder_is_an_output_error(rules: RuleSet, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write report"):
            write_report(folder / "r.xlsx", month_result(rules, folder / "r.xlsx"))
        assert listing(folder) == []
    finally:
        folder.chmod(0o700)


def test_leftovers_of_killed_runs_are_removed_once_stale(rules: RuleSet, tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".r-k3j2h1x0.xlsx", tmp_path / ".r-ab_cd9zz.xlsx"
    mine, other = tmp_path / ".r-notes.xlsx", tmp_path / ".other-k3j2h1x0.xlsx"
    for path in (stale, fresh, mine, other):
        path.write_bytes(b"PK")
    stale_parts, fresh_parts = tmp_path / ".r-zz9_yy8x.parts", tmp_path / ".r-aa1_bb2c.parts"
    for folder in (stale_parts, fresh_parts):
        folder.mkdir()
        (folder / "tmpabc").write_bytes(b"<xml/>")
    two_hours_ago = time.time() - 7200
    for path in (stale, mine, other, stale_parts):
        os.utime(path, (two_hours_ago, two_hours_ago))
    write_report(tmp_path / "r.xlsx", month_result(rules, tmp_path / "r.xlsx"))
    # only the stale leftovers of this report go: fresh ones may be another run's
    kept = (fresh, mine, other, fresh_parts)
    assert listing(tmp_path) == [*sorted(p.name for p in kept), "r.xlsx"]


def test_leftovers_of_other_reports_killed_are_removed_once_stale(
    rules: RuleSet, tmp_path: Path
) -> None:
    """A killed run of another month, or of a county no longer given with --per-file,
    leaves its temporaries under another stem (issue 12): a later run in the folder removes
    them once stale, and only fivestar's own kind (empty or marked workbooks, folders of
    XlsxWriter's part files)."""
    write_report(tmp_path / "marked.xlsx", month_result(rules, tmp_path / "marked.xlsx"))
    empty = tmp_path / ".fivestar-2014-03-k3j2h1x0.xlsx"
    empty.touch()
    county = tmp_path / ".r-平原县局-ab_cd9zz.xlsx"
    (tmp_path / "marked.xlsx").rename(county)  # a whole one, killed before its move
    parts = tmp_path / ".fivestar-2014-03-zz9_yy8x.parts"
    parts.mkdir()
    (parts / "tmp8f_2kq1z").write_bytes(b"<xml/>")
    empty_parts = tmp_path / ".fivestar-2014-03-aa1_bb2c.parts"
    empty_parts.mkdir()
    # not fivestar's, though named alike: kept
    theirs = tmp_path / ".budget-k3j2h1x0.xlsx"
    theirs.write_bytes(b"PK not ours")
    their_folder = tmp_path / ".photos-k3j2h1x0.parts"
    their_folder.mkdir()
    (their_folder / "holiday.jpg").write_bytes(b"jpg")
    fresh = tmp_path / ".fivestar-2014-05-q1w2e3r4.xlsx"  # another run, writing now
    fresh.touch()
    two_hours_ago = time.time() - 7200
    for path in (empty, county, parts, empty_parts, theirs, their_folder):
        os.utime(path, (two_hours_ago, two_hours_ago))
    write_report(tmp_path / "r.xlsx", month_result(rules, tmp_path / "r.xlsx"))
    kept = (theirs, their_folder, fresh)
    assert listing(tmp_path) == [*sorted(p.name for p in kept), "r.xlsx"]


def test_ctrl_c_while_the_parts_are_packed_leaves_nothing_beside_the_report(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    packed: list[str] = []
    original = zipfile.ZipFile.write

    def interrupted(self: zipfile.ZipFile, filename: str, *args: object, **kw: object) -> None:
        packed.append(filename)
        if len(packed) == 5:  # XlsxWriter has written its parts to files: some are packed
            raise KeyboardInterrupt
        original(self, filename, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(path, month_result(rules, path))
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]  # no part file, no temporary report
    assert not any(Path(part).exists() for part in packed)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks")
@pytest.mark.parametrize("other_thread", [False, True])
def test_ctrl_c_while_the_temporaries_are_made_leaves_nothing_beside_the_report(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other_thread: bool
) -> None:
    # The terminal's Ctrl-C lands as the hidden parts folder is made: it is held, then
    # raised as the hold ends, before any code that writes into the folder runs.
    path = tmp_path / "r.xlsx"
    path.write_bytes(PREVIOUS)
    original = tempfile.mkdtemp

    def interrupted(*args: Any, **kw: Any) -> str:
        made = original(*args, **kw)
        # to the process, as the terminal sends it: with another thread alive (a worker's,
        # a progress bar's) that thread takes it, and the hold must still keep it back
        os.kill(os.getpid(), signal.SIGINT)
        return made

    monkeypatch.setattr(tempfile, "mkdtemp", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # with another thread alive (a progress bar's, a test runner's) the kernel hands it the
    # SIGINT the main thread blocks, and Python raises in the main thread at once
    done = threading.Event()
    waiter = threading.Thread(target=done.wait, daemon=True)
    if other_thread:
        waiter.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            write_report(path, month_result(rules, path))
    finally:
        signal.signal(signal.SIGINT, previous)
        done.set()
    assert path.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["r.xlsx"]
