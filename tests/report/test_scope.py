"""Whose result a run is: the city's, a county's own, or a part — in every title, the 公示,
the terminal, `--json` and the default report name; and the report's look (fonts, order)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from fivestar.errors import RulesError
from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from fivestar.run_scope import scope_of
from tests.conftest import DEFAULT_RULES, ROOT, run_cli

SAMPLE = ROOT / "sample_data" / "2014-04"
MONTH = "2014年4月"
COUNTY_NOTICE = f"武城县局{MONTH}“五星”社区民警评选结果（县局自评，未经市局审定）"
CITY_NOTICE = f"德州市公安局{MONTH}“五星”社区民警评选结果公示"


def _evaluate(folder: Path, *inputs: Path | str) -> dict[str, object]:
    code, stdout, stderr = run_cli("evaluate", "2014-04", *inputs, "--json")
    assert code == 0, stderr
    found: dict[str, object] = json.loads(stdout)
    return found


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _titles(path: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(path)
    return {name: str(book[name]["A1"].value) for name in book.sheetnames}


def test_a_county_run_says_it_is_the_county_s_own(folder: Path) -> None:
    got = _evaluate(folder, SAMPLE / "武城县局.xlsx")
    assert got["scope"] == "武城县局"
    assert got["report"] == "fivestar-2014-04-武城县局.xlsx"
    titles = _titles(folder / "fivestar-2014-04-武城县局.xlsx")
    assert titles.pop("公示") == COUNTY_NOTICE
    for name, title in titles.items():
        assert title.startswith(f"武城县局{MONTH}"), name
        assert "县局自评" in title, name
    assert not (folder / "fivestar-2014-04.xlsx").exists()


def test_the_county_notice_is_worded_as_its_own_assessment(folder: Path) -> None:
    _evaluate(folder, SAMPLE / "武城县局.xlsx")
    ws = openpyxl.load_workbook(folder / "fivestar-2014-04-武城县局.xlsx")["公示"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "各县局报送" not in text  # the city's wording
    assert "武城县局对本局2014年4月社区民警工作数据进行了自评" in text
    assert "未经德州市公安局审定" in text
    assert "公示期" not in text  # the city posts the notice, not the county
    assert ws["A1"].font.name == "宋体"


def test_the_city_run_is_the_city_s(folder: Path) -> None:
    got = _evaluate(folder, SAMPLE)
    assert got["scope"] == "city"
    assert got["report"] == "fivestar-2014-04.xlsx"
    titles = _titles(folder / "fivestar-2014-04.xlsx")
    assert titles["公示"] == CITY_NOTICE
    assert titles["评选结果"] == f"德州市公安局{MONTH}“五星”社区民警评选结果"
    assert not any("自评" in title or "部分" in title for title in titles.values())


def test_two_counties_in_one_folder_never_overwrite_each_other(folder: Path) -> None:
    for county in ("武城县局.xlsx", "乐陵市局.xlsx"):
        shutil.copy(SAMPLE / county, folder / county)
    assert _evaluate(folder, "武城县局.xlsx")["scope"] == "武城县局"
    assert _evaluate(folder, "乐陵市局.xlsx")["scope"] == "乐陵市局"
    wucheng = _titles(folder / "fivestar-2014-04-武城县局.xlsx")["公示"]
    laoling = _titles(folder / "fivestar-2014-04-乐陵市局.xlsx")["公示"]
    assert wucheng == COUNTY_NOTICE
    assert laoling.startswith("乐陵市局")
    # the folder evaluated again: each county's report is left out as an input, not read
    got = _evaluate(folder, folder)
    assert got["scope"] == "partial"
    assert got["issues"] == []


def test_part_of_the_city_names_its_bureaus(folder: Path) -> None:
    got = _evaluate(folder, SAMPLE / "武城县局.xlsx", SAMPLE / "陵县局.xlsx")
    assert got["scope"] == "partial"
    titles = _titles(folder / "fivestar-2014-04.xlsx")
    assert titles["评选结果"].startswith("德州市公安局（武城县局、陵县局）2014年4月")
    assert titles["评选结果"].endswith("（部分县局）")


def test_per_file_reports_are_each_county_s_own(folder: Path) -> None:
    code, _, stderr = run_cli("evaluate", "2014-04", SAMPLE, "--per-file")
    assert code == 0, stderr
    notice = _titles(folder / "fivestar-2014-04-乐陵市局.xlsx")["公示"]
    assert notice == f"乐陵市局{MONTH}“五星”社区民警评选结果（县局自评，未经市局审定）"
    assert _titles(folder / "fivestar-2014-04.xlsx")["公示"] == CITY_NOTICE


def test_terminal_says_whose_result(folder: Path) -> None:
    code, stdout, _ = run_cli("evaluate", "2014-04", SAMPLE / "武城县局.xlsx")
    assert code == 0
    assert "县局自评" in "".join(stdout.split())


def _rules_without_list(rules: RuleSet) -> RuleSet:
    return replace(rules, model=rules.model.model_copy(update={"bureaus": []}))


def test_without_the_list_one_bureau_is_a_county_several_the_city(rules: RuleSet) -> None:
    bare = _rules_without_list(rules)
    assert scope_of(bare, ["武城县局"]).key == "武城县局"
    assert scope_of(bare, ["武城县局", "陵县局"]).key == "city"
    # with the list, all six are the city and some are a part
    assert scope_of(rules, list(reversed(rules.model.bureaus))).key == "city"
    assert scope_of(rules, ["陵县局", "武城县局"]).bureaus == ("武城县局", "陵县局")


def test_rules_list_bureaus_in_an_organisation_table() -> None:
    text = DEFAULT_RULES.read_bytes()
    rules = parse_rules(text, "r.toml")
    assert rules.model.organisation == "德州市公安局"
    assert rules.model.bureaus[:2] == ["德城分局", "武城县局"]
    twice = text.replace('"宁津县局"]'.encode(), '"宁津县局", "武城县局"]'.encode())
    with pytest.raises(RulesError, match="武城县局"):
        parse_rules(twice, "r.toml")
    blank = text.replace('"宁津县局"]'.encode(), '"宁津县局", " "]'.encode())
    with pytest.raises(RulesError, match="blank"):
        parse_rules(blank, "r.toml")


def test_workbook_fonts_and_rank_apart_from_officer_id(folder: Path) -> None:
    _evaluate(folder, SAMPLE)
    book = openpyxl.load_workbook(folder / "fivestar-2014-04.xlsx")
    results = book["评选结果"]
    assert [c.value for c in results[2][1:3]] == ["排名", "警号"]
    rank, officer_id = results["B3"], results["C3"]
    assert rank.font.name == officer_id.font.name == "等线"
    assert rank.alignment.horizontal == "center"
    assert officer_id.alignment.horizontal == "left"
    assert officer_id.alignment.indent >= 1
    notice = book["公示"]
    body = next(c for row in notice.iter_rows(min_row=2) for c in row if c.value)
    assert body.font.name == "仿宋"


def test_bureaus_in_the_order_the_rules_list_them(folder: Path) -> None:
    _evaluate(folder, *sorted(SAMPLE.iterdir(), reverse=True))
    ws = openpyxl.load_workbook(folder / "fivestar-2014-04.xlsx")["统计图"]
    rules = parse_rules(DEFAULT_RULES.read_bytes(), "r.toml")
    shown = [row[0] for row in ws.iter_rows(min_row=3, max_row=8, values_only=True)]
    assert shown == rules.model.bureaus
