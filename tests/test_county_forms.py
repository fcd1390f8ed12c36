"""Issue "Read real county exports": the sample month laid out like a government form gives
the same winners as the tidy files, as .xlsx, GB18030 .csv, and (through LibreOffice, when it
is installed) as legacy .xls and .ods."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from fivestar.columns import COLUMNS, RATE_KEYS
from fivestar.evaluate import evaluate_month
from tests.conftest import DEFAULT_RULES, ROOT

SAMPLE = ROOT / "sample_data" / "2014-04"
GROUPS = {  # upper merged cell → the lower labels it spans (joined they give the header)
    "入户走访": ["户数", "人号一致率", "入户走访率", "群众满意率"],
    "矛盾纠纷调解": ["调解纠纷数", "调解成功数", "回访满意数"],
}
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def tidy_frames() -> dict[str, pd.DataFrame]:
    frames = {}
    for path in sorted(SAMPLE.iterdir()):
        if path.suffix == ".csv":
            frames[path.stem] = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        else:
            frames[path.stem] = pd.read_excel(path, dtype=str, engine="calamine")
    return frames


def form_rows(frame: pd.DataFrame) -> tuple[list[str], list[str], list[list[object]]]:
    """Two header rows (group over label), 序号 first, rates as full-width "１００％" text."""
    headers = [c.header for c in COLUMNS]
    upper, lower = ["序号"], [""]
    grouped = {label: group for group, labels in GROUPS.items() for label in labels}
    for header in headers:
        short = "户数" if header == "入户走访户数" else header
        group = grouped.get(short)
        upper.append(group or header)
        lower.append(short if group else "")
    rates = {c.header for c in COLUMNS if c.key in RATE_KEYS}
    body: list[list[object]] = []
    for i, record in enumerate(frame.fillna("").to_dict("records"), start=1):
        row: list[object] = [i]
        for header in headers:
            value = str(record.get(header, ""))
            if header in rates and value:
                value = f"{float(value):g}%".translate(FULLWIDTH)
            row.append(value)
        body.append(row)
    return upper, lower, body


def write_form(path: Path, bureau: str, frame: pd.DataFrame) -> Path:
    upper, lower, body = form_rows(frame)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    width = len(upper)
    sheet.append([f"德州市公安局{bureau}2014年4月“社区六进”工作统计表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append([f"填报单位：{bureau}（盖章）", "", "", "", "", "填报日期：2014年5月3日"])
    sheet.append(upper)
    sheet.append(lower)
    for col, (_top, bottom) in enumerate(zip(upper, lower, strict=True), start=1):
        if not bottom:  # a single label spans both header rows
            sheet.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for group, labels in GROUPS.items():
        first = upper.index(group) + 1
        sheet.merge_cells(
            start_row=3, start_column=first, end_row=3, end_column=first + len(labels) - 1
        )
    for cell in sheet[3]:
        cell.alignment = Alignment(wrap_text=True)
    for row in body:
        sheet.append(row)
    sheet.append(["合计", "", "", "", "", "", "", "", sum(int(r[8] or 0) for r in body)])
    sheet.append([])
    sheet.append(["填表人：王某", "", "", "审核人：李某", "", "", "联系电话：0534-0000000"])
    book.save(path)
    return path


def winners(paths: list[Path], out: Path) -> list[tuple[str, str, int, bool]]:
    result = evaluate_month("2014-04", paths, rules_path=DEFAULT_RULES, out=out)
    assert not result.issues, result.issues[:3]
    frame = result.evaluation.winners
    return list(zip(frame["star"], frame["officer_id"], frame["rank"], frame["tied"], strict=True))


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, int, bool]]:
    out = tmp_path_factory.mktemp("tidy") / "r.xlsx"
    return winners([SAMPLE], out)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("forms")
    return [write_form(folder / f"{name}.xlsx", name, f) for name, f in tidy_frames().items()]


def test_government_form_gives_the_tidy_winners(
    forms: list[Path], expected: list[tuple[str, str, int, bool]], tmp_path: Path
) -> None:
    result = evaluate_month("2014-04", forms, rules_path=DEFAULT_RULES, out=tmp_path / "r.xlsx")
    counts = result.counts
    assert (counts.evaluated, counts.rejected) == (134, 0)
    assert counts.skipped == 3 * len(forms)  # each file's 合计, blank and 填表人 rows
    assert counts.read == counts.evaluated + counts.rejected + counts.skipped
    assert all("序号" in f.ignored_columns for f in result.files)
    assert winners(forms, tmp_path / "w.xlsx") == expected


def test_gb18030_csv_gives_the_tidy_winners(
    expected: list[tuple[str, str, int, bool]], tmp_path: Path
) -> None:
    paths = []
    for name, frame in tidy_frames().items():
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="gb18030")
        paths.append(path)
    assert winners(paths, tmp_path / "r.xlsx") == expected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_legacy_formats_give_the_tidy_winners(
    fmt: str, forms: list[Path], expected: list[tuple[str, str, int, bool]], tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         fmt, "--outdir", str(tmp_path), *map(str, forms)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = sorted(tmp_path.glob(f"*.{fmt}"))
    assert len(converted) == len(forms)
    assert winners(converted, tmp_path / "r.xlsx") == expected
