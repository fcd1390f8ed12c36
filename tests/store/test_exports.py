"""The workbook `fivestar report --out x.xlsx` writes, read back with openpyxl: laid out as the
evaluate report's star sheets, titled with the organisation of the rules the run was judged by."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from fivestar.rules import load_rules
from fivestar.store import open_store
from tests.conftest import DEFAULT_RULES, officer, run_cli
from tests.store.builders import mediator, run_result, started

run = partial(run_cli, columns=200)  # tables on one line

ORGANISATION = "临清市公安局"  # not the default rules' 德州市公安局: read from the store
WINNERS = ("371428001", "371428002")
NEAR = "371428003"
TITLE = f"{ORGANISATION}2014年4月“五星”社区民警评选结果"


def record(location: str, tmp_path: Path) -> None:
    """One April run of the whole city, judged by rules of another organisation that lists no
    county bureaus (two bureaus in the run: the city's result); 9-character 警号."""
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace("德州市公安局", ORGANISATION)
    text = re.sub(r"(?m)^bureaus = \[[^\]]*\]\n", "", text)
    path = tmp_path / "linqing.toml"
    path.write_text(text, encoding="utf-8")
    rules = load_rules(path)
    visits = [officer("371428091", visits=200), officer("371428092", visits=190, bureau="夏津县局")]
    rows = [*visits, mediator(WINNERS[0], 5), mediator(WINNERS[1], 4), mediator(NEAR, 2)]
    with open_store(location) as store:
        store.record(run_result(rules, "2014-04", rows), "x", recorded=started("2014-04", 1))


def written(location: str, out: Path, *args: str) -> Any:
    result = run("report", "--out", out, "--db", location, *args)
    assert result.exit_code == 0, result.stderr
    return load_workbook(out)


def test_near_misses_sit_under_the_qualifiers_columns(location: str, tmp_path: Path) -> None:
    record(location, tmp_path)
    ws = written(location, tmp_path / "r.xlsx", "--star", "mediation")["纠纷调解之星"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[1]
    assert header[:3] == ["排名", "警号", "姓名"]
    assert header[-1] == "结果"
    assert [r[:2] for r in rows[2:4]] == [[1, WINNERS[0]], [2, WINNERS[1]]]
    at = next(i for i, r in enumerate(rows) if r[0] == "差一项达标")
    assert rows[at + 1] == [*header[:-1], "差距"]  # the same columns, 差距 under 结果
    assert rows[at + 2][:2] == [None, NEAR]
    assert rows[at + 2][-1] == "调解纠纷数 2，还差 1 起"
    # the frozen, filtered header is the qualifiers'; 排名 is sized for ranks, not 警号
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:")
    widths = ws.column_dimensions
    assert widths["A"].width < widths["B"].width


def test_titles_carry_the_organisation_and_run_info_is_chinese(
    location: str, tmp_path: Path
) -> None:
    record(location, tmp_path)
    book = written(location, tmp_path / "r.xlsx")
    assert book.sheetnames[-1] == "运行信息"
    assert book["纠纷调解之星"]["A1"].value == f"{TITLE}（纠纷调解之星）"
    info = book["运行信息"]
    assert info["A1"].value == f"{TITLE}（运行信息）"
    pairs = [r[:2] for r in info.iter_rows(min_row=2, values_only=True) if r[0]]
    # the month's whole report again (issue 15), as `evaluate` writes it
    assert ("评选月份", "2014-04") in pairs
    assert ("规则名称", f"{ORGANISATION}“社区六进”工作“五星”评选办法") in pairs


def test_a_ranking_export_run_info_is_chinese(location: str, tmp_path: Path) -> None:
    record(location, tmp_path)
    book = written(location, tmp_path / "r.xlsx", "--run", "1")
    info = book["运行信息"]
    assert info["A1"].value == f"{TITLE}（运行信息）"
    pairs = [r for r in info.iter_rows(min_row=2, values_only=True) if r[0]]
    expected = [("评选月份", "2014-04"), ("范围", "指定运行"), ("运行编号", "1"), ("县局", "全部")]
    assert pairs == expected


def test_a_bureau_export_says_whose_it_is(location: str, tmp_path: Path) -> None:
    record(location, tmp_path)
    book = written(location, tmp_path / "r.xlsx", "--bureau", "武城县局")
    assert book["入户走访之星"]["A1"].value == f"{TITLE}（入户走访之星·武城县局）"
    assert ("县局", "武城县局") in list(book["运行信息"].iter_rows(values_only=True))
