"""Ordinary slips in county files (issue 12): each is a located issue, never a quiet guess.

A stray quote in a CSV, a folder that cannot be listed, a figure merged over two officers,
text longer than a report cell holds.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest
from io_builders import assert_balanced, tidy_row, write_csv

from conftest import Reader
from tests.conftest import ROOT, TIDY_HEADER
from tests.conftest import run_cli as cli

SAMPLE_CSV = ROOT / "sample_data" / "2014-04" / "平原县局.csv"


def evaluate_json(tmp_path: Path, *inputs: Path | str) -> tuple[int, dict[str, object], str]:
    code, stdout, stderr = cli(
        "evaluate", "2014-04", *inputs, "--db", tmp_path / "x.db", "--out", tmp_path / "r.xlsx",
        "--json",
    )  # fmt: skip
    return code, json.loads(stdout) if stdout.strip() else {}, stderr


# --- discovery -------------------------------------------------------------------------


def _refuse(monkeypatch: pytest.MonkeyPatch, folder: Path, error: type[OSError]) -> None:
    """os.scandir of `folder` fails as it would for a user without read permission (tests
    run as root, who ignores permission bits)."""
    real = os.scandir

    def scandir(path: str | Path | int) -> Iterator[os.DirEntry[str]]:
        if not isinstance(path, int) and Path(path) == folder:
            raise error(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_an_issue_under_recursive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = tmp_path / "month"
    locked = month / "平原"
    locked.mkdir(parents=True)
    shutil.copy(SAMPLE_CSV, locked / "平原县局.csv")
    write_csv(month / "a.csv", [TIDY_HEADER, tidy_row("001", "甲")])
    _refuse(monkeypatch, locked, PermissionError)
    code, payload, stderr = evaluate_json(tmp_path, month, "--recursive")
    assert (code, stderr) == (1, "")
    [issue] = payload["issues"]  # type: ignore[misc]
    assert issue["file"] == str(locked) and issue["row"] is None
    assert "无法打开文件夹" in issue["reason"] and "没有读取权限" in issue["reason"]
    assert payload["counts"] == {"read": 1, "evaluated": 1, "rejected": 0, "skipped": 0}


def test_a_broken_link_and_a_vanished_file_are_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: Reader
) -> None:
    write_csv(tmp_path / "a.csv", [TIDY_HEADER, tidy_row("001", "甲")])
    (tmp_path / "linked.xlsx").symlink_to(tmp_path / "moved-away.xlsx")
    (tmp_path / "notes.txt").symlink_to(tmp_path / "gone.txt")  # not a spreadsheet: no issue
    gone = tmp_path / "gone.csv"
    gone.write_text("x")
    real = os.scandir

    def scandir(path: str | Path) -> AbstractContextManager[list[os.DirEntry[str]]]:
        with real(path) as listed:
            entries = list(listed)
        gone.unlink(missing_ok=True)  # removed between the listing and the look at it
        return nullcontext(entries)

    monkeypatch.setattr(os, "scandir", scandir)
    batch = read(tmp_path)
    assert len(batch.officers) == 1
    assert_balanced(batch)
    reasons = {Path(i.file).name: i.reason for i in batch.issues}
    assert set(reasons) == {"gone.csv", "linked.xlsx"}
    assert "broken link" in reasons["linked.xlsx"]
    assert "vanished" in reasons["gone.csv"]
