"""report / explain / history / runs through Typer's CliRunner against a real store, on every
backend."""

from __future__ import annotations

import csv
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fivestar.report.store_exports import neutralize
from fivestar.rules import RuleSet
from tests.conftest import run_cli
from tests.conftest import run_cli_json as run_json

run = partial(run_cli, columns=200)  # tables on one line

WU, XIA = "武城县局", "夏津县局"
STATION = "城关派出所"
FORMULA_NAME = '=HYPERLINK("x")'


def person(officer_id: str, bureau: str = WU, name: str | None = None) -> dict[str, str]:
    return {
        "officer_id": officer_id,
        "name": name or f"民警{officer_id}",
        "bureau": bureau,
        "station": STATION,
    }


def mediation(m: int, ok: int, f: int) -> dict[str, int]:
    return {"mediations": m, "mediations_ok": ok, "followups_ok": f}


def coded(reasons: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """--json's reason_codes / gap_codes as (code, text) pairs."""
    return [(r["code"], r["text"]) for r in reasons]


def test_report_star_json(db: str) -> None:
    def ranked(rank: int, officer_id: str, bureau: str, named: bool, m: int) -> dict[str, Any]:
        return {
            "rank": rank,
            **person(officer_id, bureau),
            "named": named,
            "tied": False,
            "named_for": None,
            "figures": mediation(m, m, m),
            "reason_codes": [],
        }

    rate = "调解成功率 83.3333%，还差 16.6667 个百分点"
    visits = {"metric": "visits", "value": 72, "op": ">=", "threshold": 80, "unit": "count"}
    gate = {
        "code": "gate",
        "params": {"reason": {"code": "threshold-not-met", "params": visits}},
        "text": "资格：入户走访户数 72，还差 8 户",
    }
    short = {
        "code": "threshold-not-met",
        "params": {"metric": "mediation_success", "value": 5 / 6, "op": ">=", "threshold": 1.0,
                   "unit": "rate"},
        "text": rate,
    }  # fmt: skip
    assert run_json("report", "--star", "mediation", "--db", db) == {
        "month": "2014-04",
        "run": 3,
        "runs": [3],
        "scope": "city",
        "star": "mediation",
        "label": "纠纷调解之星",
        "bureau": None,
        "ranking": [
            ranked(1, "001", WU, True, 5),
            ranked(2, "002", XIA, True, 4),
            ranked(3, "003", WU, False, 3),
        ],
        "near_misses": [
            {
                **person("004"),
                "figures": mediation(6, 5, 6),
                # one gap wording: the reasons are the gaps
                "reasons": [rate],
                "gaps": [rate],
                "reason_codes": [short],
                "gap_codes": [short],
            },
            {
                **person("005", name=FORMULA_NAME),
                "figures": mediation(3, 3, 3),
                "reasons": ["资格：入户走访户数 72，还差 8 户"],
                "gaps": ["资格：入户走访户数 72，还差 8 户"],
                "reason_codes": [gate],
                "gap_codes": [gate],
            },
        ],
    }


def test_report_json_in_english(db: str) -> None:
    got = run_json("--lang", "en", "report", "--star", "mediation", "--db", db)
    near = got["near_misses"][1]
    assert near["gaps"] == ["eligibility: 入户走访户数 72, 8 households short"]
    assert coded(near["gap_codes"]) == [("gate", near["gaps"][0])]


def test_explain_json(db: str) -> None:
    gate = "资格：入户走访户数 72，还差 8 户"

    def star(key: str, reasons: list[str]) -> dict[str, Any]:
        return {
            "star": key,
            "qualified": False,
            "named": False,
            "rank": None,
            "tied": False,
            "named_for": None,
            "reasons": reasons,
            "gaps": reasons,  # not qualified: every reason is a gap
        }

    zero = dict.fromkeys(["case_leads", "suspects", "fugitives", "investigation_total"], 0)
    got = run_json("explain", "005", "--db", db)
    codes = [(s.pop("reason_codes"), s.pop("gap_codes")) for s in got["stars"]]
    assert got == {
        "month": "2014-04",
        "run": 3,
        "runs": [3],
        "scope": "city",
        **person("005", name=FORMULA_NAME),
        "role": "社区民警",
        "under_minimum": False,
        "figures": {
            "visits": 72,
            "id_consistency": 1.0,
            "visit_rate": 1.0,
            "satisfaction": 1.0,
            **mediation(3, 3, 3),
            **zero,
            "info_leads": 0,
            "services": 0,
            "services_ok": 0,
        },
        "stars": [
            star("visits", ["入户走访户数 72，还差 8 户"]),
            star("mediation", [gate]),
            star(
                "investigation",
                [
                    "（任一即可）破案线索数 0，还差 1 条；或 抓获嫌疑人数 0，还差 1 人；"
                    "或 抓获逃犯数 0，还差 1 人",
                    gate,
                ],
            ),
            star("information", ["线索信息条数 0，还差 10 条", gate]),
            star("service", ["服务认可数 0，还差 3 次", gate]),
        ],
    }
    texts = [s["reasons"] for s in got["stars"]]
    assert [[r["text"] for r in why] for why, _ in codes] == texts
    assert [[r["text"] for r in gaps] for _, gaps in codes] == texts
    assert [[r["code"] for r in why] for why, _ in codes] == [
        ["threshold-not-met"],
        ["gate"],
        ["no-option-met", "gate"],
        ["threshold-not-met", "gate"],
        ["threshold-not-met", "gate"],
    ]
    options = codes[2][0][0]["params"]["options"]
    assert [o["params"]["metric"] for o in options] == ["case_leads", "suspects", "fugitives"]


def test_explain_a_winner_and_an_older_month(db: str) -> None:
    stars = run_json("explain", "001", "--month", "2014-03", "--db", db)["stars"]
    assert stars[0] == {
        "star": "visits",
        "qualified": True,
        "named": False,
        "rank": 3,
        "tied": False,
        "named_for": None,  # 3rd for visits, filled before mediation: not kept out by it
        "reasons": [],
        "gaps": [],
        "reason_codes": [],
        "gap_codes": [],
    }
    assert (stars[1]["named"], stars[1]["rank"]) == (True, 1)
    assert [s["named_for"] for s in stars[2:]] == ["mediation", "mediation", "mediation"]


def test_history_json(db: str) -> None:
    def year(officer: dict[str, str], stars: dict[str, list[str]], under: list[str] = ()) -> Any:  # type: ignore[assignment]
        total = sum(len(keys) for keys in stars.values())
        return {
            **{k: officer[k] for k in ("officer_id", "name", "bureau")},
            "stars": stars,
            "total": total,
            "under_minimum": list(under),
            "confirmed_total": 0,  # no month confirmed (待确认)
        }

    april = {"2014-04": []}  # type: ignore[var-annotated]
    both = ("2014-03", "2014-04")
    pending = {"confirmed_total": 0}
    assert run_json("history", "--year", "2014", "--db", db) == {
        "year": 2014,
        "months": list(both),
        "runs": {"2014-03": [1], "2014-04": [3]},
        "confirmed": {"2014-03": False, "2014-04": False},
        "officers": [
            year(person("001"), {"2014-03": ["mediation"], "2014-04": ["mediation"]}),
            year(person("002", XIA), {"2014-03": ["information"], "2014-04": ["mediation"]}),
            year(person("003"), april),
            year(person("004"), april),
            year(person("005", name=FORMULA_NAME), april),
            year(person("006", XIA), {"2014-03": [], "2014-04": []}, list(both)),
            year(person("B01"), {"2014-04": ["service"]}),
            year(person("V1"), {"2014-03": ["visits"], "2014-04": ["visits"]}),
            year(person("V2", XIA), {"2014-03": ["visits"], "2014-04": ["visits"]}),
        ],
        "bureaus": [  # the rules list 武城县局 and not 夏津县局: never by character code
            {"bureau": WU, "stars": {"2014-03": 2, "2014-04": 3}, "total": 5, **pending},
            {"bureau": XIA, "stars": {"2014-03": 2, "2014-04": 2}, "total": 4, **pending},
        ],
    }


def test_history_filters(db: str) -> None:
    one = run_json("history", "--officer", "006", "--db", db)["officers"]
    assert [(o["officer_id"], o["under_minimum"]) for o in one] == [("006", ["2014-03", "2014-04"])]
    xia = run_json("history", "--bureau", XIA, "--db", db)
    assert [o["officer_id"] for o in xia["officers"]] == ["002", "006", "V2"]
    assert [b["bureau"] for b in xia["bureaus"]] == [XIA]


def test_runs_json(db: str, rules: RuleSet) -> None:
    def entry(run: int, month: str, minute: int, command: str, officers: int) -> dict[str, Any]:
        day = "2014-04-02" if month == "2014-03" else "2014-05-02"
        short = {  # the stars short of candidates: (key, label, how many qualified)
            "2014-03": [
                ("mediation", "纠纷调解之星", 1),
                ("investigation", "侦查破案之星", 0),
                ("information", "信息采集之星", 1),
                ("service", "服务群众之星", 0),
            ],
            "2014-04": [
                ("investigation", "侦查破案之星", 0),
                ("information", "信息采集之星", 0),
                ("service", "服务群众之星", 1),
            ],
        }[month]
        notes = [f"{label}：符合条件的候选人 {n} 人，少于名额 2 人" for _, label, n in short]
        note_codes = [
            {
                "code": "short-of-quota",
                "params": {"star": key, "label": label, "count": n, "quota": 2},
                "text": text,
            }
            for (key, label, n), text in zip(short, notes, strict=True)
        ]
        return {
            "run": run,
            "month": month,
            "rules": rules.path,
            "rules_sha256": rules.sha256,
            "tool_version": "0.1.0",
            "started": f"{day}T09:{minute:02d}:00+08:00",
            "recorded": f"{day}T09:{minute + 1:02d}:00+08:00",
            "command_line": f"fivestar evaluate {month} {command}/",
            "report": f"fivestar-{month}.xlsx",
            "counts": {"read": officers + 2, "evaluated": officers, "rejected": 1, "skipped": 1},
            "inputs": 1,
            "officers": officers,
            "winners": 4 if month == "2014-03" else 5,
            "issues": 1,
            "notes": notes,
            "note_codes": note_codes,
            "bureaus": [XIA, WU],
            "latest": run != 2,
        }

    assert run_json("runs", "--db", db) == {
        "runs": [
            entry(1, "2014-03", 0, "march", 5),
            entry(2, "2014-04", 0, "draft", 9),
            entry(3, "2014-04", 30, "april", 9),
        ]
    }


def test_latest_run_is_read_and_run_reads_an_older_one(db: str) -> None:
    def mediators(*args: str) -> list[tuple[int, str, bool]]:
        ranking = run_json("report", "--star", "mediation", "--db", db, *args)["ranking"]
        return [(e["rank"], e["officer_id"], e["named"]) for e in ranking]

    assert mediators() == [(1, "001", True), (2, "002", True), (3, "003", False)]
    assert mediators("--month", "2014年4月") == mediators()
    assert mediators("--run", "2") == [(1, "003", True), (2, "001", True), (3, "002", False)]
    assert mediators("--run", "1") == [(1, "001", True)]


def test_report_every_star_and_a_bureau(db: str) -> None:
    report = run_json("report", "--db", db)
    assert (report["month"], report["run"]) == ("2014-04", 3)
    keys = ["visits", "mediation", "investigation", "information", "service"]
    assert [s["star"] for s in report["stars"]] == keys
    xia = run_json("report", "--star", "mediation", "--bureau", XIA, "--db", db)
    assert [(e["rank"], e["officer_id"]) for e in xia["ranking"]] == [(2, "002")]
    assert xia["near_misses"] == []


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "--month", "2014-05"],
            "no run for 2014-05 in {db}; months stored: 2014-03, 2014-04",
        ),
        (
            ["explain", "999"],
            "no officer 999 in 2014-04 (run 3), nor in any month stored; 9 officers in this run",
        ),
        (
            ["explain", "003", "--month", "2014-03"],
            "no officer 003 in 2014-03 (run 1); this officer is stored for: 2014-04",
        ),
        (
            ["report", "--star", "stars"],
            "no star 'stars' in 2014-04 (run 3); "
            "stars: visits (入户走访之星), mediation (纠纷调解之星), investigation (侦查破案之星), "
            "information (信息采集之星), service (服务群众之星)",
        ),
        (["report", "--run", "7"], "no run 7 in {db}; runs stored: 1-3"),
        (["report", "--run", "1", "--month", "2014-04"], "run 1 is of 2014-03, not 2014-04"),
        (
            ["report", "--bureau", "德城区局"],
            "no bureau '德城区局' in 2014-04 (run 3); bureaus: 夏津县局, 武城县局",
        ),
        (["history", "--year", "2013"], "no runs for 2013 in {db}; years stored: 2014"),
        (["history", "--officer", "999"], "no officer 999 in 2014; 9 officers stored"),
        (
            ["report", "--month", "April"],
            "month 'April' is not a month: write it as 2014-04, 2014年4月 or 201404",
        ),
        (["report", "--out", "x.pdf"], "--out x.pdf: write the report as .xlsx or .csv"),
    ],
)
def test_not_in_the_store_is_one_line_and_exit_2(db: str, args: list[str], message: str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"fivestar: error: {message.format(db=db)}\n"


@pytest.mark.usefixtures("english")
def test_missing_store_is_not_created(location: str, backend: str) -> None:
    result = run("runs", "--db", location)
    assert result.exit_code == 2
    where = "at" if backend == "sqlite" else "in"
    assert result.stderr.startswith(f"fivestar: error: no results store {where} {location}:")
    assert result.stderr.count("\n") == 1
    if backend == "sqlite":
        assert not Path(location).exists()


def test_csv_neutralizes_formulas(db: str, tmp_path: Path) -> None:
    out = tmp_path / "mediation.csv"
    assert run("report", "--star", "mediation", "--out", out, "--json", "--db", db).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["评选项目", "类别", "排名", "警号", "姓名"]
    names = {row[3]: row[4] for row in rows[1:]}
    assert names["005"] == "'" + FORMULA_NAME
    assert names["001"] == "民警001"
    assert [row[7] for row in rows[1:4]] == ["当选", "当选", "符合条件"]
    for start in ("=", "+", "-", "@", "\t"):
        assert neutralize(f"{start}1+1") == f"'{start}1+1"
    assert neutralize("\r1+1") == "\ufffd1+1"  # a carriage return is not let through at all
    assert neutralize("民警") == "民警"
    assert neutralize(3) == 3


def test_xlsx_report_keeps_text_as_text(db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = run("report", "--out", out, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert f"已写出：{out}" in result.stdout
    book = load_workbook(out)
    assert book.sheetnames[:2] == ["评选结果", "公示"]  # the month's whole report again
    cells = [c for row in book["纠纷调解之星"].iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)


def test_history_xlsx_has_a_column_chart(db: str, tmp_path: Path) -> None:
    out = tmp_path / "history.xlsx"
    assert run("history", "--year", "2014", "--out", out, "--db", db).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert '<c:barDir val="col"/>' in chart
    assert chart.count("<c:ser>") == 2  # one series per county bureau
    book = load_workbook(out)
    assert book.sheetnames == ["年度明细", "县局统计", "各星当选", "未达标"]
    bureau = book["县局统计"]
    assert bureau["A1"].value == "德州市公安局2014年度“五星”社区民警评选（县局统计）"
    assert [c.value for c in bureau[2]] == ["县局", "2014-03", "2014-04", "合计"]
    # the rules list 武城县局 (not 夏津县局): it comes first, not by character code
    assert [c.value for c in bureau[3]] == [WU, 2, 3, 5]
    assert [c.value for c in bureau[4]] == [XIA, 2, 2, 4]


def test_terminal_output(db: str) -> None:
    report = run("report", "--star", "mediation", "--db", db)
    assert report.exit_code == 0
    assert "当选" in report.stdout
    assert "还差 8 户" in report.stdout
    explain = run("explain", "005", "--db", db)
    assert explain.exit_code == 0
    assert "还差 8 户" in explain.stdout
    history = run("history", "--db", db)
    assert history.exit_code == 0
    assert "多次未达标" in history.stdout
    march = run("report", "--star", "visits", "--month", "2014-03", "--db", db)
    # 001 qualified, 3rd for visits, and was named for mediation, a later star: the rank
    # kept 001 out of visits, not the later star
    assert "001" in march.stdout and "已获评" not in march.stdout
    runs = run("runs", "--db", db)
    assert runs.exit_code == 0
    assert "2014-04" in runs.stdout
