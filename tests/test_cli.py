"""The command line through Typer's CliRunner: exact JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DEFAULT_RULES, ROOT, TWO_COUNTIES_READ, two_counties
from tests.conftest import run_cli as run

SAMPLE = ROOT / "sample_data" / "2014-04"
HEADER = (
    "警号,姓名,县局,派出所,岗位,月份,入户走访户数,人号一致率,入户走访率,群众满意率,"
    "调解纠纷数,调解成功数,回访满意数"
)


EXPECTED_WINNERS = [
    ("visits", 1, "371428001", "薛翠翠", "武城县局", False),
    ("visits", 2, "371422003", "李树华", "宁津县局", False),
    ("mediation", 1, "037148105", "苏振", "乐陵市局", False),
    ("mediation", 2, "371402011", "刘红梅", "德城分局", False),
    ("investigation", 1, "371421002", "高广金", "陵县局", False),
    ("investigation", 2, "371422007", "张广峰", "宁津县局", False),
    ("information", 1, "371402003", "王祥文", "德城分局", False),
    ("information", 2, "037148118", "杨晓东", "乐陵市局", True),
    ("information", 2, "371421013", "董振华", "陵县局", True),
    ("service", 1, "371426004", "姚强", "平原县局", False),
    ("service", 2, "371402030", "陈海涛", "德城分局", False),
]


TIE_NOTE = "信息采集之星：并列，名额 2 人，评出 3 人"
TOTAL_NOTE = "本月评出 11 人，多于 10 人：并列者均予评选"


def test_evaluate_sample_month_json(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    code, stdout, stderr = run(
        "evaluate", "2014-04", str(SAMPLE), "--rules", str(DEFAULT_RULES), "--out", str(out),
        "--json",
    )  # fmt: skip
    assert (code, stderr) == (0, "")
    assert json.loads(stdout) == {
        "month": "2014-04",
        "rules": str(DEFAULT_RULES),
        "report": str(out),
        "scope": "city",  # the rules' six bureaus: the city's result
        "winners": [
            dict(zip(["star", "rank", "officer_id", "name", "bureau", "tied"], w, strict=True))
            for w in EXPECTED_WINNERS
        ],
        "counts": {"read": 134, "evaluated": 134, "rejected": 0, "skipped": 0},
        "issues": [],
        "notes": [TIE_NOTE, TOTAL_NOTE],
        "note_codes": [
            {
                "code": "tie-over-quota",
                "params": {"star": "information", "label": "信息采集之星", "quota": 2, "count": 3},
                "text": TIE_NOTE,
            },
            {"code": "over-total", "params": {"named": 11, "total": 10}, "text": TOTAL_NOTE},
        ],
    }
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "评选结果"
    assert {"未达标", "全员明细", "数据问题", "运行信息", "纠纷调解之星"} <= set(book.sheetnames)


def test_month_spellings_are_one_month(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text(HEADER + "\n001,甲,武城县局,城关所,社区民警,2014年4月,90,100,100,100,0,0,0\n")
    for month in ("2014-04", "2014年4月", "201404"):
        code, stdout, _ = run(
            "evaluate", month, str(csv), "--out", str(tmp_path / "r.xlsx"), "--json"
        )
        assert code == 0
        assert json.loads(stdout)["month"] == "2014-04"


def test_rejected_row_gives_exit_1_and_a_located_issue(tmp_path: Path) -> None:
    csv = tmp_path / "wucheng.csv"
    csv.write_text(
        HEADER
        + "\n001,甲,武城县局,城关所,社区民警,2014-04,90,100,100,100,3,5,3"
        + "\n002,乙,武城县局,城关所,社区民警,2014-04,85,100,100,100,0,0,0\n",
        encoding="utf-8",
    )
    code, stdout, stderr = run(
        "evaluate", "2014-04", str(csv), "--out", str(tmp_path / "r.xlsx"), "--json"
    )
    assert (code, stderr) == (1, "")
    payload = json.loads(stdout)
    assert payload["counts"] == {"read": 2, "evaluated": 1, "rejected": 1, "skipped": 0}
    [issue] = payload["issues"]
    assert issue["file"] == str(csv)
    assert issue["row"] == 2
    assert issue["column"] == "调解成功数"
    assert issue["value"] == "5"
    assert "5 > " in issue["reason"]
    assert "3" in issue["reason"]
    assert (tmp_path / "r.xlsx").exists()


def test_strict_writes_nothing_when_a_row_is_rejected(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text(
        HEADER
        + "\n001,甲,武城县局,城关所,社区民警,2014-04,十二,100,100,100,0,0,0"
        + "\n002,乙,武城县局,城关所,社区民警,2014-04,85,100,100,100,0,0,0\n"
    )
    out = tmp_path / "r.xlsx"
    code, stdout, stderr = run("evaluate", "2014-04", str(csv), "--out", str(out), "--strict")
    assert code == 2
    assert stdout == ""
    # the issue listed as a run lists it (wrapped at the screen's width), then the error line
    *listing, error = stderr.splitlines()
    shown = "".join(listing).replace(" ", "")
    assert shown == f"{csv}第2行：入户走访户数应为非负整数：十二".replace(" ", "")
    assert error.startswith("fivestar: 错误：--strict：有 1 个数据问题，未写入任何文件")
    assert not out.exists()
    assert not (tmp_path / "fivestar.db").exists()  # the store is not even created


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate", "2014-13", "x.csv"], "「2014-13」不是月份"),
        (["evaluate", "2014-04", "missing.csv"], "2014-04 无可评选的数据"),
        (
            ["evaluate", "2014-04", "a.csv", "--rules", "nope.toml"],
            "nope.toml：规则文件或文件夹不存在",
        ),
        (["evaluate", "2014-04", "a.xlsx", "--out", "a.xlsx"], "会覆盖输入文件"),
        (["rules", "check", "bad.toml"], "bad.toml 第 1 行：color：此处没有这个键（未知的键）"),
    ],
)
def test_errors_are_one_line_with_exit_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.csv").write_text(
        HEADER + "\n001,甲,武城县局,城关所,社区民警,2014-04,90,100,100,100,0,0,0\n"
    )
    Path("bad.toml").write_text("color = 1\n" + DEFAULT_RULES.read_text(encoding="utf-8"))
    code, stdout, stderr = run(*args)
    assert code == 2
    assert stdout == ""
    assert stderr.startswith("fivestar: 错误：")
    assert message in stderr
    assert stderr.count("\n") == 1


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fivestar", "--debug", "evaluate", "2014-13", "x.csv"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Traceback" in done.stderr
    assert "fivestar.errors.UsageError: " in done.stderr


def test_rules_check_and_show() -> None:
    code, stdout, _ = run("rules", "check", str(DEFAULT_RULES))
    assert code == 0
    assert stdout == f"规则检查通过：{DEFAULT_RULES}（自 2014-01 起施行）\n"
    code, stdout, _ = run("rules", "show", str(DEFAULT_RULES))
    assert code == 0
    for label in ("入户走访之星", "纠纷调解之星", "侦查破案之星", "信息采集之星", "服务群众之星"):
        assert label in stdout
    code, stdout, _ = run("rules", "show", str(DEFAULT_RULES), "--json")
    [shown] = json.loads(stdout)
    assert [s["key"] for s in shown["stars"]] == [
        "visits", "mediation", "investigation", "information", "service",
    ]  # fmt: skip


def test_terminal_summary_shows_winners_and_counts(tmp_path: Path) -> None:
    code, stdout, _ = run("evaluate", "2014-04", str(SAMPLE), "--out", str(tmp_path / "r.xlsx"))
    assert code == 0
    assert "薛翠翠" in stdout
    assert "读取 134 行：评估 134，拒绝 0，跳过 0" in stdout


def test_version_does_not_import_pandas() -> None:
    probe = (
        "import sys; from fivestar.cli import main; sys.argv = ['fivestar', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["fivestar 0.1.0", "False"]


def test_per_file_reports_beside_the_combined_one(tmp_path: Path) -> None:
    out = tmp_path / "city.xlsx"
    code, _, _ = run("evaluate", "2014-04", str(SAMPLE), "--out", str(out), "--per-file")
    assert code == 0
    written = sorted(p.name for p in tmp_path.glob("city-*.xlsx"))
    assert written == sorted(f"city-{p.stem}.xlsx" for p in SAMPLE.iterdir())
    county = load_workbook(tmp_path / "city-武城县局.xlsx", read_only=True)
    winners = [row[3] for row in county["评选结果"].iter_rows(values_only=True) if row[2]]
    assert "薛翠翠" in winners


def test_unwritable_report_is_one_line_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "r.xlsx"
    code, stdout, stderr = run("evaluate", "2014-04", str(SAMPLE), "--out", str(out))
    assert (code, stdout) == (2, "")
    assert stderr.startswith(f"fivestar: 错误：无法写入报告 {out}")
    assert stderr.count("\n") == 1


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fivestar", "rules", "check", str(DEFAULT_RULES)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (
        0,
        f"规则检查通过：{DEFAULT_RULES}（自 2014-01 起施行）\n",
    )


def test_template_writes_an_input_workbook_the_reader_accepts(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    code, stdout, _ = run("template", "--out", str(out))
    assert (code, stdout) == (0, f"已写出：{out}\n")
    book = load_workbook(out, read_only=True)
    assert "填表说明" in book.sheetnames
    code, stdout, stderr = run("evaluate", "2014-04", str(out), "--out", str(tmp_path / "r.xlsx"))
    assert code == 2  # only the example row: nothing to evaluate, and it is not a data issue
    assert "2014-04 无可评选的数据" in stderr


def test_report_ends_with_stars_per_bureau(tmp_path: Path) -> None:
    code, _, _ = run("evaluate", "2014-04", str(SAMPLE), "--out", str(tmp_path / "r.xlsx"))
    assert code == 0
    code, stdout, _ = run("report")
    assert code == 0
    tail = stdout[stdout.index("各县局当选人数") :].splitlines()
    assert tail[1:3] == ["德城分局 ██████ 3", "乐陵市局 ████ 2"]
    assert len(tail) == 7  # the heading and the six county bureaus


def test_rerun_in_the_input_folder_leaves_earlier_reports_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(two_counties(tmp_path / "in"))
    for _ in range(2):  # the second run finds the first run's reports beside the inputs
        code, stdout, _ = run("evaluate", "2014-04", ".", "--per-file", "--json")
        assert code == 0
        assert json.loads(stdout)["counts"]["read"] == TWO_COUNTIES_READ


def test_report_over_an_input_found_in_a_folder_is_refused(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    target = folder / "平原县局.csv"
    before = target.read_bytes()
    xlsx = folder / "武城县局.xlsx"
    code, _, stderr = run("evaluate", "2014-04", str(folder), "--out", str(xlsx))
    assert code == 2
    assert "会覆盖输入文件" in stderr
    code, _, stderr = run("evaluate", "2014-04", str(folder), "--out", str(tmp_path / "r.csv"))
    assert (code, "文件名请以 .xlsx 结尾" in stderr) == (2, True)
    assert target.read_bytes() == before


def test_per_file_names_stay_apart_when_stems_repeat(tmp_path: Path) -> None:
    from openpyxl import Workbook

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "平原县局.csv").write_text(
        HEADER + "\n001,甲,平原县局,城关所,社区民警,2014-04,90,100,100,100,0,0,0\n"
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(
        ["002", "乙", "平原县局", "城关所", "社区民警", "2014-04", 90, 100, 100, 100, 0, 0, 0]
    )
    book.save(folder / "平原县局.xlsx")
    out = tmp_path / "r.xlsx"
    code, _, _ = run("evaluate", "2014-04", str(folder), "--per-file", "--out", str(out))
    assert code == 0
    assert sorted(p.name for p in tmp_path.glob("r-*.xlsx")) == [
        "r-平原县局-csv.xlsx",
        "r-平原县局-xlsx.xlsx",
    ]
