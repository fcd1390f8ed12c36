"""Shared builders: small officer tables in the reader's canonical form.

The suite runs in parallel (pytest-xdist, `-n auto` in pyproject's addopts; `pytest -n0`
runs it in one process). Every test must therefore be worker-safe: write only under
`tmp_path` / `tmp_path_factory` (never into the checkout or the current folder, which all
workers share), change the folder or the environment only through `monkeypatch`, and name
databases uniquely (tests/store/conftest.py). A module- or session-scoped fixture is built
once per worker, not once per run: use one only for setup that its tests read and never change.

Hypothesis: the "dev" profile is the default; "ci" (loaded when $CI is set, as .ci/run has
it) is derandomized and keeps no example database, so a CI run is reproducible. Both try a
modest number of examples (a property test without its own `max_examples` gets 20), so the
suite stays quick; HYPOTHESIS_PROFILE=thorough tries 300 each, for a change to the engine or
the reader. None has a deadline: on a shared, busy machine a slow example is not a failure.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from hypothesis import settings

from fivestar.columns import COUNT_KEYS, RATE_KEYS
from fivestar.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = ROOT / "rules" / "dezhou-2014.toml"
SAMPLE_DATA = ROOT / "sample_data"  # a folder per month: 2014-03, 2014-04

settings.register_profile("dev", deadline=None, max_examples=20)
settings.register_profile(
    "ci", deadline=None, max_examples=20, derandomize=True, database=None, print_blob=True
)
settings.register_profile("thorough", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


# The canonical single-row header of a tidy county table (the reader and hostile tests).
TIDY_HEADER = [
    "警号",
    "姓名",
    "县局",
    "派出所",
    "入户走访户数",
    "人号一致率",
    "入户走访率",
    "群众满意率",
    "调解纠纷数",
    "调解成功数",
    "回访满意数",
    "服务群众次数",
    "服务认可数",
    # last, so that the columns above keep their places: without them a sheet is noted
    "岗位",
    "月份",
]


def officer(officer_id: str, **figures: Any) -> dict[str, Any]:
    """A community officer who passes the gate and does nothing else, unless told."""
    row: dict[str, Any] = {
        "officer_id": officer_id,
        "name": f"民警{officer_id}",
        "bureau": "武城县局",
        "station": "城关派出所",
        "office": "城关警务室",
        "role": "社区民警",
        "month": "2014-04",
        "source_file": "test.xlsx",
        "source_sheet": "Sheet1",
        "source_row": 2,
    }
    row.update(dict.fromkeys(COUNT_KEYS, 0))
    row.update(dict.fromkeys(RATE_KEYS, 1.0))
    row["visits"] = 85
    row.update(figures)
    return row


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for key in COUNT_KEYS:
        frame[key] = frame[key].astype("int64")
    for key in RATE_KEYS:
        frame[key] = frame[key].astype("float64")
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules(DEFAULT_RULES)


TWO_COUNTIES = ("武城县局.xlsx", "平原县局.csv")  # 22 + 20 officers of the sample's April
TWO_COUNTIES_READ = 42


def two_counties(folder: Path) -> Path:
    """`folder` made, holding two of the sample April's county files (an .xlsx and a .csv,
    `TWO_COUNTIES_READ` officers): enough for a test of `--per-file` or of a run repeated in
    its input folder, at a third of the six counties' reports to write."""
    import shutil

    folder.mkdir(parents=True)
    for name in TWO_COUNTIES:
        shutil.copy(SAMPLE_DATA / "2014-04" / name, folder / name)
    return folder


class SampleStore(NamedTuple):
    """A results store (`db`) holding the sample's March and April as `fivestar evaluate`
    records them with the default rules; their reports are beside it in `folder`."""

    db: Path
    folder: Path


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> SampleStore:
    """The sample's two months evaluated once per worker, for tests that read a store
    (report, explain, history, runs, compare). Read-only: a test that records, excludes or
    migrates copies `db` into its own tmp_path first."""
    from fivestar import i18n

    folder = tmp_path_factory.mktemp("sample-store")
    db = folder / "fivestar.db"
    with pytest.MonkeyPatch.context() as env, i18n.speaking(i18n.DEFAULT):
        env.delenv(i18n.ENV, raising=False)
        for month in ("2014-03", "2014-04"):
            code, _, err = run_cli(
                "evaluate", month, SAMPLE_DATA / month, "--db", db, "--out",
                folder / f"{month}.xlsx",
            )  # fmt: skip
            assert code == 0, err
    return SampleStore(db, folder)


@pytest.fixture(autouse=True, scope="session")
def _database_layer_loaded(tmp_path_factory: pytest.TempPathFactory) -> None:
    """SQLAlchemy and the store loaded once in each worker. A run forks its store probe and its
    recorder from the test's process (fivestar.store.recording); a child forked from a process
    that has the database layer loaded need not import it again, which took most of a small
    run's CPU (~0.5 s a run). The CLI itself still loads it only in those children
    (tests/store/test_recording.py checks that in a process of its own)."""
    from fivestar.store import open_store

    open_store(tmp_path_factory.mktemp("warm") / "fivestar.db").close()


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test records into its own results store, never into the working folder."""
    monkeypatch.setenv("FIVESTAR_DB", str(tmp_path / "fivestar.db"))


@pytest.fixture(autouse=True)
def _chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language (Chinese), whatever the shell's FIVESTAR_LANG."""
    from fivestar import i18n

    monkeypatch.delenv(i18n.ENV, raising=False)
    with i18n.speaking(i18n.DEFAULT):
        yield


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The session in English (FIVESTAR_LANG=en, as a clerk would set it): a test asserting the
    English text of a message."""
    from fivestar import i18n

    monkeypatch.setenv(i18n.ENV, "en")
    with i18n.speaking("en"):
        yield


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """80 columns for every test, wherever it runs. rich wraps at $COLUMNS, else at the width
    of whichever standard stream is a terminal (a shell's window, none in an xdist worker or
    CI), and a Console made while $COLUMNS is set keeps that width for good: so the terminal's
    consoles are made anew without it, then $COLUMNS is set (a test may set its own)."""
    from rich.console import Console

    from fivestar.cli import render as terminal
    from fivestar.cli import render_compare, render_decisions, render_store

    monkeypatch.delenv("COLUMNS", raising=False)
    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    monkeypatch.setattr(terminal, "out", out)
    monkeypatch.setattr(terminal, "err", err)
    # the modules that took `out` when they were imported: theirs too
    for module in (render_compare, render_decisions, render_store):
        monkeypatch.setattr(module, "out", out)
    monkeypatch.setenv("COLUMNS", "80")


def zip_ods(path: Path, content: str) -> Path:
    """An OpenDocument spreadsheet from its content.xml (no LibreOffice needed)."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


class CliResult(NamedTuple):
    """What `fivestar` did: unpacks as (exit code, stdout, stderr)."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, columns: int | None = None) -> CliResult:
    """`fivestar ARGS` through Typer's CliRunner, the one runner of the tests; `columns` sets
    $COLUMNS for the run (a table on one line)."""
    from typer.testing import CliRunner

    from fivestar.cli.app import app

    env = None if columns is None else {"COLUMNS": str(columns)}
    result = CliRunner(env=env).invoke(app, [str(a) for a in args])
    return CliResult(result.exit_code, result.stdout, result.stderr)


def run_cli_json(*args: str | Path) -> Any:
    """`fivestar ARGS --json`, which must succeed: its JSON."""
    code, stdout, stderr = run_cli(*args, "--json")
    assert code == 0, stderr
    return json.loads(stdout)
