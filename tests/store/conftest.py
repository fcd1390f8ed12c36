"""A real SQLite store in a temporary folder: March, an April draft, then April redone."""

from __future__ import annotations

from pathlib import Path

import pytest

from fivestar.rules import RuleSet
from fivestar.store import open_store
from tests.store.builders import april_rows, march_rows, run_result, started


@pytest.fixture
def db(tmp_path: Path, rules: RuleSet) -> Path:
    path = tmp_path / "fivestar.db"
    months = [
        ("2014-03", march_rows(), 0, "fivestar evaluate 2014-03 march/"),
        ("2014-04", april_rows(draft=True), 0, "fivestar evaluate 2014-04 draft/"),
        ("2014-04", april_rows(), 30, "fivestar evaluate 2014-04 april/"),
    ]
    with open_store(path) as store:
        for month, rows, minute, command in months:
            result = run_result(rules, month, rows, minute)
            store.record(result, command, recorded=started(month, minute + 1))
    return path
