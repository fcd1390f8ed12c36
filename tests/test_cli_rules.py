"""Rules shipped with the tool are named "built-in:FILE", never as a path: a local ./rules
file of the same name is named by its path, so the two cannot be mistaken in `rules check`,
the JSON, the report's 运行信息 and the store's record of the run."""

from __future__ import annotations

import hashlib
import json
from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DEFAULT_RULES, ROOT, run_cli

SAMPLE = ROOT / "sample_data" / "2014-04"
BUILT_IN = "built-in:dezhou-2014.toml"
LOCAL = str(Path("rules") / "dezhou-2014.toml")
run = partial(run_cli, columns=200)  # the rules heading on one line


def recorded(report: Path) -> tuple[str, str]:
    """The rules file and its SHA-256 as the report's 运行信息 states them."""
    book = load_workbook(report, read_only=True)
    pairs = {row[0]: row[1] for row in book["运行信息"].iter_rows(values_only=True) if row[0]}
    return str(pairs["规则文件"]), str(pairs["规则 SHA-256"])


def evaluated(out: Path) -> tuple[str, str, str]:
    """(JSON rules, 运行信息 rules, the store's runs record) of one evaluation."""
    code, stdout, stderr = run("evaluate", "2014-04", SAMPLE, "--out", out, "--json")
    assert (code, stderr) == (0, "")
    code, runs, _ = run("runs", "--json")
    assert code == 0
    last = json.loads(runs)["runs"][-1]
    assert last["rules_sha256"] == recorded(out)[1]
    return json.loads(stdout)["rules"], recorded(out)[0], last["rules"]


def test_outside_the_repository_the_built_in_rules_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./rules here
    assert run("rules", "check") == (0, f"规则检查通过：{BUILT_IN}（自 2014-01 起施行）\n", "")
    code, stdout, _ = run("rules", "show", "--json")
    assert code == 0
    assert [r["path"] for r in json.loads(stdout)] == [BUILT_IN]
    code, stdout, _ = run("rules", "show")
    assert f"（{BUILT_IN}，2014-01 起施行）" in stdout
    assert evaluated(tmp_path / "r.xlsx") == (BUILT_IN, BUILT_IN, BUILT_IN)


def test_a_local_rules_file_of_the_same_name_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules").mkdir()
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    Path(LOCAL).write_text(text.replace("value = 80", "value = 81", 1), encoding="utf-8")
    assert run("rules", "check") == (0, f"规则检查通过：{LOCAL}（自 2014-01 起施行）\n", "")
    assert evaluated(tmp_path / "r.xlsx") == (LOCAL, LOCAL, LOCAL)
    # the modified file's own hash, not the built-in one's
    assert (
        recorded(tmp_path / "r.xlsx")[1] != hashlib.sha256(DEFAULT_RULES.read_bytes()).hexdigest()
    )


def test_a_rules_file_given_is_named_as_given() -> None:
    code, stdout, _ = run("rules", "check", DEFAULT_RULES)
    assert (code, stdout) == (0, f"规则检查通过：{DEFAULT_RULES}（自 2014-01 起施行）\n")


def test_an_error_about_the_built_in_rules_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run("rules", "show", "--month", "2013-12")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: 错误：2013-12 没有生效的评选规则：最早的 {BUILT_IN} 自 2014-01 起生效\n"
    )
