"""The report's content, read back by value (openpyxl and python-calamine)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from fivestar.report import write_report
from fivestar.report.sheets import NEAR_MISSES
from fivestar.rules import RuleSet
from fivestar.rules.loader import parse_rules
from tests.conftest import DEFAULT_RULES
from tests.report.conftest import (
    FILE_SHA,
    ISSUE,
    Written,
    block,
    is_blank,
    month_result,
    records,
    rows_of,
)

STARS = ["入户走访之星", "纠纷调解之星", "侦查破案之星", "信息采集之星", "服务群众之星"]
SHEETS = ["评选结果", "公示", "统计图", *STARS, "未达标", "全员明细", "数据问题", "运行信息"]


def start_of(rows: list[tuple[object, ...]], text: str) -> int:
    return next(i for i, row in enumerate(rows) if row and row[0] == text)


def test_sheets_in_order(written: Written) -> None:
    assert written.book.sheetnames == SHEETS
    assert CalamineWorkbook.from_path(str(written.path)).sheet_names == SHEETS


def test_results_are_the_winners_in_order(written: Written) -> None:
    winners = written.result.evaluation.winners
    labels = dict(zip(written.result.rules.star_keys, STARS, strict=True))
    got = records(rows_of(written.book["评选结果"]))
    assert [r["警号"] for r in got] == list(winners["officer_id"])
    assert [r["姓名"] for r in got] == list(winners["name"])
    assert [r["排名"] for r in got] == [int(x) for x in winners["rank"]]
    assert [r["评选项目"] for r in got] == [labels[k] for k in winners["star"]]
    assert [r["并列"] == "并列" for r in got] == [bool(t) for t in winners["tied"]]
    assert [is_blank(r["并列"]) for r in got] == [not t for t in winners["tied"]]
    # the tie exceeds the mediation quota: both tied officers are named and flagged
    assert [(r["警号"], r["并列"]) for r in got if r["评选项目"] == "纠纷调解之星"] == [
        ("004", None),
        ("005", "并列"),
        ("006", "并列"),
    ]
    figures = "入户走访户数 150；人号一致率 100%；入户走访率 100%；群众满意率 100%"
    assert got[0]["主要数据"] == figures


def test_results_notes_below_the_table(written: Written) -> None:
    rows = rows_of(written.book["评选结果"])
    texts = [row[0] for row in rows[1 + len(block(rows)) :] if row and row[0]]
    assert texts[0] == "说明"
    assert [note.text for note in written.result.evaluation.notes] == texts[1:]
    assert "纠纷调解之星：并列，名额 2 人，评出 3 人" in texts


def test_star_sheet_lists_every_qualifier_and_marks_winners(written: Written) -> None:
    ws = written.book["纠纷调解之星"]
    got = records(rows_of(ws))
    outcomes = written.result.evaluation.outcomes
    mine = outcomes[(outcomes["star"] == "mediation") & outcomes["qualified"]]
    assert sorted(r["警号"] for r in got) == sorted(mine["officer_id"])
    result = {r["警号"]: r["结果"] for r in got}
    assert result == {
        "004": "当选",
        "005": "当选（并列）",
        "006": "当选（并列）",
        "002": "已获评入户走访之星",
    }
    assert [r["排名"] for r in got] == [1, 2, 2, None]
    assert [r["调解纠纷数"] for r in got] == [4, 3, 3, 5]
    # winners' rows are bold on a green fill, the others are not
    for row in range(3, 3 + len(got)):
        cell = ws.cell(row=row, column=2)
        winner = result[cell.value].startswith("当选")
        assert bool(cell.font.b) is winner
        assert (cell.fill.fgColor.rgb == "FFC6EFCE") is winner


def test_star_sheet_near_misses_closest_first_in_report_words(written: Written) -> None:
    rows = rows_of(written.book["入户走访之星"])
    at = start_of(rows, NEAR_MISSES)
    near = records(rows, at + 1)
    # closest first: 0.04 % short of 100 %, 8 then 40 of 80 households, a figure missing
    assert [(r["警号"], r["差距"]) for r in near] == [
        ("007", "人号一致率 99.96%，还差 0.04 个百分点"),
        ("003", "入户走访户数 72，还差 8 户"),
        ("010", "入户走访户数 40，还差 40 户"),
        ("008", "群众满意率 缺失"),
    ]
    outcomes = written.result.evaluation.outcomes
    expected = outcomes[(outcomes["star"] == "visits") & outcomes["near_miss"]]
    assert sorted(r["警号"] for r in near) == sorted(expected["officer_id"])
    qualifiers = {r["警号"] for r in records(rows)}
    assert qualifiers.isdisjoint(r["警号"] for r in near)


def test_star_without_qualifiers_says_so(written: Written) -> None:
    rows = rows_of(written.book["侦查破案之星"])
    assert rows[2][0] == "本月无符合条件的民警"
    near = records(rows, start_of(rows, NEAR_MISSES) + 1)
    assert {r["警号"]: r["差距"] for r in near}["010"] == "资格：入户走访户数 40，还差 40 户"


def test_officer_with_nothing_for_a_star_is_no_near_miss(written: Written) -> None:
    # 008 (2 suspects) did something for investigation; the other gated ones did nothing
    rows = rows_of(written.book["侦查破案之星"])
    near = {r["警号"] for r in records(rows, start_of(rows, NEAR_MISSES) + 1)}
    outcomes = written.result.evaluation.outcomes
    engine = outcomes[(outcomes["star"] == "investigation") & outcomes["near_miss"]]
    assert len(engine) > len(near)  # the engine's near misses include officers with nothing
    assert near == {"008", "010"}


def test_under_minimum(written: Written) -> None:
    got = records(rows_of(written.book["未达标"]))
    assert got == [
        {
            "警号": "010",
            "姓名": "李四",
            "县局": "武城县局",
            "派出所": "城关派出所",
            "警务室": "城关警务室",
            "入户走访户数": 40,
            "差额(户)": 10,
            "说明": "入户走访户数 40，还差 10 户",
        }
    ]


def test_detail_one_row_per_officer_with_every_star(written: Written) -> None:
    officers = written.result.evaluation.officers
    got = records(rows_of(written.book["全员明细"]))
    assert [r["警号"] for r in got] == list(officers["officer_id"])
    by_id = {r["警号"]: r for r in got}
    # one gap wording everywhere: the star sheets, 全员明细, the terminal, `report --out`
    assert by_id["003"]["入户走访之星"] == "入户走访户数 72，还差 8 户"
    assert by_id["003"]["信息采集之星"] == (
        "线索信息条数 0，还差 10 条；资格：入户走访户数 72，还差 8 户"
    )
    assert by_id["001"]["入户走访之星"] == "当选"
    assert by_id["002"]["纠纷调解之星"] == "符合"
    assert by_id["005"]["纠纷调解之星"] == "当选（并列）"
    assert by_id["009"]["入户走访之星"] == "无参评资格：岗位为六进业务警种民警"
    assert by_id["009"]["服务群众之星"] == "当选"
    assert by_id["009"]["岗位"] == "六进业务警种民警"
    assert by_id["008"]["入户走访之星"] == "群众满意率 缺失"
    header = block(rows_of(written.book["全员明细"]))[0]
    # place, then the stars; the figures are on the star sheets
    assert list(header[:6]) == ["警号", "姓名", "县局", "派出所", "警务室", "岗位"]
    assert list(header[6:]) == STARS


def test_detail_read_by_calamine(written: Written) -> None:
    sheet = CalamineWorkbook.from_path(str(written.path)).get_sheet_by_name("全员明细")
    title, header, *data = sheet.to_python()
    assert title[0] == "德州市公安局2014年4月“五星”社区民警评选结果（全员明细）"
    ids = [row[header.index("警号")] for row in data]
    assert ids == list(written.result.evaluation.officers["officer_id"])
    row = data[ids.index("007")]
    assert row[header.index("入户走访之星")] == "人号一致率 99.96%，还差 0.04 个百分点"


def test_issues_listed_with_their_place(written: Written) -> None:
    got = records(rows_of(written.book["数据问题"]))
    assert got == [
        {
            "文件": ISSUE.file,
            "工作表": ISSUE.sheet,
            "行号": ISSUE.row,
            "列": ISSUE.column,
            "值": ISSUE.value,
            "原因": ISSUE.reason,
        }
    ]


def test_no_issues_is_one_row_saying_none(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_report(path, month_result(rules, path, issues=[]))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("数据问题").to_python()
    assert [row for row in rows if any(row)][1:] == [
        ["文件", "工作表", "行号", "列", "值", "原因"],
        ["本月无数据问题", "", "", "", "", ""],
    ]


def test_run_info_counts_and_hashes(written: Written) -> None:
    rows = rows_of(written.book["运行信息"])
    pairs = {row[0]: row[1] for row in rows[: start_of(rows, "输入文件")] if row[0]}
    rules = written.result.rules
    assert pairs["评选月份"] == "2014-04"
    assert pairs["规则文件"] == rules.path
    assert pairs["规则 SHA-256"] == rules.sha256
    assert pairs["规则名称"] == rules.model.name
    assert pairs["程序版本"] == written.result.tool_version
    # local time to the minute, as a clerk reads it (the store and --json keep ISO)
    assert pairs["运行时间"] == written.result.started.astimezone().strftime("%Y-%m-%d %H:%M")
    assert (pairs["读取行数"], pairs["评估行数"], pairs["拒绝行数"], pairs["跳过行数"]) == (
        13,
        10,
        1,
        2,
    )
    files = records(rows, start_of(rows, "输入文件") + 1)
    assert files == [
        {
            "文件": "wucheng.xlsx",
            "SHA-256": FILE_SHA,
            "格式": "xlsx",
            "读取": 13,
            "评估": 10,
            "拒绝": 1,
            "跳过": 2,
            "使用的工作表": "Sheet1",
            "跳过的工作表": "填表说明: no header",
            "忽略的列": "序号；备注",
            "文件问题": None,
        }
    ]


def test_star_labels_become_valid_sheet_names(tmp_path: Path) -> None:
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    text = text.replace('label = "信息采集之星"', 'label = "信息/采集:之星"')
    text = text.replace('label = "服务群众之星"', 'label = "未达标"')
    rules = parse_rules(text.encode(), "custom.toml")
    path = tmp_path / "r.xlsx"
    write_report(path, month_result(rules, path))
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names[6:9] == ["信息_采集_之星", "未达标(2)", "未达标"]


def test_near_misses_are_capped_closest_first(rules: RuleSet, tmp_path: Path) -> None:
    from dataclasses import replace

    from fivestar.engine import evaluate
    from tests.conftest import officer, table

    # every one of these officers is one criterion short of the visits star (visits < 80)
    short = [officer(f"{i:04d}", visits=50 + i % 30) for i in range(30)]
    frame = table(officer("9999", visits=90), *short)
    path = tmp_path / "r.xlsx"
    base = month_result(rules, path)
    limit = rules.model.report.near_misses
    assert limit == 20  # the shipped rules' [report] near_misses
    write_report(path, replace(base, evaluation=evaluate(rules, frame, "2014-04")))
    rows = rows_of(openpyxl.load_workbook(path)["入户走访之星"])
    start = next(i for i, row in enumerate(rows) if row[0] == NEAR_MISSES) + 1
    near = [r for r in records(rows, start) if r["警号"]]  # the note row follows the table
    assert len(near) == limit
    shown = [r["入户走访户数"] for r in near]
    assert shown == sorted(shown, reverse=True)  # the smallest gap first
    assert shown[0] == 79
    note = "另有 10 人差一项达标，未列出（按差距取最接近的 20 人）；见“全员明细”。"
    assert any(row[0] == note for row in rows)


def test_near_miss_cap_from_the_rules(rules: RuleSet, tmp_path: Path) -> None:
    from dataclasses import replace

    from fivestar.engine import evaluate
    from fivestar.rules.model import ReportOptions
    from tests.conftest import officer, table

    three = replace(
        rules, model=rules.model.model_copy(update={"report": ReportOptions(near_misses=3)})
    )
    frame = table(*[officer(f"{i:04d}", visits=70 + i) for i in range(6)])
    path = tmp_path / "r.xlsx"
    base = month_result(three, path)
    write_report(path, replace(base, evaluation=evaluate(three, frame, "2014-04")))
    rows = rows_of(openpyxl.load_workbook(path)["入户走访之星"])
    start = next(i for i, row in enumerate(rows) if row[0] == NEAR_MISSES) + 1
    near = [r["警号"] for r in records(rows, start) if r["警号"]]
    assert near == ["0005", "0004", "0003"]


def test_key_figures_never_round_a_failing_rate_onto_100_percent(rules: RuleSet) -> None:
    from fivestar.report.sheets import figure_text

    assert figure_text(rules, "id_consistency", 0.9999999) == "99.99999%"
    assert figure_text(rules, "id_consistency", 0.985) == "98.5%"
    assert figure_text(rules, "id_consistency", 1 - 1e-12) == "100%"  # floating noise only
    assert figure_text(rules, "visits", 162.0) == "162"


def test_strict_ties_say_why_a_candidate_within_the_quota_was_left_out(tmp_path: Path) -> None:
    from dataclasses import replace

    from fivestar.engine import evaluate
    from tests.conftest import officer, table

    text = DEFAULT_RULES.read_text(encoding="utf-8").replace('ties = "', 'ties = "strict"  #', 1)
    strict = parse_rules(text.encode(), "strict.toml")
    frame = table(
        officer("001", visits=160), officer("002", visits=150),  # the visits star
        officer("003", info_leads=30),
        officer("004", info_leads=15),
        officer("005", info_leads=15),  # tied with 004 for the last place: 004 by 警号
    )  # fmt: skip
    path = tmp_path / "r.xlsx"
    base = month_result(strict, path)
    write_report(path, replace(base, rules=strict, evaluation=evaluate(strict, frame, "2014-04")))
    rows = records(rows_of(openpyxl.load_workbook(path)["信息采集之星"]))
    outcomes = {r["警号"]: (r["排名"], r["结果"]) for r in rows if r["警号"]}
    assert outcomes["004"] == (2, "当选（并列）")
    assert outcomes["005"] == (2, "并列未入选（名额 2 人，按警号取前 2 人）")
