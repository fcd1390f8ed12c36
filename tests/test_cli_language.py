"""One language per screen (issue 14): a clerk's session in Chinese shows no English word,
and the same session under `--lang en` shows no Chinese, apart from data.

Data is what the rules and the input write — star names, bureaus, officers, stations, the
input's column names, file names — and what the clerk types: commands, flags, metavars,
paths, codes. The allowed data is built from the rules file and the sample data, never
from the outputs under test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from openpyxl import load_workbook

from fivestar import i18n
from fivestar.cli.app import app
from fivestar.columns import COLUMNS
from fivestar.months import month_label
from tests.conftest import DEFAULT_RULES, ROOT, CliResult, run_cli

SAMPLE = ROOT / "sample_data" / "2014-04"
COUNTY = SAMPLE / "武城县局.xlsx"
OFFICER = "037148105"  # 苏振, named for a star in the sample month

# Technical names a Chinese screen writes in Latin letters, as a Chinese clerk reads them.
TERMS = {"fivestar", "JSON", "CSV", "Excel", "MiB", "UTF-8", "GB18030", "postgresql", "zh", "en"}

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")
_LATIN = re.compile(r"[!-~]+")
_EDGES = "()[]{}<>,.;:'\"`!?…"


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)


def _commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every click command and group under the app, with its path."""
    root = typer.main.get_command(app)
    todo: list[tuple[tuple[str, ...], Any]] = [((), root)]
    while todo:
        path, command = todo.pop(0)
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            todo.append(((*path, name), sub))


@cache
def data_text() -> str:
    """Everything the rules and the sample input write, one string to search in."""
    import tomllib

    from fivestar.deciding import LIST_COLUMNS

    found: list[str] = list(_walk(tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))))
    found += [c.header for c in COLUMNS] + list(LIST_COLUMNS) + [month_label("2014-04")]
    for path in sorted(SAMPLE.iterdir()):
        found.append(path.name)
        if path.suffix == ".csv":
            found.append(path.read_text(encoding="utf-8-sig", errors="replace"))
        elif path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                found.append(sheet.title)
                found += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
            book.close()
    return "\n".join(found)


@cache
def typed_words() -> frozenset[str]:
    """What a clerk types: commands, flags, metavars, choices, star keys."""
    import tomllib

    words = set(TERMS)
    for path, command in _commands():
        words.update(path)
        for param in command.params:
            words.update(param.opts)
            for part in re.split(r"[|\s]", param.metavar or ""):
                words.add(part.strip("[].").removesuffix("..."))
    words.update(("city", "county"))  # the values of --scope
    rules = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    words.update(star["key"] for star in rules["stars"])
    words.update(rules.get("derived", {}))
    return frozenset(w for w in words if w)


def _is_path(token: str) -> bool:
    """A path or file name (t.xlsx, fivestar-2014-04-武城县局.xlsx, built-in:x.toml, ./rules)."""
    return "/" in token or "\\" in token or bool(re.search(r"\w\.[A-Za-z]{2,4}\w*\b", token))


def _is_typed(token: str) -> bool:
    """A flag, a URL, a variable, a placeholder, a number, a typed value: not prose."""
    word = token.strip(_EDGES)
    if not re.search(r"[A-Za-z]", word) or word in typed_words():
        return True
    if re.fullmatch(r"'[^']*'[.。]?", token):  # a value the clerk typed, quoted back
        return True
    starts = ("-", "$", "#", ".")
    if token.startswith(starts) or word.startswith(starts) or "|" in word or "`" in token:
        return True
    return bool(re.fullmatch(r"[A-Z][A-Z0-9_.-]*", word) and word.strip(".") in typed_words())


def english_words(screen: str) -> list[str]:
    """Latin words on a Chinese screen that are neither data nor typed by the clerk."""
    data = data_text()
    found = []
    for token in re.split(r"[\s\u3000-\u303f\uff00-\uffef]+", screen):
        if _is_path(token):
            continue
        found += [
            w for w in _LATIN.findall(token) if not _is_typed(w) and w.strip(_EDGES) not in data
        ]
    return found


def chinese_words(screen: str) -> list[str]:
    """Chinese on an English screen that is not data (a path with a Chinese name is data)."""
    data = data_text()
    prose = " ".join(w for w in screen.split() if not _is_path(w))
    # a table cell may be cut across lines: each piece must still be part of some data
    return [run for run in _CJK.findall(prose) if run not in data]


def foreign(lang: str, screen: str) -> list[str]:
    return english_words(screen) if lang == "zh" else chinese_words(screen)


# --- the session ------------------------------------------------------------------------

# (name, arguments, exit codes accepted). `{tmp}` is the session's own folder.
SESSION: list[tuple[str, list[str], set[int]]] = [
    ("help", ["--help"], {0}),
    ("evaluate help", ["evaluate", "--help"], {0}),
    ("evaluate, the city", ["evaluate", "2014-04", str(SAMPLE), "--out", "{tmp}/city.xlsx"], {0}),
    ("evaluate, one county", ["evaluate", "2014-04", str(COUNTY), "--out", "{tmp}/wc.xlsx"], {0}),
    ("report by a Chinese star name", ["report", "--star", "纠纷调解之星"], {0}),
    ("explain", ["explain", OFFICER], {0}),
    ("history", ["history"], {0}),
    ("runs", ["runs"], {0}),
    ("rules check", ["rules", "check", str(DEFAULT_RULES)], {0}),
    ("rules show", ["rules", "show", str(DEFAULT_RULES)], {0}),
    ("template", ["template", "--out", "{tmp}/t.xlsx"], {0}),
    ("wrong month", ["evaluate", "2014-13", str(SAMPLE), "--out", "{tmp}/x.xlsx"], {2}),
    ("missing file", ["evaluate", "2014-04", "{tmp}/nowhere.xlsx", "--out", "{tmp}/x.xlsx"], {2}),
    ("empty folder", ["evaluate", "2014-04", "{tmp}/empty", "--out", "{tmp}/x.xlsx"], {2}),
    ("no store", ["runs", "--db", "{tmp}/none.db"], {2}),
    ("typo in a command", ["evaulate", "2014-04", str(SAMPLE)], {2}),
    ("typo in an option", ["evaluate", "2014-04", str(SAMPLE), "--recursiv"], {2}),
    ("missing argument", ["evaluate", "2014-04"], {2}),
    ("not a number", ["history", "--year", "abc"], {2}),
    ("template not xlsx", ["template", "--out", "{tmp}/t.csv"], {2}),
]

# The screens checked in both languages: every one. PENDING would list a screen that still
# carries a word of the other language, and why.
CHECKED = {name for name, _args, _codes in SESSION}
PENDING: dict[str, str] = {}


def test_every_screen_of_the_session_is_checked_or_waits_for_its_branch() -> None:
    names = [name for name, _args, _codes in SESSION]
    assert set(names) == CHECKED | set(PENDING)
    assert not CHECKED & set(PENDING)


def run_session(lang: str, tmp: Path) -> dict[str, CliResult]:
    (tmp / "empty").mkdir()
    screens: dict[str, CliResult] = {}
    for name, args, codes in SESSION:
        done = run_cli("--lang", lang, *(a.replace("{tmp}", str(tmp)) for a in args))
        assert done.exit_code in codes, (name, done)
        screens[name] = done
    return screens


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_clerks_session_speaks_one_language(lang: str, tmp_path: Path) -> None:
    screens = run_session(lang, tmp_path)
    mixed = {
        name: words
        for name, done in screens.items()
        if name in CHECKED and (words := foreign(lang, done.stdout + done.stderr))
    }
    assert not mixed, mixed


def test_the_run_title_writes_the_month_in_the_session_language(tmp_path: Path) -> None:
    # the county name is data and stays; the month is the tool's word: 2014年4月 / 2014-04
    chinese = run_cli("evaluate", "2014-04", str(COUNTY), "--out", str(tmp_path / "zh.xlsx"))
    assert chinese.stdout.lstrip().startswith("武城县局2014年4月“五星”社区民警评选结果")
    english = run_cli(
        "--lang", "en", "evaluate", "2014-04", str(COUNTY), "--out", str(tmp_path / "en.xlsx")
    )
    assert english.stdout.lstrip().startswith("武城县局 2014-04 five-star community officers")


def test_the_language_of_one_invocation_does_not_leak_into_the_next() -> None:
    assert run_cli("--lang", "en", "--help").stdout.startswith("Usage: ")
    assert run_cli("--help").stdout.startswith("用法：")
    assert i18n.language() == i18n.DEFAULT


def test_the_environment_and_the_option_choose_and_the_option_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(i18n.ENV, "en")
    assert run_cli("--help").stdout.startswith("Usage: ")
    assert run_cli("--lang", "zh", "--help").stdout.startswith("用法：")
    assert run_cli("runs", "--help", "--lang=zh").stdout.startswith("用法：")  # after the command


ZH_ERROR, ZH_KNOWN = "fivestar: 错误：", "fivestar 支持 zh, en\n"


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (["--lang", "fr", "runs"], None, f"{ZH_ERROR}--lang 的语言 'fr' 无法识别：{ZH_KNOWN}"),
        (["runs"], "klingon", f"{ZH_ERROR}FIVESTAR_LANG 的语言 'klingon' 无法识别：{ZH_KNOWN}"),
        (["--lang", "fr", "runs"], "en",
         "fivestar: error: unknown language 'fr' for --lang: fivestar speaks zh, en\n"),
        (["runs", "--lang"], None, f"{ZH_ERROR}--lang 的语言 '' 无法识别：{ZH_KNOWN}"),
    ],
)  # fmt: skip
def test_an_unknown_language_is_one_line_exit_2(
    args: list[str], env: str | None, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is not None:
        monkeypatch.setenv(i18n.ENV, env)
    assert run_cli(*args) == (2, "", line)


# --- help, every command -----------------------------------------------------------------


def test_every_help_text_is_in_the_catalogue() -> None:
    untranslated = []
    for path, command in _commands():
        texts = [command.help] + [p.help for p in command.params if p.help]
        untranslated += [(path, t) for t in texts if t and i18n.translate(t, "zh") == t]
    assert not untranslated


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_page_speaks_one_language(lang: str) -> None:
    mixed = {}
    for path, _command in _commands():
        for columns in (80, 120):
            done = run_cli("--lang", lang, *path, "--help", columns=columns)
            assert (done.exit_code, done.stderr) == (0, ""), path
            assert all(len(line) <= columns for line in done.stdout.splitlines())
            if words := foreign(lang, done.stdout):
                mixed[path] = words
    assert not mixed, mixed


def test_a_chinese_help_page_fits_the_terminal_by_display_width() -> None:
    from fivestar.cli.helptext import width_of

    for path, _command in _commands():
        done = run_cli(*path, "--help", columns=80)
        assert max(width_of(line) for line in done.stdout.splitlines()) <= 80, path


def test_the_checks_see_a_screen_in_the_wrong_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the catalogue, the Chinese help is the English source: the check says so."""
    import gettext

    monkeypatch.setattr(i18n, "_catalogue", lambda _lang: gettext.NullTranslations())
    assert foreign("zh", run_cli("evaluate", "--help").stdout)
    assert foreign("en", "Usage: 用法") == ["用法"]
    assert not foreign("en", "Report: fivestar-2014-04-武城县局.xlsx, 苏振 (乐陵市局)")


@pytest.mark.parametrize("width", [20, 33, 56])
def test_help_text_wraps_by_display_width_and_never_inside_a_latin_word(width: int) -> None:
    from fivestar.cli.helptext import width_of, wrap

    text = (
        "结果库：一个文件，或 postgresql://user@host/dbname（默认：$FIVESTAR_DB，"
        "没有则用 ./fivestar.db）。 [默认：city]"
    )
    lines = wrap(text, width)
    assert all(width_of(line) <= width for line in lines)
    words = re.findall(r"[!-~]+", text)
    shown = [w for line in lines for w in re.findall(r"[!-~]+", line)]
    longer = [w for w in words if width_of(w) > width]  # only what cannot fit is cut
    assert [w for w in words if w not in longer] == [w for w in shown if w in words]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("[默认：city]" in line for line in lines)
