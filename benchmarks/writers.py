"""Which writer for the report's bulk table sheets: the same table written several ways.

A 全员明细-shaped table (警号, 姓名, 县局, 派出所, 警务室, 岗位, five star columns of 当选 / 符合
/ reasons; ROWS rows, about 440,000 cells at 40,000 rows) is written, interleaved, RUNS
times each; medians of wall seconds are printed. Each way writes the same cells:

  fivestar streamed   the report's path: `Sheet.table` (formats, widths, tall rows, filter,
                      frozen header, print setup) with the cells streamed (report/stream.py)
  fivestar per cell   the same `Sheet.table` with `stream=False`: the cells held and written
                      by XlsxWriter, one Python call per cell (the path before)
  xlsxwriter rows     bare XlsxWriter `write_row`, one format, nothing else
  rustpy-xlsxwriter   the Rust writer, records in, no formats, no print setup (if installed)
  pyexcelerate        PyExcelerate's bulk `new_sheet(data=...)`, no formats (if installed)

The last two cannot write what the report needs (per-cell formats, conditional colours,
print titles and footer, merged titles, charts): they are there as the speed of a raw
write. `pip install rustpy-xlsxwriter pyexcelerate` to include them.

    python benchmarks/writers.py --rows 40000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

HEADERS = ["警号", "姓名", "县局", "派出所", "警务室", "岗位", "入户走访之星", "调解之星",
           "破案之星", "信息之星", "服务之星"]  # fmt: skip
REASONS = ["当选", "符合", "入户走访户数 72 < 80", "人号一致率 98.5% < 100%；入户走访率 95% < 100%",
           "调解纠纷数 0 < 3", "", "破案线索数 + 抓获嫌疑人数 0 < 2"]  # fmt: skip


def table(rows: int) -> list[list[str]]:
    """Columns of text as the report writes them, deterministic."""
    columns: list[list[str]] = [
        [f"{371400001 + i:09d}" for i in range(rows)],
        [("王李张刘陈"[i % 5] + "伟芳娜敏静"[i * 7 % 5]) for i in range(rows)],
        [f"第{i % 12 + 1}县局" for i in range(rows)],
        [f"派出所{i % 200}" for i in range(rows)],
        [f"警务室{i % 1500}" for i in range(rows)],
        ["社区民警" if i % 20 else "六进业务警种民警" for i in range(rows)],
    ]
    for star in range(5):
        columns.append([REASONS[(i * (star + 3)) % len(REASONS)] for i in range(rows)])
    return columns


def fivestar_sheet(path: Path, columns: list[list[str]], stream: bool) -> None:
    from fivestar.report.layout import Column, Sheet
    from fivestar.report.workbook import write_atomically

    def build(workbook: Any, formats: Any) -> None:
        sheet = Sheet(workbook, formats, "全员明细", title="全员明细")
        kinds = ["text"] * 6 + ["wrap"] * 5
        sheet.table(
            [
                Column(h, c, kind, 26 if kind == "wrap" else None)  # type: ignore[arg-type]
                for h, c, kind in zip(HEADERS, columns, kinds, strict=True)
            ],
            frozen_columns=2,
            stream=stream,
        )
        sheet.finish()

    write_atomically(path, build)


def xlsxwriter_rows(path: Path, columns: list[list[str]]) -> None:
    from xlsxwriter import Workbook

    workbook = Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = workbook.add_worksheet("全员明细")
    cell = workbook.add_format({"border": 1, "font_size": 10})
    ws.write_row(0, 0, HEADERS)
    for i, row in enumerate(zip(*columns, strict=True), start=1):
        ws.write_row(i, 0, row, cell)
    workbook.close()


def rustpy(path: Path, columns: list[list[str]]) -> None:
    from rustpy_xlsxwriter import FastExcel

    records = [dict(zip(HEADERS, row, strict=True)) for row in zip(*columns, strict=True)]
    FastExcel(str(path)).sheet("全员明细", records).save()


def pyexcelerate(path: Path, columns: list[list[str]]) -> None:
    from pyexcelerate import Workbook

    workbook = Workbook()
    workbook.new_sheet("全员明细", data=[HEADERS, *map(list, zip(*columns, strict=True))])
    workbook.save(str(path))


def available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    columns = table(args.rows)
    ways: dict[str, Callable[[Path, list[list[str]]], None]] = {
        "fivestar streamed": lambda p, c: fivestar_sheet(p, c, True),
        "fivestar per cell": lambda p, c: fivestar_sheet(p, c, False),
        "xlsxwriter rows": xlsxwriter_rows,
    }
    if available("rustpy_xlsxwriter"):
        ways["rustpy-xlsxwriter"] = rustpy
    if available("pyexcelerate"):
        ways["pyexcelerate"] = pyexcelerate
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    with tempfile.TemporaryDirectory(prefix="fivestar-writers-") as temp:
        for run in range(args.runs):
            for n, (name, write) in enumerate(ways.items()):
                start = time.perf_counter()
                write(Path(temp) / f"{run}-{n}.xlsx", columns)
                seconds[name].append(time.perf_counter() - start)
    cells = args.rows * len(HEADERS)
    print(f"{args.rows} rows, {cells} cells, medians of {args.runs} interleaved runs:")
    for name, found in seconds.items():
        print(f"  {name:<20} {statistics.median(found):6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
