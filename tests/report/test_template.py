"""`fivestar template`: canonical headers, validation, an example row the reader skips, 填表说明,
and a template filled with the sample month's figures gives the sample month's winners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from fivestar.columns import COLUMNS, ROLES
from fivestar.errors import OutputError
from fivestar.evaluate import evaluate_month
from fivestar.io import read_inputs
from fivestar.own_files import EXAMPLE_ID, GUIDE
from fivestar.report.template import DATA, write_template
from fivestar.rules import RuleSet
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "2014-04"
HEADERS = [c.header for c in COLUMNS]


@pytest.fixture(scope="module")
def template(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "fivestar-template.xlsx"
    write_template(path, rules)
    return path


def validations(path: Path) -> dict[str, Any]:
    """Header → its data validation (openpyxl), by the column the range starts in."""
    ws = openpyxl.load_workbook(path)[DATA]
    out: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            assert cells.min_row == 2
            assert cells.max_row > 1000
            out[HEADERS[cells.min_col - 1]] = dv
    return out


def test_sheets_headers_and_example_row(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [DATA, GUIDE]
    ws = book[DATA]
    assert [c.value for c in ws[1]] == HEADERS
    example = ws[2]
    assert example[0].value == EXAMPLE_ID
    assert example[0].font.i
    assert example[0].fill.fgColor.rgb == "FFFFF2CC"
    assert not ws[1][0].font.i
    assert ws.max_row == 2
    assert ws.freeze_panes == "C2"


def test_counts_whole_numbers_rates_percent_role_list_month_hint(template: Path) -> None:
    got = validations(template)
    for column in COLUMNS:
        dv = got.get(column.header)
        if column.kind == "count":
            assert dv is not None, column.header
            if column.key in ("mediations_ok", "followups_ok", "services_ok"):
                assert dv.type == "custom"  # a whole number ≥ 0, within its total
                assert "INT(" in dv.formula1
            else:
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        elif column.kind == "rate":
            assert dv is not None, column.header
            assert (dv.type, dv.operator or "between") == ("decimal", "between")  # the default
            assert (dv.formula1, dv.formula2) == ("0", "100")
            assert dv.showInputMessage
    role = got["岗位"]
    assert role.type == "list"
    assert role.formula1 == '"' + ",".join(ROLES) + '"'
    month = got["月份"]
    assert month.showInputMessage
    assert "2014-04" in month.prompt


def test_ok_counts_checked_against_their_total(template: Path) -> None:
    got = validations(template)
    assert got["调解成功数"].formula1 == "AND(INT(M2)=M2,M2>=0,M2<=N($L2))"
    assert got["服务认可数"].formula1 == "AND(INT(T2)=T2,T2>=0,T2<=N($S2))"


def test_guide_explains_every_column_and_the_stars(template: Path, rules: RuleSet) -> None:
    ws = openpyxl.load_workbook(template)[GUIDE]
    cells = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    first = [row[0] for row in ws.iter_rows(values_only=True)]
    for header in HEADERS:
        assert header in first
    for star in rules.stars:
        assert star.label in first
        assert star.description in cells
    assert any(c.startswith("评选资格：社区民警须入户走访户数不少于80") for c in cells)
    assert any(c.startswith("最低要求：社区民警每月入户走访户数不少于50") for c in cells)
    assert any("民警警号、警员编号" in c for c in cells)  # aliases from the rules file


def test_reader_skips_the_example_row_and_the_guide(template: Path, rules: RuleSet) -> None:
    batch = read_inputs([template], "2014-04", rules.aliases)
    # skipped, not rejected: the only issue is that a blank template has no officer rows
    assert [(i.row, i.reason[:10]) for i in batch.issues] == [(None, "文件中没有民警数据行")]
    assert batch.officers.empty
    (report,) = batch.files
    assert (report.rows_read, report.evaluated, report.rejected, report.skipped) == (1, 0, 0, 1)
    assert report.sheets_used == [DATA]
    assert [s.split(":")[0] for s in report.sheets_skipped] == [GUIDE]


def sample_rows() -> list[list[Any]]:
    """The sample month's rows, typed as a clerk would: text as text, figures as numbers."""
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if path.suffix == ".csv"
        else pd.read_excel(path, dtype=str, keep_default_na=False, engine="calamine")
        for path in sorted(SAMPLE.iterdir())
    ]
    frame = pd.concat(frames, ignore_index=True)[HEADERS]
    rows: list[list[Any]] = []
    for record in frame.itertuples(index=False):
        row: list[Any] = []
        for column, value in zip(COLUMNS, record, strict=True):
            text = str(value).strip()
            if column.kind == "count":
                row.append(int(float(text)) if text else None)
            elif column.kind == "rate":
                row.append(float(text) if text else None)
            else:
                row.append(text or None)
        rows.append(row)
    return rows


def test_filled_template_gives_the_sample_winners(template: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template)
    ws = book[DATA]
    rows = sample_rows()
    for row in rows:
        ws.append(row)
    filled = tmp_path / "武城县局-2014-04.xlsx"
    book.save(filled)

    got = evaluate_month("2014-04", [filled], out=tmp_path / "filled.xlsx")
    expected = evaluate_month("2014-04", [SAMPLE], out=tmp_path / "sample.xlsx")
    assert got.issues == []
    assert (got.counts.evaluated, got.counts.rejected, got.counts.skipped) == (len(rows), 0, 1)
    pd.testing.assert_frame_equal(got.evaluation.winners, expected.evaluation.winners)
    assert len(got.evaluation.winners) == 11


def test_written_atomically(rules: RuleSet, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write template"):
        write_template(tmp_path / "missing" / "t.xlsx", rules)
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    write_template(target, rules)
    assert openpyxl.load_workbook(target).sheetnames == [DATA, GUIDE]
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
