"""The fairness options in the rules file: validated on load, shown by `rules show`, and a
passed-over officer's reason printed on the star's sheet of the report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from fivestar.engine import evaluate
from fivestar.errors import RulesError
from fivestar.model import RunResult
from fivestar.report import write_report
from tests.conftest import officer, run_cli, table
from tests.fairness.helpers import ruleset, with_fairness, write


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("bureau_cap = 0", "fairness.bureau_cap"),
        ("bureau_cap = 1.5", "fairness.bureau_cap"),
        ("cooldown_months = -1", "fairness.cooldown_months"),
        ('cooldown_months = "2"', "fairness.cooldown_months"),
        ("cap = 1", "fairness.cap: no such key here"),
    ],
)
def test_bad_fairness_options_are_refused_on_load(extra: str, expected: str) -> None:
    with pytest.raises(RulesError, match=expected.replace(".", r"\.")):
        ruleset(with_fairness(extra))


def test_rules_show_lists_the_fairness_options(tmp_path: Path) -> None:
    path = write(tmp_path / "fair.toml", with_fairness("bureau_cap = 1\ncooldown_months = 2"))
    code, out, err = run_cli("rules", "show", path)
    assert code == 0, err
    assert "每个县局每项最多 1 名" in out and "冷却期 2 个月" in out
    code, out, _ = run_cli("rules", "show", "--json", path)
    assert '"fairness": {"bureau_cap": 1, "cooldown_months": 2}' in out


def test_rules_show_says_none_for_the_dezhou_rules() -> None:
    code, out, _ = run_cli("rules", "show", "rules/dezhou-2014.toml")
    assert code == 0 and "公平性选项：无" in out


def test_star_sheet_prints_why_a_qualifier_was_passed_over(tmp_path: Path) -> None:
    capped = ruleset(with_fairness("bureau_cap = 1"))
    frame = table(
        officer("A1", visits=200),
        officer("A2", visits=190),
        officer("B1", visits=150, bureau="夏津县局"),
    )
    path = tmp_path / "fivestar-2014-04.xlsx"
    result = RunResult("2014-04", capped, evaluate(capped, frame, "2014-04"), [], [], path)
    write_report(path, result)
    rows = [
        tuple(r) for r in openpyxl.load_workbook(path)["入户走访之星"].iter_rows(values_only=True)
    ]
    a2 = next(row for row in rows if "A2" in row)
    assert any(isinstance(cell, str) and "每个县局每项最多 1 名" in cell for cell in a2)
    b1 = next(row for row in rows if "B1" in row)
    assert "当选" in b1
