"""Input text on every output channel: terminal, progress bar, CSV export, one-line errors.

A name is data: `[red]x[/red]` prints as those characters, an ESC or a bell never reaches
the terminal, and a name starting with = + - @ is never a formula in an exported CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hostile_builders import HEADER, MONTH, officer_row, write_xlsx
from hostile_run import fivestar, one_line_error
from rich.console import Console
from typer.testing import CliRunner

from fivestar import terminal
from fivestar.cli import app
from fivestar.terminal import plain, plain_line, safe
from tests.conftest import run_cli

MARKUP = "[red]x[/red]"
ESCAPE = "a\x1b[31mb\x1b]0;t\x07c"
FORMULA = '=HYPERLINK("http://x","点我")'
HOSTILE_NAMES = (MARKUP, ESCAPE, FORMULA, "+cmd|' /C calc'!A0", "@SUM(A1)", "-1+2")


def hostile_workbook(path: Path) -> Path:
    """Officers named with markup, escapes and formulas, who win (the most visits)."""
    rows: list[list[Any]] = [list(HEADER)]
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        row = officer_row(n, name=name)
        row[2] = f"{name}县局"
        row[4] = 300 - n  # 入户走访户数: the top visitors and mediators
        rows.append(row)
    rows.extend(officer_row(n) for n in range(10, 15))
    return write_xlsx(path, rows)


def test_terminal_summary_prints_names_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terminal, "out", Console(highlight=False, width=240))  # no truncation
    source = hostile_workbook(tmp_path / "names.xlsx")
    result = CliRunner().invoke(
        app,
        ["evaluate", MONTH, str(source), "--out", str(tmp_path / "r.xlsx"),
         "--db", str(tmp_path / "s.db")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert MARKUP in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "a\ufffd[31mb" in result.output  # the ESC is shown as U+FFFD, the rest literally


def test_safe_and_plain() -> None:
    assert safe(MARKUP).plain == MARKUP
    assert plain("a\x1bb\x07c\x9bd\u202ee\tf\ng") == "a\ufffdb\ufffdc\ufffdd\ufffde\tf\ng"
    assert plain_line("one\ntwo\r\nthree\tfour\x1b") == "one two three four\ufffd"


def test_a_file_name_is_not_markup_in_the_progress_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich would parse "[/bold]" in a description as a closing tag and raise."""
    screen = io.StringIO()
    monkeypatch.setattr(terminal, "err", Console(file=screen, force_terminal=True, width=120))
    with terminal.progress_bar(enabled=True) as bar:
        bar.start(2)
        bar(Path("[/bold][red]x\x1b[2J.csv"))
    shown = screen.getvalue()
    assert "1/2" in shown  # the bar was drawn, with the name
    assert "[red]x\ufffd[2J.csv" in shown  # literally, the ESC shown as U+FFFD
    assert "\x1b[2J" not in shown


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile month evaluated once, in this process: the tests below only read the store,
    through `report` in a real process (what reaches a terminal or a file)."""
    folder = tmp_path_factory.mktemp("hostile-store")
    source = hostile_workbook(folder / "names.xlsx")
    db = folder / "s.db"
    code, _, stderr = run_cli("evaluate", MONTH, source, "--out", folder / "r.xlsx", "--db", db)
    assert code == 0, stderr
    return db


def test_a_csv_export_never_holds_a_formula(tmp_path: Path, hostile_store: Path) -> None:
    export = tmp_path / "ranking.csv"
    outcome = fivestar("report", "--month", MONTH, "--out", export, "--db", hostile_store)
    assert outcome.code == 0, outcome.stderr
    assert one_line_error(outcome)
    with export.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert any(FORMULA in cell for cell in cells)  # the name is there, as text
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_report_command_prints_no_escape(hostile_store: Path) -> None:
    outcome = fivestar("report", "--month", MONTH, "--db", hostile_store)
    assert outcome.code == 0, outcome.stderr
    assert "\x1b" not in outcome.stdout and "\x07" not in outcome.stdout


def test_the_one_line_error_holds_no_escape_and_no_line_break(tmp_path: Path) -> None:
    """Nothing evaluable: the error quotes the first issues, which quote cell values."""
    rows: list[list[Any]] = [list(HEADER), officer_row(1)]
    rows[1][5] = "\x1b[2Jline\nbreak"  # 人号一致率: not a rate, the only row is rejected
    source = write_xlsx(tmp_path / "bad.xlsx", rows)
    outcome = fivestar(
        "evaluate", MONTH, source, "--out", tmp_path / "r.xlsx", "--db", tmp_path / "s.db"
    )
    assert outcome.code == 2
    assert "\x1b" not in outcome.stderr
    assert one_line_error(outcome), outcome.stderr
