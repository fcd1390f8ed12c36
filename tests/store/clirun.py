"""The store's commands through Typer's CliRunner, on an app that has only them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from fivestar.cli_store import register


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A test app with the store's commands only."""

    register(app)
    return app


APP = make_app()


def run(*args: str | Path) -> Any:
    return CliRunner(env={"COLUMNS": "200"}).invoke(APP, [str(a) for a in args])


def run_json(*args: str | Path) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)
