"""RunResults for the store tests, built from small officer tables (no readers involved)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fivestar.engine import evaluate
from fivestar.findings import FileReport, Issue
from fivestar.model import RunResult
from fivestar.rules import RuleSet, load_rules
from tests.conftest import DEFAULT_RULES, officer, table

CST = timezone(timedelta(hours=8))
WUCHENG = "武城县局"
XIAJIN = "夏津县局"
BUSINESS = "六进业务警种民警"


def started(month: str, minute: int = 0) -> datetime:
    return datetime(int(month[:4]), int(month[5:]) + 1, 2, 9, minute, tzinfo=CST)


def mediator(officer_id: str, count: int, ok: int | None = None, **more: Any) -> dict[str, Any]:
    ok = count if ok is None else ok
    return officer(officer_id, mediations=count, mediations_ok=ok, followups_ok=count, **more)


def march_rows() -> list[dict[str, Any]]:
    return [
        officer("V1", visits=200),
        officer("V2", visits=190, bureau=XIAJIN),
        mediator("001", 3),
        officer("002", info_leads=12, bureau=XIAJIN),
        officer("006", visits=45, bureau=XIAJIN),
    ]


def april_rows(draft: bool = False) -> list[dict[str, Any]]:
    """April; the draft (a first evaluation, later redone) has 003 on top of mediation."""
    return [
        officer("V1", visits=200),
        officer("V2", visits=190, bureau=XIAJIN),
        mediator("001", 5),
        mediator("002", 4, bureau=XIAJIN),
        mediator("003", 9 if draft else 3),
        mediator("004", 6, ok=5),
        mediator("005", 3, visits=72, name='=HYPERLINK("x")'),
        officer("006", visits=40, bureau=XIAJIN),
        officer("B01", role=BUSINESS, visits=0, services=5, services_ok=4),
    ]


def run_result(
    rules: RuleSet, month: str, rows: list[dict[str, Any]], minute: int = 0
) -> RunResult:
    frame = table(*[{**row, "month": month} for row in rows])
    evaluation = evaluate(rules, frame, month)
    read = len(rows) + 1
    files = [FileReport("wucheng.xlsx", "ab" * 32, "xlsx", read + 1, len(rows), 1, 1)]
    issues = [Issue("wucheng.xlsx", "调解成功数 5 > 调解纠纷数 3", "Sheet1", 17, "调解成功数", "5")]
    return RunResult(
        month=month,
        rules=rules,
        evaluation=evaluation,
        files=files,
        issues=issues,
        report=Path(f"fivestar-{month}.xlsx"),
        started=started(month, minute),
    )


def many_rows(prefix: str, count: int) -> list[dict[str, Any]]:
    """A bigger month, so that concurrent writers overlap."""
    return [
        officer(f"{prefix}{i:04d}", visits=80 + i % 50, info_leads=i % 13) for i in range(count)
    ]


def write_runs(db: str, prefix: str, runs: int, officers: int, go: str) -> None:
    """Child process body: wait for the go file, then record `runs` runs of `officers`."""
    from fivestar.store import open_store

    rules = load_rules(DEFAULT_RULES)
    result = run_result(rules, "2014-05", many_rows(prefix, officers))
    while not Path(go).exists():
        pass
    with open_store(db) as store:
        for _ in range(runs):
            store.record(result, f"writer {prefix}")


if __name__ == "__main__":
    write_runs(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
