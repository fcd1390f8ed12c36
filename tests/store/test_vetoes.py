"""Vetoes over optional input columns, end to end on every backend (issue 15): county files
with 有效投诉数 / 违纪, a veto that fires, the officer passed over and the next candidate
named, `explain` giving the veto; the same when the month is judged again from the store
(after an exclusion, a city view merged from county runs, `compare`); an older store
migrates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from fivestar.store.schema import LATEST
from tests.conftest import DEFAULT_RULES, ROOT, run_cli
from tests.store.conftest import execute

SAMPLE = ROOT / "sample_data" / "2014-04"
VETO_RULES = ROOT / "tests" / "data" / "veto-2014.toml"
SU_ZHEN = "037148105"  # 乐陵市局: first of 纠纷调解之星 in the sample
XUE = "371428001"  # 武城县局: first of 入户走访之星
COMPLAINT = "一票否决：群众有效投诉（有效投诉数 >= 1）"
DISCIPLINE = "一票否决：违纪违法（违纪 == 是）"


def _add_columns(path: Path, values: dict[str, dict[str, Any]]) -> None:
    """New columns at the right of a sample file: {header: {警号: value}}, others 0 / 否."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for header, cells in values.items():
        col = sheet.max_column + 1
        sheet.cell(1, col, header)
        for row in range(2, sheet.max_row + 1):
            officer = str(sheet.cell(row, 1).value)
            sheet.cell(row, col, cells.get(officer, 0 if header == "有效投诉数" else "否"))
    book.save(path)


@pytest.fixture
def county_files(tmp_path: Path) -> Path:
    """The sample month; 乐陵市局 with both columns (苏振 one complaint upheld), 武城县局 with
    违纪 only (薛翠翠 是), the other counties with neither."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    _add_columns(folder / "乐陵市局.xlsx", {"有效投诉数": {SU_ZHEN: 1}, "违纪": {}})
    _add_columns(folder / "武城县局.xlsx", {"违纪": {XUE: "是"}})
    return folder


def _json(*args: str | Path, code: int = 0) -> Any:
    got, stdout, stderr = run_cli(*args, "--json")
    assert got == code, stderr
    return json.loads(stdout)


def _winners(payload: dict[str, Any], star: str) -> list[str]:
    return [w["officer_id"] for w in payload["winners"] if w["star"] == star]


def _named(location: str, star: str) -> list[str]:
    ranking = _json("report", "--star", star, "--db", location)["ranking"]
    return [e["officer_id"] for e in ranking if e["named"]]


def _explained(location: str, officer: str) -> dict[str, tuple[str, str]]:
    """{star: (first reason, first gap)} of `explain`."""
    stars = _json("explain", officer, "--db", location)["stars"]
    return {v["star"]: (v["reasons"][0], v["gaps"][0]) for v in stars}


def test_a_veto_on_an_optional_column_passes_the_officer_over(
    location: str, county_files: Path, tmp_path: Path
) -> None:
    # the Dezhou rules declare no column: the new ones are ignored
    plain = _json(
        "evaluate", "2014-04", county_files, "--rules", DEFAULT_RULES,
        "--db", tmp_path / "plain.db", "--out", tmp_path / "plain.xlsx",
    )  # fmt: skip
    assert SU_ZHEN in _winners(plain, "mediation") and XUE in _winners(plain, "visits")

    vetoed = _json(
        "evaluate", "2014-04", county_files, "--rules", VETO_RULES,
        "--db", location, "--out", tmp_path / "r.xlsx", code=1,
    )  # fmt: skip
    winners = {w["officer_id"] for w in vetoed["winners"]}
    assert SU_ZHEN not in winners and XUE not in winners
    # the next candidate takes each place: the same number named, one newcomer per star
    for star, gone in (("mediation", SU_ZHEN), ("visits", XUE)):
        before, after = _winners(plain, star), _winners(vetoed, star)
        assert len(after) == len(before)
        assert [i for i in before if i != gone] == [i for i in after if i in before]
    # the files without a declared column say the veto cannot fire there; nothing rejected
    notes = [(i["file"], i["params"]["column"]) for i in vetoed["issues"]
             if i["code"] == "no-veto-column"]  # fmt: skip
    assert ("武城县局.xlsx", "有效投诉数") in [(Path(f).name, c) for f, c in notes]
    assert len(notes) == 2 * 4 + 1  # four counties lack both, 武城县局 one
    assert vetoed["counts"]["rejected"] == plain["counts"]["rejected"]

    assert _named(location, "mediation") == _winners(vetoed, "mediation")
    assert _explained(location, SU_ZHEN) == dict.fromkeys(
        ["visits", "mediation", "investigation", "information", "service"],
        (COMPLAINT, COMPLAINT),
    )
    assert _explained(location, XUE)["visits"] == (DISCIPLINE, DISCIPLINE)

    # judged again from the store after an exclusion: the vetoes still hold
    first = _winners(vetoed, "mediation")[0]
    code, _, stderr = run_cli(
        "exclude", "2014-04", first, "--reason", "公示期间投诉属实", "--db", location
    )
    assert code == 0, stderr
    again = _named(location, "mediation")
    assert first not in again and SU_ZHEN not in again and len(again) == len(before)
    assert _explained(location, SU_ZHEN)["mediation"] == (COMPLAINT, COMPLAINT)
    assert _explained(location, XUE)["visits"] == (DISCIPLINE, DISCIPLINE)
    whole = _json("report", "--db", location)
    assert XUE not in {e["officer_id"] for s in whole["stars"] for e in s["ranking"] if e["named"]}


def test_a_city_view_merged_from_county_runs_applies_the_vetoes(
    location: str, county_files: Path, tmp_path: Path
) -> None:
    # 乐陵市局 evaluates its own month, then the others theirs: the city view judges the
    # stored figures again, together, under the rules of the latest run
    others = [p for p in sorted(county_files.iterdir()) if p.name != "乐陵市局.xlsx"]
    db = ("--db", location)
    mine = county_files / "乐陵市局.xlsx"  # both columns: no note, exit 0
    own = _json(
        "evaluate", "2014-04", mine, "--rules", VETO_RULES, *db, "--out", tmp_path / "a.xlsx"
    )
    assert SU_ZHEN not in {w["officer_id"] for w in own["winners"]}
    _json("evaluate", "2014-04", *others, "--rules", VETO_RULES, *db,
          "--out", tmp_path / "b.xlsx", code=1)  # fmt: skip
    ranking = _json("report", "--star", "mediation", *db)
    assert len(ranking["runs"]) == 2  # a merged view, judged again
    assert SU_ZHEN not in _named(location, "mediation")
    assert _explained(location, SU_ZHEN)["mediation"] == (COMPLAINT, COMPLAINT)

    # compare reads the stored columns too: without the vetoes 苏振 gains his star
    changes = _json("compare", "2014-04", "--rules", DEFAULT_RULES, *db)
    gained = {i for star in changes["stars"] for i in star["gained"]}
    assert SU_ZHEN in gained


def test_an_older_store_migrates_and_its_runs_read_as_without_the_columns(
    location: str, tmp_path: Path
) -> None:
    code, _, stderr = run_cli(
        "evaluate", "2014-04", SAMPLE, "--db", location, "--out", tmp_path / "r.xlsx"
    )
    assert code == 0, stderr
    # the store as schema version 4 left it: no optional_inputs column
    execute(
        location,
        "ALTER TABLE officers DROP COLUMN optional_inputs",
        "UPDATE schema_version SET version = 4",
    )
    assert run_cli("report", "--db", location)[0] == 2  # a read command does not upgrade
    code, stdout, stderr = run_cli("migrate", "--db", location)
    assert (code, stderr) == (0, "")
    assert stdout.strip().endswith(f"：已从结构版本 4 升级到 {LATEST}")
    assert execute(location, "SELECT DISTINCT optional_inputs FROM officers") == [[("{}",)]]
    before = _json("report", "--star", "mediation", "--db", location)
    code, _, stderr = run_cli(
        "exclude", "2014-04", "371428001", "--reason", "测试", "--db", location
    )
    assert code == 0, stderr  # judged again from the migrated rows
    assert SU_ZHEN in [e["officer_id"] for e in before["ranking"] if e["named"]]
    assert SU_ZHEN in _named(location, "mediation")
