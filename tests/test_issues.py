"""The issue-code catalogue: valid, every code used, documented, and carried to --json."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from fivestar import issues
from fivestar.findings import Issue
from fivestar.issues import CATALOGUE, Message, message
from tests.conftest import ROOT
from tests.conftest import run_cli as run

SRC = ROOT / "src" / "fivestar"


def test_every_template_names_exactly_its_declared_params() -> None:
    for code in issues.CODES:
        fields = {f for _, f, _, _ in string.Formatter().parse(code.template) if f}
        data_only = {"other"} if code.code == "month-mismatch" else set()
        assert fields == set(code.params) - data_only, code.code
        assert Message(code.code, dict(code.example)).text  # the example renders


def test_a_template_that_does_not_match_its_params_is_refused_on_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = issues.Code("x-bad", "{label} 为空", ("value",), "", {"value": 1}, "row")
    monkeypatch.setattr(issues, "CODES", (*issues.CODES, bad))
    monkeypatch.setattr(issues, "CATALOGUE", {**CATALOGUE, "x-bad": bad})
    with pytest.raises(AssertionError, match="x-bad"):
        issues._validate()


def test_a_message_needs_a_known_code_and_exactly_its_params() -> None:
    with pytest.raises(KeyError):
        message("no-such-code")
    with pytest.raises(TypeError):
        message("not-a-count", label="入户走访户数")
    assert message("not-a-count", label="走访", value="x").text == "走访 应为非负整数：x"


def test_every_code_is_used_in_the_source() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "issues.py"
    )
    unused = [c for c in CATALOGUE if not re.search(rf"\"{re.escape(c)}\"", source)]
    assert unused == []


def test_docs_issues_md_is_the_catalogue() -> None:
    # regenerate with: python -m fivestar.issues > docs/ISSUES.md
    assert (ROOT / "docs" / "ISSUES.md").read_text(encoding="utf-8") == issues.docs()
    for code in CATALOGUE:
        assert f"## `{code}`" in issues.docs()


def test_json_issues_carry_code_and_params(tmp_path: Path) -> None:
    csv = tmp_path / "武城县局.csv"
    csv.write_text(
        "警号,姓名,所属县局,入户走访户数,群众满意率,月份,岗位\n"
        "371428001,薛翠翠,武城县局,十二,99%,2014-04,社区民警\n"
        "371428002,王五,武城县局,90,120%,2014-04,社区民警\n"
        "371428003,赵六,武城县局,90,99%,2014-03,社区民警\n"
        "371428004,钱七,武城县局,90,99%,2014-04,社区民警\n",
        encoding="utf-8",
    )
    code, out, _ = run("evaluate", "2014-04", csv, "--json", "--out", tmp_path / "r.xlsx")
    assert code == 1
    found = [
        {k: i[k] for k in ("row", "column", "value", "reason", "code", "params")}
        for i in json.loads(out)["issues"]
    ]
    assert found == [
        {"row": 2, "column": "入户走访户数", "value": "十二",
         "reason": "入户走访户数 应为非负整数：十二",
         "code": "not-a-count", "params": {"label": "入户走访户数", "value": "十二"}},
        {"row": 3, "column": "群众满意率", "value": "120%",
         "reason": "群众满意率 120% 超出 0–100%",
         "code": "rate-out-of-range", "params": {"label": "群众满意率", "value": "120%"}},
        {"row": 4, "column": "月份", "value": "2014-03",
         "reason": "月份 2014-03 与评选月份 2014-04 不符",
         "code": "month-mismatch",
         "params": {"label": "月份", "found": "2014-03 ", "month": "2014-04", "other": "2014-03"}},
    ]  # fmt: skip


def test_a_file_issue_has_its_code_in_json(tmp_path: Path) -> None:
    code, out, _ = run(
        "evaluate", "2014-04", tmp_path / "gone.xlsx", ROOT / "sample_data" / "2014-04",
        "--json", "--out", tmp_path / "r.xlsx",
    )  # fmt: skip
    assert code == 1
    (gone,) = [i for i in json.loads(out)["issues"] if i["file"].endswith("gone.xlsx")]
    assert (gone["code"], gone["params"], gone["row"]) == ("not-found", {}, None)


def test_an_issue_made_from_text_alone_is_a_stored_one() -> None:
    issue = Issue(file="a.xlsx", reason="警号为空", row=3)
    assert (issue.code, dict(issue.params)) == ("stored", {"text": "警号为空"})
    assert issue.message.text == "警号为空"


def test_terminal_lists_ten_issues_grouped_by_code_within_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from fivestar.cli import render as terminal

    screen = io.StringIO()
    monkeypatch.setattr(terminal, "out", Console(file=screen, width=80, highlight=False))
    long = "乐陵市局.xlsx Sheet1 第3行；宁津县局.xlsx Sheet1 第5行；武城县局.xlsx Sheet1 第9行"
    blank = [Issue.of(message("officer-id-blank"), file="a.csv", row=r) for r in (2, 4)]
    counts = [
        Issue.of(message("not-a-count", label="入户走访户数", value="十二"), file="a.csv", row=r)
        for r in range(5, 13)
    ]
    dup = Issue.of(message("duplicate-officer", officer_id="1", places=long), file="b.csv", row=3)
    gone = Issue.of(message("not-found"), file="c.xlsx")
    # codes interleaved in the input: listed grouped, in the order each code first appears
    terminal.show_issues([blank[0], *counts[:4], blank[1], *counts[4:], dup, gone])
    assert screen.getvalue().splitlines() == [
        "  a.csv 第2行：警号为空",
        "  a.csv 第4行：警号为空",
        *(f"  a.csv 第{r}行：入户走访户数 应为非负整数：十二" for r in range(5, 13)),
        "  …及另外 2 个，详见报告",
    ]
    screen.seek(0)
    screen.truncate()
    terminal.show_issues([dup, gone])
    lines = screen.getvalue().splitlines()
    assert lines[-1] == "  c.xlsx：文件或文件夹不存在"
    # a long issue is wrapped between words, its further lines indented: nothing cut off
    first, *rest = lines[:-1]
    assert first.startswith("  b.csv 第3行：警号 1 重复：乐陵市局.xlsx")
    assert rest and all(line.startswith("    ") for line in rest)
    assert " ".join(line.strip() for line in lines[:-1]) == f"b.csv 第3行：警号 1 重复：{long}"
    assert max(cell_len(line) for line in lines) <= 80
