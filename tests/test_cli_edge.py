"""The CLI's edge: `--json` equals the library's result, an error under `--json` is one exact
JSON object (with the usual line on stderr and the same exit code), and a star is found by
its key, its label or its short name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fivestar.errors import UnknownStar
from fivestar.evaluate import evaluate_month
from fivestar.rules import RuleSet
from tests.conftest import ROOT, run_cli, run_cli_json

SAMPLE = ROOT / "sample_data" / "2014-04"
STARS = (
    "stars: visits (入户走访之星), mediation (纠纷调解之星), investigation (侦查破案之星), "
    "information (信息采集之星), service (服务群众之星)"
)


def error_of(code: int, stdout: str, stderr: str, prefix: str | None = None) -> dict[str, object]:
    """The `--json` error object, checked against the stderr line and exit code 2."""
    if prefix is None:  # the session's language (the english fixture sets FIVESTAR_LANG)
        prefix = (
            "fivestar: error: " if os.environ.get("FIVESTAR_LANG") == "en" else "fivestar: 错误："
        )
    shown = json.loads(stdout)
    assert code == 2
    assert stderr == f"{prefix}{shown['error']['message']}\n"
    return shown  # type: ignore[no-any-return]


def test_evaluate_json_is_the_librarys_result(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    shown = run_cli_json("evaluate", "2014-04", SAMPLE, "--out", out, "--db", tmp_path / "a.db")
    library = evaluate_month("2014-04", [SAMPLE], out=out, record=True, db=tmp_path / "b.db")
    assert shown == library.to_json()


def test_an_error_with_json_is_an_exact_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "none"
    message = f"2014-04 无可评选的数据：{missing}：文件或文件夹不存在"
    assert error_of(*run_cli("evaluate", "2014-04", missing, "--json")) == {
        "error": {"code": "no-input", "message": message}
    }
    monkeypatch.setenv("FIVESTAR_LANG", "en")
    message = f"nothing to evaluate for 2014-04: {missing}: no such file or folder"
    assert error_of(*run_cli("evaluate", "2014-04", missing, "--json")) == {
        "error": {"code": "no-input", "message": message}
    }


@pytest.mark.usefixtures("english")
def test_a_missing_store_with_json(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    message = (
        f"no results store at {db}: `fivestar evaluate` records one (or give --db PATH or URL)"
    )
    assert error_of(*run_cli("runs", "--json", "--db", db)) == {
        "error": {"code": "store-missing", "message": message}
    }


def test_a_command_line_the_parser_refuses_with_json() -> None:
    assert error_of(*run_cli("evaluate", "--json")) == {
        "error": {"code": "usage", "message": "缺少参数 'MONTH'。（见 fivestar evaluate --help）"}
    }
    english = run_cli("--lang", "en", "evaluate", "--json")
    assert error_of(*english, prefix="fivestar: error: ") == {
        "error": {
            "code": "usage",
            "message": "Missing argument 'MONTH'. (see fivestar evaluate --help)",
        }
    }


@pytest.mark.usefixtures("english")
def test_an_error_without_json_prints_nothing_on_stdout(tmp_path: Path) -> None:
    code, stdout, stderr = run_cli("runs", "--db", tmp_path / "none.db")
    assert (code, stdout) == (2, "")
    assert stderr.startswith("fivestar: error: no results store at ")


@pytest.mark.usefixtures("english")
def test_a_refused_out_names_the_flag_and_its_code(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.xlsx"
    theirs.write_bytes(b"not a report")
    args = ("evaluate", "2014-04", SAMPLE, "--out", theirs, "--db", tmp_path / "s.db", "--json")
    message = (
        f"--out {theirs} would replace a file fivestar did not write: "
        "name another with --out, or move that file away first"
    )
    assert error_of(*run_cli(*args)) == {"error": {"code": "output-refused", "message": message}}
    assert theirs.read_bytes() == b"not a report"


@pytest.mark.parametrize("name", ["mediation", "纠纷调解之星", "纠纷调解", "调解", "Mediation"])
def test_a_star_by_any_of_its_names(rules: RuleSet, name: str) -> None:
    assert rules.find_star(name).key == "mediation"


@pytest.mark.parametrize(
    ("name", "close"),
    [("mediaton", ("mediation",)), ("调节之星", ("纠纷调解之星",)), ("之星", ()), ("xyz", ())],
)
def test_an_unknown_star_says_what_is_near(
    rules: RuleSet, name: str, close: tuple[str, ...]
) -> None:
    with pytest.raises(UnknownStar) as raised:
        rules.find_star(name, "2014-04")
    assert raised.value.close == close
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    assert str(raised.value) == f"no star {name!r} in 2014-04; {STARS}{hint}"


@pytest.mark.usefixtures("english")
def test_report_and_exclude_take_a_star_by_label_or_short_name(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_cli_json("evaluate", "2014-04", SAMPLE, "--out", tmp_path / "r.xlsx", "--db", db)
    by_key = run_cli_json("report", "--star", "mediation", "--db", db)
    assert by_key["star"] == "mediation"
    for name in ("纠纷调解之星", "调解"):
        assert run_cli_json("report", "--star", name, "--db", db) == by_key
    excluded = run_cli_json(
        "exclude", "2014-04", "037148105", "--star", "调解", "--reason", "投诉", "--db", db
    )
    assert excluded["entries"][0]["star"] == "mediation"
    message = f"no star 'mediaton' in 2014-04 (run 1); {STARS}; did you mean mediation?"
    shown = error_of(*run_cli("report", "--star", "mediaton", "--db", db, "--json"))
    assert shown == {"error": {"code": "unknown-star", "message": message}}
