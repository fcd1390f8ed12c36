"""The shared strings written in bulk are the bytes XlsxWriter writes for them one by one."""

from __future__ import annotations

import io

import pytest
from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

from fivestar.report.shared_strings import BulkSharedStrings

PLAIN = [
    "入户走访户数 76，还差 4 户",
    "a & b < c > d",
    "  leading space",
    "trailing space ",
    "line\nbreak\n",
    "tab\tinside",
    '"quoted"',
    "x",
    "\u3000全角空格",
]


def xml(writer: type[SharedStrings], strings: list[str]) -> str:
    table = SharedStringTable()
    for text in strings:
        table._get_shared_string_index(text)
    table._sort_string_data()
    sst = writer()
    sst.string_table = table
    out = io.StringIO()
    sst._set_xml_writer(out)
    sst._assemble_xml_file()
    return out.getvalue()


def test_plain_texts_are_written_as_xlsxwriter_writes_them() -> None:
    bulk = xml(BulkSharedStrings, PLAIN)
    assert bulk == xml(SharedStrings, PLAIN)
    assert '<si><t xml:space="preserve">  leading space</t></si>' in bulk
    assert "<si><t>a &amp; b &lt; c &gt; d</t></si>" in bulk


@pytest.mark.parametrize(
    "odd", ["bell\x07", "_x0041_ looks escaped", "non\ufffechar", "<r><t>rich</t></r>"]
)
def test_texts_that_need_escapes_are_written_as_xlsxwriter_writes_them(odd: str) -> None:
    strings = [*PLAIN, odd]
    assert xml(BulkSharedStrings, strings) == xml(SharedStrings, strings)
