"""Input text on every output channel: terminal, progress bar, CSV export, one-line errors.

A name is data: `[red]x[/red]` prints as those characters, an ESC or a bell never reaches
the terminal, and a name starting with = + - @ is never a formula in an exported CSV.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hostile_builders import HEADER, MONTH, officer_row, write_xlsx
from hostile_run import fivestar, one_line_error
from openpyxl import load_workbook
from rich.console import Console
from rich.table import Table

from fivestar.cli import render as terminal
from fivestar.cli.render import plain, plain_line, safe
from fivestar.report.layout import Column, Sheet, sheet_name
from fivestar.report.measure import clean_text
from fivestar.report.store_exports import neutralize
from fivestar.report.workbook import Formats, write_atomically
from fivestar.safe_text import clean, clean_line, json_text
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
    code, stdout, stderr = run_cli(
        "evaluate", MONTH, source, "--out", tmp_path / "r.xlsx", "--db", tmp_path / "s.db"
    )
    assert code == 0, stderr
    shown = stdout + stderr
    assert MARKUP in shown
    assert "\x1b" not in shown and "\x07" not in shown
    assert "a\ufffd[31mb" in shown  # the ESC is shown as U+FFFD, the rest literally


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


# What `cat x.csv` or a JSON reader's terminal must never receive (issue 12): retitle + bell,
# clear screen, a C1 CSI, DEL, and bidi characters that reverse or isolate what follows.
HAZARDS = ("\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\x7f", "\u202e", "\u2066", "\u200f")
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u2066", "\u200f")


def hazard_workbook(path: Path) -> Path:
    """Officers named with terminal hazards, who win (the most visits)."""
    rows: list[list[Any]] = [list(HEADER)]
    for n, hazard in enumerate(HAZARDS, start=1):
        row = officer_row(n, name=f"张{hazard}三{n}")
        row[3] = f"{hazard}派出所"
        row[4] = 300 - n
        rows.append(row)
    rows.extend(officer_row(n) for n in range(10, 15))
    return write_xlsx(path, rows)


@pytest.fixture
def hazard_store(tmp_path: Path) -> Path:
    source = hazard_workbook(tmp_path / "names.xlsx")
    db = tmp_path / "s.db"
    evaluated = fivestar("evaluate", MONTH, source, "--out", tmp_path / "r.xlsx", "--db", db)
    assert evaluated.code == 0, evaluated.stderr
    return db


def test_a_csv_export_holds_no_terminal_control(tmp_path: Path, hazard_store: Path) -> None:
    export = tmp_path / "ranking.csv"
    outcome = fivestar("report", "--month", MONTH, "--out", export, "--db", hazard_store)
    assert outcome.code == 0, outcome.stderr
    text = export.read_text("utf-8-sig")
    for raw in RAW:
        assert raw not in text, repr(raw)
    assert "张\ufffd]0;pwned\ufffd三1" in text  # shown, as in the workbook, not dropped


def test_json_escapes_control_and_bidi_characters(tmp_path: Path, hazard_store: Path) -> None:
    """`--json` keeps the names exactly (a JSON reader gets them back) but as \\u escapes."""
    outcome = fivestar("report", "--month", MONTH, "--json", "--db", hazard_store)
    assert outcome.code == 0, outcome.stderr
    for raw in RAW:
        assert raw not in outcome.stdout, repr(raw)
    assert "\\u202e" in outcome.stdout and "\\u009b" in outcome.stdout
    assert "派出所" in outcome.stdout  # Chinese stays readable, not \u escaped
    names = {entry["name"] for star in json.loads(outcome.stdout)["stars"]
             for entry in star["ranking"]}  # fmt: skip
    assert {f"张{hazard}三{n}" for n, hazard in enumerate(HAZARDS, start=1)} <= names


def test_evaluate_json_escapes_bidi_characters(tmp_path: Path) -> None:
    source = hazard_workbook(tmp_path / "names.xlsx")
    outcome = fivestar(
        "evaluate", MONTH, source, "--json", "--out", tmp_path / "r.xlsx", "--db", tmp_path / "s.db"
    )
    assert outcome.code == 0, outcome.stderr
    for raw in RAW:
        assert raw not in outcome.stdout, repr(raw)
    assert "\\u202e" in outcome.stdout
    json.loads(outcome.stdout)


LABEL = "\x1b]0;pwned\x07星\u202e"


def test_a_sheet_name_and_title_from_a_stored_label_stay_readable(tmp_path: Path) -> None:
    """A label that never met the rules loader (a stored one, say) still cannot put a raw
    0x1B into xl/workbook.xml, which no spreadsheet program would then open."""
    path = tmp_path / "labels.xlsx"

    def build(workbook: Any, formats: Formats) -> None:
        sheet = Sheet(workbook, formats, sheet_name(LABEL, set()), title=LABEL)
        sheet.table([Column(LABEL, ["民警"])])
        sheet.pairs([(LABEL, LABEL)])
        sheet.finish()

    write_atomically(path, build)
    book = load_workbook(path)
    assert book.sheetnames == ["\ufffd_0;pwned\ufffd星\ufffd"]  # "]" is not allowed there
    cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert "\ufffd]0;pwned\ufffd星\ufffd" in cells[0]  # the title
    for text in cells:
        assert not any(raw in text for raw in RAW), repr(text)


def test_every_plain_string_printed_is_cleaned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Table titles, headers and cells given as plain strings (a stored label, say) go
    through the same cleaning as `safe()` text: the console itself is the boundary."""
    screen = io.StringIO()
    monkeypatch.setattr(terminal, "out", terminal.CleanConsole(file=screen, width=120))
    table = Table(title=LABEL)
    table.add_column(LABEL)
    table.add_row(LABEL)
    terminal.out.print(table)
    terminal.out.print(LABEL)
    shown = screen.getvalue()
    assert shown.count("]0;pwned") == 4
    for raw in RAW:
        assert raw not in shown, repr(raw)


def test_one_sanitiser_for_every_boundary() -> None:
    """Terminal, workbook cells and CSV cells all replace the same characters; JSON escapes
    them; ordinary Chinese text, tabs and line breaks pass unchanged."""
    text = "德州市公安局\t张三\n" + "".join(RAW) + "\x00\x1f\u061c\u200e\u2069"
    shown = "德州市公安局\t张三\n" + "\ufffd" * (len(RAW) + 5)
    assert plain(text) == shown
    assert clean_text(text) == shown
    assert neutralize(text) == shown
    assert clean_line(text) == shown.replace("\t", " ").replace("\n", " ")
    assert clean("德州市公安局“五星”") == "德州市公安局“五星”"
    encoded = json_text({"name": text})
    assert json.loads(encoded) == {"name": text}
    assert "德州市公安局" in encoded and all(raw not in encoded for raw in RAW)
