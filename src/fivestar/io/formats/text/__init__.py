"""Reading the text formats: CSV (and Excel's tab-separated "Unicode text") and HTML tables
saved as .xls. Each is bounded on its bytes (`bounds`), decoded once (a byte-order mark
wins, then the encoding the run names, else UTF-8 then GB18030), then split into rows
(`csv_rows`, `html_table`).
"""

from __future__ import annotations

import codecs
import csv

from fivestar.io.formats.text.bounds import check_html, check_text
from fivestar.io.formats.text.csv_rows import csv_rows
from fivestar.io.formats.text.html_table import read_html_tables
from fivestar.io.limits import Limits, UnreadableFile, check_grid
from fivestar.io.sheets import Grid, LoadedFile, one_line, pad, trim
from fivestar.issues import message

FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode strictly: the override if given, else a BOM, else UTF-8 then GB18030."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise UnreadableFile(
                message("undecodable", encoding=encoding, at=err.start + 1)
            ) from err
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UnreadableFile(message("bad-utf8-bom")) from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UnreadableFile(message("bad-utf16")) from err
    for candidate in FALLBACK_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(message("unknown-encoding"))


def _delimiter(text: str) -> str:
    # Excel's "Unicode text" export is tab-separated; everything else clerks make is commas.
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","


def load_csv(data: bytes, encoding: str | None, limits: Limits) -> LoadedFile:
    check_text(data, limits, "CSV")
    text, used = decode_text(data, encoding)
    try:
        rows, slips = csv_rows(text, _delimiter(text))
    except csv.Error as err:
        raise UnreadableFile(message("csv-malformed", detail=one_line(err))) from err
    del text
    check_grid(len(rows), max((len(r) for r in rows), default=0), limits, "CSV 表格")
    grid_rows = trim(pad(rows))
    if not grid_rows:
        raise UnreadableFile(message("no-content"))
    grid = Grid(name=None, rows=grid_rows, slips=slips)
    return LoadedFile(grids=[grid], skipped=[], encoding=used)


def load_html(data: bytes, encoding: str | None, limits: Limits) -> LoadedFile:
    check_html(data, limits)
    text, used = decode_text(data, encoding)
    tables = read_html_tables(text)
    if not tables:
        raise UnreadableFile(message("html-no-table"))
    single = len(tables) == 1
    grids = [
        Grid(
            name=None if single else f"表格{i}",
            rows=trim(pad(table.rows)),
            merged=table.merged,
        )
        for i, table in enumerate(tables, start=1)
    ]
    return LoadedFile(grids=[g for g in grids if g.rows], skipped=[], encoding=used)
