"""Regenerate the PNG renderings in docs/ from the sample month, as LibreOffice prints them.

    python docs/render.py

Needs fivestar importable (installed, or run from the repository: src/ is used if it is not),
LibreOffice (`soffice`, Debian: libreoffice-calc-nogui), poppler-utils (`pdftotext`,
`pdftoppm`) and a Chinese font (Debian: fonts-noto-cjk). It evaluates sample_data/2014-04,
prints the report and the input template to PDF, and writes one PNG per page shown in
docs/README.md.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MONTH = "2014-04"
DPI = 80

try:
    import fivestar  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "src"))

from fivestar.evaluate import evaluate_month  # noqa: E402
from fivestar.report import report_title  # noqa: E402
from fivestar.report.notice import notice_title  # noqa: E402
from fivestar.report.template import write_template  # noqa: E402
from fivestar.rules import rules_for_month  # noqa: E402
from fivestar.run_scope import scope_of  # noqa: E402

COUNTY = "武城县局"  # a county clerk's own run: its 公示 is the county's assessment


def to_pdf(files: list[Path], out: Path) -> None:
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def first_lines(pdf: Path) -> list[str]:
    """Each page's first line of text: a sheet's first page opens with its title."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]
    return [next((ln.strip() for ln in page.splitlines() if ln.strip()), "") for page in pages]


def render(pdf: Path, page: int, name: str) -> None:
    target = DOCS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(target.with_suffix(""))],
        check=True,
    )  # fmt: skip
    print(f"wrote {target.relative_to(ROOT)}")


def main() -> None:
    rules = rules_for_month(MONTH, ROOT / "rules")
    organisation = rules.model.organisation
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = folder / f"fivestar-{MONTH}.xlsx"
        evaluate_month(MONTH, [ROOT / "sample_data" / MONTH], rules_path=ROOT / "rules", out=report)
        county = folder / f"fivestar-{MONTH}-{COUNTY}.xlsx"
        evaluate_month(
            MONTH,
            [ROOT / "sample_data" / MONTH / f"{COUNTY}.xlsx"],
            rules_path=ROOT / "rules",
            out=county,
        )
        template = folder / "fivestar-template.xlsx"
        write_template(template, rules)
        to_pdf([report, county, template], folder)

        pages = first_lines(report.with_suffix(".pdf"))
        wanted = {
            report_title(organisation, MONTH): "report-results.png",
            notice_title(organisation, MONTH): "report-notice.png",
            report_title(organisation, MONTH, "统计图"): "report-chart.png",
        }
        for title, name in wanted.items():
            render(report.with_suffix(".pdf"), pages.index(title) + 1, name)
        county_title = notice_title(organisation, MONTH, scope_of(rules, [COUNTY]))
        county_pages = first_lines(county.with_suffix(".pdf"))
        # a title on two lines: its first is the page's first line
        at = next(i for i, ln in enumerate(county_pages) if ln and county_title.startswith(ln))
        render(county.with_suffix(".pdf"), at + 1, "report-notice-county.png")
        guide_title = f"{organisation}“五星”评选数据填表说明"
        guide = first_lines(template.with_suffix(".pdf")).index(guide_title)
        render(template.with_suffix(".pdf"), guide + 1, "template-guide.png")


if __name__ == "__main__":
    main()
