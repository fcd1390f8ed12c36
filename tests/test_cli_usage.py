"""The command line's own surface: help names arguments as SPEC §5 does, a command line the
parser refuses is one line on stderr with exit 2, and --help, --version and Ctrl-C still work."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
import typer

from fivestar.cli.app import app
from tests.conftest import ROOT, run_cli

SAMPLE = ROOT / "sample_data" / "2014-04"
run = partial(run_cli, columns=100)
run_en = partial(run_cli, "--lang", "en", columns=100)


def commands() -> list[tuple[str, ...]]:
    """Every command's path: ("evaluate",), ("rules", "check") …"""
    group = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.extend((name, sub) for sub in subcommands)
        else:
            found.append((name,))
    return found


def test_help_usage_lines_read_as_the_spec() -> None:
    usage = {
        ("evaluate",): "Usage: fivestar evaluate [OPTIONS] MONTH FILE_OR_DIR...",
        ("explain",): "Usage: fivestar explain [OPTIONS] OFFICER_ID",
        ("rules", "check"): "Usage: fivestar rules check [OPTIONS] [PATH]",
        ("rules", "show"): "Usage: fivestar rules show [OPTIONS] [PATH]",
        ("rules", "diff"): "Usage: fivestar rules diff [OPTIONS] OLD.TOML NEW.TOML",
        ("compare",): "Usage: fivestar compare [OPTIONS] [MONTH] [FILE_OR_DIR...]",
        ("report",): "Usage: fivestar report [OPTIONS]",
        ("history",): "Usage: fivestar history [OPTIONS]",
        ("runs",): "Usage: fivestar runs [OPTIONS]",
        ("migrate",): "Usage: fivestar migrate [OPTIONS]",
        ("template",): "Usage: fivestar template [OPTIONS]",
        ("exclude",): "Usage: fivestar exclude [OPTIONS] MONTH [OFFICER_ID]",
        ("confirm",): "Usage: fivestar confirm [OPTIONS] MONTH",
        ("reopen",): "Usage: fivestar reopen [OPTIONS] MONTH",
        ("log",): "Usage: fivestar log [OPTIONS]",
    }
    assert sorted(commands()) == sorted(usage)
    for path, line in usage.items():
        code, stdout, stderr = run_en(*path, "--help")
        assert (code, stderr) == (0, "")
        assert stdout.splitlines()[0] == line
        code, stdout, stderr = run(*path, "--help")  # Chinese: the same names, our words
        assert (code, stderr) == (0, "")
        assert stdout.splitlines()[0] == line.replace("Usage: ", "用法：").replace(
            "[OPTIONS]", "[选项]"
        )


def test_help_shows_no_python_type() -> None:
    """`<str>`, `<path>`, `<list[Path]>`, `<int range>` … are typer's, not the clerk's."""
    for path in commands():
        _, stdout, _ = run(*path, "--help")
        assert not re.search(r"<\w", stdout), (path, stdout)
        assert "{" not in stdout.splitlines()[0], stdout


@pytest.mark.parametrize(("lang", "arguments_title"), [("en", "Arguments:"), ("zh", "参数：")])
def test_evaluate_help_names_every_value_as_the_spec(lang: str, arguments_title: str) -> None:
    _, stdout, _ = run("--lang", lang, "evaluate", "--help")
    shown = [line.strip() for line in stdout.splitlines()]
    arguments = shown[shown.index(arguments_title) + 1 :]
    assert arguments[0].split()[0] == "MONTH"
    assert arguments[1].split()[0] == "FILE_OR_DIR..."
    for option in ("--rules PATH", "--out PATH", "--sheet NAME", "--encoding ENC",
                   "--max-unpacked MIB", "--db PATH"):  # fmt: skip
        assert any(line.startswith(option + " ") for line in shown), option


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (
            ("report",),
            [
                "--month M",
                "--star STAR",
                "--bureau NAME",
                "--out PATH",
                "--run ID",
                "--db PATH",
                "--scope city|county",
            ],
        ),
        (("history",), ["--year YYYY", "--officer ID", "--bureau NAME", "--out PATH"]),
        (("explain",), ["--month M", "--run ID"]),
        (("rules", "show"), ["--month M"]),
        (("template",), ["--out PATH", "--rules PATH"]),
    ],
)
def test_store_and_other_commands_name_their_values(
    path: tuple[str, ...], options: list[str]
) -> None:
    _, stdout, _ = run(*path, "--help")
    shown = [line.strip() for line in stdout.splitlines()]
    for option in options:
        assert any(line.startswith(option + " ") for line in shown), (path, option)


def test_every_value_taking_parameter_has_a_metavar() -> None:
    group = typer.main.get_command(app)
    for path in commands():
        command = group
        for part in path:
            command = command.commands[part]  # type: ignore[attr-defined]
        for param in command.params:
            if getattr(param, "is_flag", False) or param.name == "help":
                continue
            assert param.metavar, (path, param.name)
            assert param.metavar == param.metavar.upper() or "|" in param.metavar


@pytest.mark.parametrize(
    ("args", "line", "english"),
    [
        (
            ["history", "--year", "abc"],
            "'--year' 的值无效：'abc' 不是整数。（见 fivestar history --help）",
            "Invalid value for '--year': 'abc' is not a whole number. "
            "(see fivestar history --help)",
        ),
        (
            ["evaluate", "2014-04"],
            "缺少参数 'FILE_OR_DIR...'。（见 fivestar evaluate --help）",
            "Missing argument 'FILE_OR_DIR...'. (see fivestar evaluate --help)",
        ),
        (
            ["evaluate", "2014-04", str(SAMPLE), "--max-unpacked", "0"],
            "'--max-unpacked' 的值无效：'0' 小于 1。（见 fivestar evaluate --help）",
            "Invalid value for '--max-unpacked': '0' is less than 1. "
            "(see fivestar evaluate --help)",
        ),
        (
            ["rules", "nope"],
            "没有命令 'nope'。（见 fivestar rules --help）",
            "No such command 'nope'. (see fivestar rules --help)",
        ),
        (
            ["rules", "shwo"],
            "没有命令 'shwo'；是否要输入 show？（见 fivestar rules --help）",
            "No such command 'shwo'; did you mean show? (see fivestar rules --help)",
        ),
        (
            ["evaluate", "2014-04", "x.csv", "--xyzzy"],
            "没有选项 --xyzzy（见 fivestar evaluate --help）",
            "No such option: --xyzzy (see fivestar evaluate --help)",
        ),
        (
            ["evaluate", "2014-04", "x.csv", "--recursiv"],
            "没有选项 --recursiv；是否要输入 --recursive？（见 fivestar evaluate --help）",
            "No such option: --recursiv; did you mean --recursive? (see fivestar evaluate --help)",
        ),
        (
            ["runs", "extra", "words"],
            "多余的参数：extra words。（见 fivestar runs --help）",
            "Unexpected extra arguments: extra words. (see fivestar runs --help)",
        ),
        (
            ["--debug"],
            "缺少命令。（见 fivestar --help）",
            "Missing command. (see fivestar --help)",
        ),
    ],
)
def test_a_refused_command_line_is_one_line_exit_2(
    args: list[str], line: str, english: str
) -> None:
    """click's refusals in our words, in either language."""
    code, stdout, stderr = run(*args)
    assert (code, stdout, stderr) == (2, "", f"fivestar: 错误：{line}\n")
    code, stdout, stderr = run_en(*args)
    assert (code, stdout, stderr) == (2, "", f"fivestar: error: {english}\n")


def test_a_control_character_in_a_refused_command_line_is_not_sent_to_the_terminal() -> None:
    for args in (["runs", "--\x1b[2Jx"], ["rules", "\x1b[2J\nsecond line"]):
        code, _, stderr = run(*args)
        assert code == 2
        assert stderr.startswith("fivestar: 错误：没有")
        assert "\x1b" not in stderr
        assert stderr.count("\n") == 1


def test_the_installed_entry_point_prints_one_line_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fivestar", "history", "--year", "abc"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("fivestar: 错误：'--year' 的值无效：")
    assert done.stderr.count("\n") == 1


def test_help_version_and_a_bare_command_still_work() -> None:
    assert run("--version") == (0, "fivestar 0.1.0\n", "")
    code, stdout, stderr = run("--help")
    assert (code, stderr) == (0, "")
    assert stdout.startswith("用法：fivestar [选项] 命令 [参数]...\n")
    code, stdout, stderr = run_en("--help")
    assert (code, stderr) == (0, "")
    assert stdout.startswith("Usage: fivestar [OPTIONS] COMMAND [ARGS]...\n")
    code, stdout, stderr = run()  # no command: the help, as before
    assert code == 2
    assert "命令：" in stdout + stderr
    code, stdout, stderr = run("rules")
    assert code == 2
    assert "check" in stdout + stderr


def test_ctrl_c_is_exit_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import fivestar.evaluate

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fivestar.evaluate, "evaluate_month", interrupted)
    code, stdout, stderr = run(
        "evaluate", "2014-04", str(SAMPLE), "--out", str(tmp_path / "r.xlsx")
    )
    assert (code, stdout) == (130, "")
    assert stderr == "fivestar: 已中断\n"  # one line, not a silent exit


# A real Ctrl-C (SIGINT) while the files are read, in a real process. Python installs its
# Ctrl-C handler only where SIGINT is not ignored (a background CI job may inherit it so).
INTERRUPTED = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
import fivestar.evaluate
def read_inputs(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    signal.pause()
fivestar.evaluate.read_inputs = read_inputs
sys.argv[0] = "fivestar"
from fivestar.cli import main
main()
"""


def test_a_real_ctrl_c_says_so_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED, "evaluate", "2014-04", str(SAMPLE),
         "--out", str(tmp_path / "r.xlsx"), "--db", str(tmp_path / "s.db")],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "fivestar: 已中断\n")
    assert list(tmp_path.iterdir()) == []
