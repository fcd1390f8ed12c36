"""`fivestar report --out r.xlsx`: the month's full report workbook written again from the
store, the bureau's decisions applied (see `fivestar.rejudge`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fivestar.rejudge import stored_result
from fivestar.report import write_report
from fivestar.store import open_store


def write_stored_report(db: str | None, month: str | None, path: Path) -> None:
    with open_store(db, create=False) as store:
        result = stored_result(store, month)
    write_report(path, replace(result, report=path))
