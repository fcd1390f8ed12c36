"""Ctrl-C is one line and exit 130 wherever it lands: while the command line is parsed (typer
turned that into a silent exit 130) or before the app's own catch is in place."""

from __future__ import annotations

from typing import Any

import pytest

import fivestar.cli.app as cli_app
from fivestar.cli import main


def test_ctrl_c_while_the_command_line_is_parsed_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_app._OneLineErrors, "make_context", interrupted)
    monkeypatch.setattr("sys.argv", ["fivestar", "runs"])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "fivestar: 已中断\n"


def test_ctrl_c_before_the_app_catches_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_app, "app", interrupted)
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "fivestar: 已中断\n"
