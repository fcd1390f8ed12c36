"""Errors at the edge, in the clerk's language: the core raises errors that carry a message
template and its facts and names no command-line flag; only cli/failures words them, with
the flag typed, in Chinese by default and in English with FIVESTAR_LANG=en."""

from __future__ import annotations

import ast
import json
import pickle
import re
from pathlib import Path

import pytest

from fivestar import i18n
from fivestar.cli.failures import words
from fivestar.errors import (
    NOT_OURS,
    OUT,
    OutputRefused,
    StoreError,
    StoreMissing,
    StrictRefused,
    UsageError,
)
from fivestar.findings import Issue
from fivestar.issues import message
from tests.conftest import ROOT, run_cli

SRC = ROOT / "src" / "fivestar"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")

# Texts of the core that may name a flag, and why: a data issue's advice to the clerk (the
# workbook's 数据问题 sheet says which option fixes it) and a printed form's instruction.
ALLOWED = {
    "issues.py": {
        "cannot decode with encoding {encoding} (at byte {at}): check --encoding",
        "the file unpacks too large ({size}, limit {limit}, see --max-unpacked): possibly "
        "damaged or malicious (zip bomb)",
        "the file's encoding is not recognised (tried UTF-8, GB18030): name it with "
        "--encoding, e.g. --encoding big5",
        "; add --recursive for sub-folders",
        # docs/ISSUES.md's introduction
        "Every data issue (报告的「数据问题」表、`--json` 的 `issues`) carries a stable `code`",
        "(under `--lang en`, `--json` gives the English). Scripts should key on `code` and",
    },
    "exclusion_form.py": {"填好后运行：fivestar exclude 月份 --from 本文件"},
    # docs/REASONS.md's introduction, made in engine/reasons.py
    "reasons.py": {
        "`params`. `--json` gives them as `reason_codes` (and `gap_codes`): `code`, `params`",
        "报告中为中文，终端与 `--json` 随界面语言。",
    },
    # docs/NOTES.md's introduction, made in engine/notes.py
    "notes.py": {
        "评选结果 sheet below the winners. `--json` (`evaluate`, `runs`) gives them as `notes`,",
        "报告中为中文，终端与 `--json` 随界面语言。",
    },
}


def _texts(tree: ast.Module) -> list[tuple[int, str]]:
    """Every string the module holds (f-strings' literal parts too), docstrings left out."""
    docstrings = {
        id(body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and (body := node.body)
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_core_message_names_a_flag() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] == "cli":
            continue
        allowed = ALLOWED.get(path.name, set())
        for line, text in _texts(ast.parse(path.read_text(encoding="utf-8"))):
            if FLAG.search(text) and not any(text in a or a in text for a in allowed):
                found.append(f"{path.relative_to(SRC)}:{line}: {text!r}")
    assert found == []


def test_an_error_is_english_for_the_library_and_in_the_sessions_language_for_the_clerk() -> None:
    err = StoreMissing("fivestar.db")
    assert str(err) == "no results store at fivestar.db: `fivestar evaluate` records one"
    assert words(err) == (
        "fivestar.db 处没有结果库：先运行 `fivestar evaluate` 生成"
        "（或用 --db 指定文件路径或数据库地址）"
    )
    with i18n.speaking("en"):
        assert words(err) == (
            "no results store at fivestar.db: `fivestar evaluate` records one "
            "(or give --db PATH or URL)"
        )


def test_an_option_fact_is_a_flag_only_at_the_edge(tmp_path: Path) -> None:
    from fivestar.report.compare import export_comparison

    with pytest.raises(UsageError) as caught:
        export_comparison(tmp_path / "x.csv", None)  # type: ignore[arg-type]
    err = caught.value
    path = tmp_path / "x.csv"
    assert "--" not in str(err)
    assert str(err) == f"the output path {path}: write the comparison as .xlsx"
    assert words(err) == f"--out {path}：规则比较请保存为 .xlsx"
    assert err.words("zh") == f"输出路径 {path}：规则比较请保存为 .xlsx"
    with i18n.speaking("en"):
        assert words(err) == f"--out {path}: write the comparison as .xlsx"


def test_clauses_and_lists_follow_the_language() -> None:
    from fivestar.queries.lookup import bureaus_hint

    hint = bureaus_hint("武城", ["武城县局", "夏津县局"])
    err = UsageError("no bureau {bureau!r} in {year}; {hint}", bureau="武城", year=2014, hint=hint)
    assert (
        str(err) == "no bureau '武城' in 2014; bureaus: 夏津县局, 武城县局; did you mean 武城县局?"
    )
    assert err.words("zh") == "2014 年没有「武城」；县局：夏津县局、武城县局；是否要找 武城县局？"


def test_a_refused_path_names_the_flag_it_came_from(tmp_path: Path) -> None:
    path = tmp_path / "武城县局.xlsx"
    err = OutputRefused(path, NOT_OURS, OUT)
    assert str(err) == f"{path} would replace a file fivestar did not write"
    assert words(err) == (
        f"--out {path} 会覆盖一个不是 fivestar 生成的文件："
        "请用 --out 另指定文件名，或先把该文件移走"
    )


def test_strict_names_the_first_issue_in_the_sessions_language() -> None:
    issue = Issue.of(message("officer-id-blank"), "a.xlsx", sheet="Sheet1", row=3)
    err = StrictRefused([issue])
    assert "--" not in str(err)
    assert words(err) == (
        "--strict：有 1 个数据问题，未写入任何文件；第一个：a.xlsx Sheet1 第3行：警号为空"
    )
    with i18n.speaking("en"):
        assert words(err) == (
            "--strict: 1 data issue(s), nothing written; "
            "first: a.xlsx, sheet Sheet1, row 3: the officer ID is blank"
        )


def test_an_error_sent_from_the_recorder_keeps_its_template() -> None:
    # the recording process sends its error back pickled
    err = StoreError("cannot record the run: {reason}", reason="disk full")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is StoreError and str(back) == str(err)
    assert back.words("zh") == "无法记录本次评选：disk full"
    missing = pickle.loads(pickle.dumps(StoreMissing("x.db", empty_database=True)))
    assert missing.empty_database and words(missing).startswith("x.db 中没有结果库")


def test_an_issue_reads_in_both_languages_and_its_reason_stays_chinese() -> None:
    issue = Issue.of(message("not-a-count", label="入户走访户数", value="十二"), "a.xlsx", row=3)
    assert issue.reason == "入户走访户数 应为非负整数：十二"  # the workbooks' and the store's
    assert issue.to_dict()["reason"] == issue.reason
    with i18n.speaking("en"):
        assert issue.words() == "入户走访户数 must be a whole number of at least 0: 十二"
        assert issue.to_dict()["reason"] == issue.words()
        assert issue.reason == "入户走访户数 应为非负整数：十二"


def test_a_clerks_mistakes_read_in_chinese_and_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "none.db"
    code, stdout, stderr = run_cli("report", "--db", db)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fivestar: 错误：{db} 处没有结果库：先运行 `fivestar evaluate` 生成"
        "（或用 --db 指定文件路径或数据库地址）\n"
    )
    code, stdout, stderr = run_cli("report", "--month", "2014-13", "--db", db)
    assert stderr == ("fivestar: 错误：「2014-13」不是月份：请写成 2014-04、2014年4月 或 201404\n")
    monkeypatch.setenv(i18n.ENV, "en")
    code, stdout, stderr = run_cli("report", "--db", db, "--json")
    assert code == 2
    assert json.loads(stdout)["error"] == {
        "code": "store-missing",
        "message": f"no results store at {db}: `fivestar evaluate` records one "
        "(or give --db PATH or URL)",
    }
    code, stdout, stderr = run_cli("report", "--month", "2014-13", "--db", db)
    assert stderr == (
        "fivestar: error: month '2014-13' is not a month: "
        "write it as 2014-04, 2014年4月 or 201404\n"
    )
