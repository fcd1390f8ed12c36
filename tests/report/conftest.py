"""A small month written to a report once, and helpers to read its sheets back."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from fivestar.engine import evaluate
from fivestar.findings import FileReport, Issue
from fivestar.model import RunResult
from fivestar.report import write_report
from fivestar.rules import RuleSet
from tests.conftest import officer, table

Row = tuple[Any, ...]
HEADER = 1  # rows_of index of a report sheet's header: the title row is above it

HOSTILE_NAMES = ('=HYPERLINK("http://x","y")', "+1", "-1", "@x")
FILE_SHA = "ab" * 32
ISSUE = Issue(
    file="wucheng.xlsx",
    sheet="Sheet1",
    row=17,
    column="调解成功数",
    value="5",
    reason="调解成功数 5 > 调解纠纷数 3",
)


def month_frame() -> Any:
    return table(
        officer("001", visits=150, name=HOSTILE_NAMES[0]),
        officer("002", visits=120, mediations=5, mediations_ok=5, followups_ok=5),
        officer("003", visits=72, name="张三"),
        officer(
            "004", office="http://example.com/a", mediations=4, mediations_ok=4, followups_ok=4
        ),
        officer("005", mediations=3, mediations_ok=3, followups_ok=3, name=HOSTILE_NAMES[1]),
        officer("006", mediations=3, mediations_ok=3, followups_ok=3, name=HOSTILE_NAMES[2]),
        officer("007", id_consistency=0.9996, info_leads=30, name=HOSTILE_NAMES[3]),
        officer("008", satisfaction=float("nan"), suspects=2, bureau="=1+1"),
        officer("009", role="六进业务警种民警", visits=0, services=5, services_ok=4),
        officer("010", visits=40, case_leads=3, name="李四"),
    )


def city_rules(rules: RuleSet) -> RuleSet:
    """The rules without their list of bureaus: the month's two bureaus are then the city."""
    return replace(rules, model=rules.model.model_copy(update={"bureaus": []}))


def month_result(rules: RuleSet, report: Path, issues: list[Issue] | None = None) -> RunResult:
    """A city's month (see `city_rules`); the scope's own tests are in test_scope.py."""
    rules = city_rules(rules)
    frame = month_frame()
    files = [
        FileReport(
            path="wucheng.xlsx",
            sha256=FILE_SHA,
            format="xlsx",
            rows_read=len(frame) + 3,
            evaluated=len(frame),
            rejected=1,
            skipped=2,
            sheets_used=["Sheet1"],
            sheets_skipped=["填表说明: no header"],
            ignored_columns=["序号", "备注"],
        )
    ]
    return RunResult(
        month="2014-04",
        rules=rules,
        evaluation=evaluate(rules, frame, "2014-04"),
        files=files,
        issues=[ISSUE] if issues is None else issues,
        report=report,
    )


@dataclass(frozen=True)
class Written:
    path: Path
    result: RunResult
    book: Workbook


@pytest.fixture(scope="module")
def written(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Written:
    path = tmp_path_factory.mktemp("report") / "fivestar-2014-04.xlsx"
    result = month_result(rules, path)
    write_report(path, result)
    return Written(path, result, openpyxl.load_workbook(path))


def rows_of(ws: Worksheet) -> list[Row]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def block(rows: list[Row], start: int = HEADER) -> list[Row]:
    """A header row at `start` and the rows below it, up to the first empty row."""
    out: list[Row] = []
    for row in rows[start:]:
        if all(cell is None or cell == "" for cell in row):
            break
        out.append(row)
    return out


def records(rows: list[Row], start: int = HEADER) -> list[dict[str, Any]]:
    """The table at `start` as dicts keyed by header."""
    header, *data = block(rows, start)
    return [{h: v for h, v in zip(header, row, strict=True) if h is not None} for row in data]


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))
