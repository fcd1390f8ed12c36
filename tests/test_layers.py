"""The package's import contract (pyproject.toml [tool.importlinter]) holds: data flows downward
and no module imports one that imports it back. CI runs `lint-imports` too; this keeps a
broken layer from passing a local `pytest`."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_layers_and_no_cycles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
