"""Checked as a person sees it: the sample report and the template printed to PDF by LibreOffice.

Skipped when `soffice` (or poppler's `pdftotext`) is not installed; `.ci/run` installs them.

How "one page wide" is checked: every table sheet repeats its header row on each printed page,
so each page of such a sheet has a header line. If LibreOffice had to split the sheet across
pages sideways, the pages of the left part would miss the header's last label and those of the
right part its first. So: every page of a sheet must hold a line with both its first and last
header labels. Pages are told apart by the title row that opens each sheet's first page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from fivestar.evaluate import evaluate_month
from fivestar.own_files import GUIDE
from fivestar.report import report_title
from fivestar.report.notice import notice_title
from fivestar.report.template import DATA, write_template
from fivestar.rules import RuleSet
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed",
)

SAMPLE = ROOT / "sample_data" / "2014-04"
CJK_FONTS = re.compile(r"CJK|Han|WenQuanYi|Droid ?Sans ?Fallback|SimSun|YaHei|Song|Hei", re.I)


@dataclass(frozen=True)
class Printed:
    xlsx: Path
    pdf: Path
    pages: list[str]  # pdftotext -layout, one string per page


def to_pdf(files: list[Path], out: Path) -> list[Path]:
    """Convert with a private LibreOffice profile, so parallel or stale instances do not clash."""
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdfs = [out / f"{f.stem}.pdf" for f in files]
    for pdf in pdfs:
        assert pdf.exists(), f"LibreOffice did not write {pdf.name}"
    return pdfs


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]  # every page ends with a form feed


@pytest.fixture(scope="module")
def printed(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    folder = tmp_path_factory.mktemp("print")
    report = folder / "fivestar-2014-04.xlsx"
    evaluate_month("2014-04", [SAMPLE], out=report)
    template = folder / "fivestar-template.xlsx"
    write_template(template, rules)
    pdfs = to_pdf([report, template], folder)
    return {
        "report": Printed(report, pdfs[0], page_texts(pdfs[0])),
        "template": Printed(template, pdfs[1], page_texts(pdfs[1])),
    }


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def pages_by_title(pages: list[str], titles: dict[str, str]) -> dict[str, list[str]]:
    """Sheet → its pages: a sheet's first page opens with its title, the next ones follow."""
    by_title = {title: name for name, title in titles.items()}
    out: dict[str, list[str]] = {}
    current: str | None = None
    for page in pages:
        current = by_title.get(first_line(page), current)
        assert current is not None, f"the first page has no known title: {first_line(page)!r}"
        out.setdefault(current, []).append(page)
    assert list(out) == list(titles), "every sheet prints, in order"
    return out


def header_labels(xlsx: Path, sheet: str, row: int) -> tuple[str, str]:
    """The first and last labels of a sheet's header row, within its printed columns."""
    ws = openpyxl.load_workbook(xlsx)[sheet]
    last = ws.max_column
    if ws.print_area:
        last = range_boundaries(str(ws.print_area).split("!")[-1])[2]
    labels = [str(c.value) for c in ws[row][:last] if c.value is not None]
    return labels[0], labels[-1]


def assert_header_on_every_page(pages: list[str], first: str, last: str, sheet: str) -> None:
    for n, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if first in line.split()]
        assert any(last in line for line in lines), (
            f"{sheet}, page {n}: no header line with both {first} and {last} — "
            "the sheet does not print one page wide"
        )


def report_sheets(printed: Printed) -> dict[str, list[str]]:
    book = openpyxl.load_workbook(printed.xlsx, read_only=True)
    titles = {
        name: notice_title("德州市公安局", "2014-04")
        if name == "公示"
        else report_title("德州市公安局", "2014-04", name)
        for name in book.sheetnames
    }
    return pages_by_title(printed.pages, titles)


def test_every_report_sheet_prints_one_page_wide(printed: dict[str, Printed]) -> None:
    report = printed["report"]
    sheets = report_sheets(report)
    for name, pages in sheets.items():
        if name in ("公示", "统计图", "运行信息"):
            continue  # one page each, below; no repeated header
        first, last = header_labels(report.xlsx, name, 2)
        assert_header_on_every_page(pages, first, last, name)
    assert len(sheets["统计图"]) == 1
    assert len(sheets["运行信息"]) == 1
    assert "文件问题" in sheets["运行信息"][0]  # the last column of the input files


def test_notice_prints_on_exactly_one_page(printed: dict[str, Printed]) -> None:
    (page,) = report_sheets(printed["report"])["公示"]
    for text in ("入户走访之星", "服务群众之星", "公示期", "审核人", "薛翠翠"):
        assert text in page
    assert "年月日" in "".join(page.split())  # its spacing follows the font (仿宋)


def test_no_hash_cells_and_chinese_fonts_embedded(printed: dict[str, Printed]) -> None:
    for item in printed.values():
        text = "\n".join(item.pages)
        assert "###" not in text, f"{item.xlsx.name}: a column too narrow for its number"
        fonts = subprocess.run(
            ["pdffonts", str(item.pdf)], check=True, capture_output=True, text=True
        ).stdout
        assert CJK_FONTS.search(fonts), f"no Chinese font in {item.pdf.name}: tofu boxes\n{fonts}"


def test_template_prints_one_page_wide(printed: dict[str, Printed]) -> None:
    template = printed["template"]
    guide_title = "德州市公安局“五星”评选数据填表说明"
    pages = template.pages
    at = next(i for i, page in enumerate(pages) if first_line(page) == guide_title)
    data, guide = pages[:at], pages[at:]
    first, last = header_labels(template.xlsx, DATA, 1)
    assert_header_on_every_page(data, first, last, DATA)
    table = [page for page in guide if "填写说明" in page]
    guide_rows = openpyxl.load_workbook(template.xlsx)[GUIDE].iter_rows(values_only=True)
    row = next(n for n, cells in enumerate(guide_rows, start=1) if cells[0] == "列名")
    first, last = header_labels(template.xlsx, GUIDE, row)
    assert_header_on_every_page(table[:1], first, last, GUIDE)
