"""`fivestar compare` and `fivestar rules diff` on the sample data (SQLite store)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DEFAULT_RULES, ROOT, SampleStore, run_cli
from tests.fairness.helpers import dezhou_text, with_fairness, write

SAMPLE = ROOT / "sample_data"


def r100_text() -> str:
    """The Dezhou rules with the visits threshold (gate and visits star) raised to 100."""
    text = dezhou_text()
    raised = text.replace(
        '{ metric = "visits", op = ">=", value = 80 }',
        '{ metric = "visits", op = ">=", value = 100 }',
    )
    assert raised.count("value = 100 }") >= 2
    return raised


@pytest.fixture(scope="module")
def stored(
    tmp_path_factory: pytest.TempPathFactory, sample_store: SampleStore
) -> tuple[Path, Path]:
    """A store holding the sample's March and April as evaluated (compare only reads it), and
    the r100 rules file."""
    return sample_store.db, write(tmp_path_factory.mktemp("compare") / "r100.toml", r100_text())


def winners(evaluate_json: dict[str, object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for w in evaluate_json["winners"]:  # type: ignore[attr-defined]
        found.setdefault(w["star"], []).append(w["officer_id"])
    return found


def test_compare_names_exactly_what_evaluate_names(
    stored: tuple[Path, Path], tmp_path: Path
) -> None:
    db, r100 = stored
    code, out, err = run_cli("compare", "2014-04", "--rules", r100, "--db", db, "--json")
    assert code == 0, err
    got = json.loads(out)
    assert set(got) == {"month", "base", "new", "stars", "changed"}
    assert got["month"] == "2014-04"
    assert got["base"]["rules"].endswith("dezhou-2014.toml")  # the rules the run used
    assert got["new"]["rules"] == str(r100)
    # the stored run's winners, and evaluate's under the new rules, star by star
    code, out, _ = run_cli("report", "--db", db, "--month", "2014-04", "--json")
    stored_winners = {
        s["star"]: [e["officer_id"] for e in s["ranking"] if e["named"]]
        for s in json.loads(out)["stars"]
    }
    code, out, err = run_cli(
        "evaluate", "2014-04", SAMPLE / "2014-04", "--rules", r100, "--json",
        "--db", tmp_path / "other.db", "--out", tmp_path / "r100.xlsx",
    )  # fmt: skip
    assert code == 0, err
    new_winners = winners(json.loads(out))
    for star in got["stars"]:
        assert star["before"] == stored_winners[star["star"]]
        assert star["after"] == new_winners.get(star["star"], [])
        assert star["gained"] == [i for i in star["after"] if i not in star["before"]]
        assert star["lost"] == [i for i in star["before"] if i not in star["after"]]
        assert star["qualified_after"] <= star["qualified_before"]
    assert got["stars"] != [] and any(s["lost"] for s in got["stars"])
    # every officer whose outcome changes is listed, with the criterion that decided it
    moved = {i for s in got["stars"] for i in [*s["gained"], *s["lost"]]}
    assert {c["officer_id"] for c in got["changed"]} == moved
    lost = [c for c in got["changed"] if c["before"] and not c["after"]]
    assert lost and all(re.search(r"入户走访户数 \d+，还差 \d+ 户", c["why"]) for c in lost)
    gained = [c for c in got["changed"] if c["after"] and not c["before"]]
    assert all("新规则下当选" in c["why"] for c in gained)


def test_compare_terminal_and_workbook(stored: tuple[Path, Path], tmp_path: Path) -> None:
    db, r100 = stored
    out_path = tmp_path / "diff.xlsx"
    code, out, err = run_cli("compare", "2014-04", "--rules", r100, "--db", db, "--out", out_path)
    assert code == 0, err
    assert "结果变化的民警" in out and "新规则下落选" in out and "已写出" in out
    book = load_workbook(out_path)
    assert book.sheetnames == [
        "比较总览", "入户走访之星", "纠纷调解之星", "侦查破案之星", "信息采集之星", "服务群众之星",
    ]  # fmt: skip
    sheet = book["比较总览"]
    # printable as the other reports: A4 landscape, one page wide, the header repeated
    assert sheet.print_title_rows and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.orientation == "landscape"
    texts = [str(c.value) for row in book["纠纷调解之星"].iter_rows() for c in row if c.value]
    assert "落选" in texts


def test_compare_with_files_matches_the_store(stored: tuple[Path, Path]) -> None:
    db, r100 = stored
    args = ("compare", "2014-04", "--rules", r100, "--db", db, "--json")
    _, from_store, _ = run_cli(*args)
    code, from_files, err = run_cli(*args[:2], SAMPLE / "2014-04", *args[2:])
    assert code == 0, err
    assert json.loads(from_files)["stars"] == json.loads(from_store)["stars"]


def test_compare_range_per_bureau(stored: tuple[Path, Path], tmp_path: Path) -> None:
    db, r100 = stored
    args = ("compare", "--from", "2014-03", "--to", "2014-04", "--rules", r100, "--db", db)
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    got = json.loads(out)
    assert [m["month"] for m in got["months"]] == ["2014-03", "2014-04"]
    before = sum(b["before"] for b in got["bureaus"])
    after = sum(b["after"] for b in got["bureaus"])
    assert before == sum(len(s["before"]) for m in got["months"] for s in m["stars"])
    assert after == sum(len(s["after"]) for m in got["months"] for s in m["stars"])
    assert any(b["after"] < b["before"] for b in got["bureaus"])
    assert any(s["short_after"] > s["short_before"] for s in got["stars"])
    out_path = tmp_path / "range.xlsx"
    code, out, err = run_cli(*args, "--out", out_path)
    assert code == 0, err
    assert "各县局当选人次" in out
    book = load_workbook(out_path)
    assert book.sheetnames[0] == "县局比较"
    assert len(book["县局比较"]._charts) == 1


def test_compare_bad_input(stored: tuple[Path, Path], tmp_path: Path) -> None:
    db, r100 = stored
    bad = write(tmp_path / "bad.toml", dezhou_text().replace("quota = 2", "quota = 0", 1))
    code, _, err = run_cli("compare", "2014-04", "--rules", bad, "--db", db)
    assert code == 2 and "bad.toml" in err and "quota" in err
    code, _, err = run_cli("compare", "2014-05", "--rules", r100, "--db", db)
    assert code == 2 and "2014-05" in err and "2014-03、2014-04" in err
    code, _, err = run_cli("compare", "2014-04", "--rules", DEFAULT_RULES, "--db", db)
    assert code == 2 and "规则相同，无差异" in err
    code, _, err = run_cli(
        "compare", "--from", "2014-02", "--to", "2014-04", "--rules", r100, "--db", db
    )
    assert code == 2 and "2014-02" in err and "区间不连续" in err
    code, _, err = run_cli("compare", "2014-04", "--db", db)
    assert code == 2 and "--rules" in err


def test_rules_diff_in_words(tmp_path: Path) -> None:
    r100 = write(tmp_path / "r100.toml", r100_text())
    code, out, err = run_cli("rules", "diff", DEFAULT_RULES, r100)
    assert code == 0, err
    assert "入户走访之星：入户走访户数 80 → 100" in out
    assert "“五星”评选资格：入户走访户数 80 → 100" in out
    code, out, _ = run_cli("rules", "diff", r100, r100)
    assert code == 0 and "规则相同，无差异" in out


def test_rules_diff_quota_rank_keys_fairness_month(tmp_path: Path) -> None:
    text = dezhou_text().replace('effective_from = "2014-01"', 'effective_from = "2015-01"')
    text = text.replace('rank_by = ["info_leads"]', 'rank_by = ["info_leads", "visits"]')
    text = text.replace("total = 10 ", "total = 11 ")
    marker = 'quota = 2\nrank_by = ["services_ok"'
    assert marker in text
    text = text.replace(marker, 'quota = 3\nrank_by = ["services_ok"')
    new = write(tmp_path / "new.toml", with_fairness("bureau_cap = 1\ncooldown_months = 2", text))
    code, out, err = run_cli("rules", "diff", DEFAULT_RULES, new, "--json")
    assert code == 0, err
    lines = json.loads(out)["differences"]
    assert "施行月份：2014-01 → 2015-01" in lines
    assert "每月评选总人数：10 → 11" in lines
    assert "服务群众之星：名额 2 人 → 3 人" in lines
    assert "信息采集之星：排名依据 线索信息条数 → 线索信息条数、入户走访户数" in lines
    assert "每个县局每项最多：不限 → 1 名" in lines
    assert "冷却期：无 → 2 个月" in lines


def test_rules_diff_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", "name = 1\n")
    code, _, err = run_cli("rules", "diff", DEFAULT_RULES, bad)
    assert code == 2 and "bad.toml" in err
