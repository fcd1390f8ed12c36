"""A month's result judged again from the store, as `evaluate` would have written it.

`stored_result` turns a month's view — the stored figures, the rules of its latest run, the
bureau's exclusions in force — into a `RunResult`, so that `fivestar report --out r.xlsx`
writes the month's full report workbook again (公示 included) without any input file. The
accounting (input files, data issues) is that of the runs the view read.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from fivestar.engine import evaluate
from fivestar.findings import FileReport, Issue
from fivestar.model import RunResult
from fivestar.queries.scope import bars_of, canonical, resolve_view
from fivestar.store.decisions import in_force
from fivestar.store.schema import INPUTS, ISSUES
from fivestar.store.store import Store


def stored_result(store: Store, month: str | None = None) -> RunResult:
    """The city-wide result of `month` (else the latest month) with the decisions applied."""
    view = resolve_view(store, month)
    state = in_force(list(view.decisions))
    bars = bars_of(view.rules, state.exclusions.values())
    evaluation = evaluate(view.rules, canonical(view.officers, view.month), view.month, bars=bars)
    files, issues = _accounting(store, view.runs)
    return RunResult(
        month=view.month,
        rules=view.rules,
        evaluation=evaluation,
        files=files,
        issues=issues,
        report=None,
        run_id=view.run.id,
        started=datetime.fromisoformat(view.run.started),
        tool_version=view.run.tool_version,
        decisions=view.decisions,
    )


def _accounting(store: Store, runs: tuple[int, ...]) -> tuple[list[FileReport], list[Issue]]:
    files_q = select(INPUTS).where(INPUTS.c.run_id.in_(runs))
    files_q = files_q.order_by(INPUTS.c.run_id, INPUTS.c.seq)
    issues_q = select(ISSUES).where(ISSUES.c.run_id.in_(runs))
    issues_q = issues_q.order_by(ISSUES.c.run_id, ISSUES.c.seq)
    with store._read() as conn:
        files = [
            FileReport(
                path=r.path, sha256=r.sha256, format=r.file_format, rows_read=r.rows_read,
                evaluated=r.evaluated, rejected=r.rejected, skipped=r.skipped,
                sheets_used=json.loads(r.sheets_used),
                sheets_skipped=json.loads(r.sheets_skipped),
                ignored_columns=json.loads(r.ignored_columns), error=r.error,
            )
            for r in conn.execute(files_q)
        ]  # fmt: skip
        issues = [
            # the store keeps an issue's text, not its code: read back as code "stored"
            Issue(file=r.file, reason=r.reason, sheet=r.sheet, row=r.excel_row,
                  column=r.column_header, value=r.cell_value, code="stored")
            for r in conn.execute(issues_q)
        ]  # fmt: skip
    return files, issues
