"""The workbook's shared strings (xl/sharedStrings.xml) written in bulk.

XlsxWriter writes each distinct string with three regular-expression passes and a few method
calls: at 20,000 officers (~64,000 distinct texts, the reasons and gaps of every officer)
that was the largest part of closing the workbook. `BulkSharedStrings` writes the same XML:
the whole table is checked once for what needs XlsxWriter's care (control characters, text
that looks like its `_xHHHH_` escape, non-characters); when nothing does, the texts are
escaped as one string and laid out side by side. Otherwise XlsxWriter writes it, unchanged.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.xmlwriter import re_control_chars_1, re_control_chars_2

_SEPARATOR = "\x00"  # a control character: never in a table written here (checked first)


class BulkSharedStrings(SharedStrings):  # type: ignore[misc]
    """XlsxWriter's shared strings writer, the strings written in bulk where that gives the
    same bytes."""

    def _write_sst_strings(self) -> None:
        strings: list[str] = self.string_table.string_array
        joined = _SEPARATOR.join(strings)
        # the separator itself is a control character: any other one is found beside it
        if (
            re_control_chars_1.search(joined) is not None
            or re_control_chars_2.search(joined.replace(_SEPARATOR, "")) is not None
            or "\ufffe" in joined
            or "\uffff" in joined
            or "<r>" in joined  # a rich string is written as it is: XlsxWriter's way
        ):
            super()._write_sst_strings()
            return
        escaped = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.fh.write(
            "".join(
                # leading or trailing whitespace is kept (XlsxWriter's _preserve_whitespace)
                f'<si><t xml:space="preserve">{text}</t></si>'
                if text[:1].isspace() or text[-1:].isspace()
                else f"<si><t>{text}</t></si>"
                for text in escaped.split(_SEPARATOR)
            )
            if strings
            else ""
        )


def use_bulk_shared_strings(packager_module: Any) -> Any:
    """Swap the shared strings writer XlsxWriter's packager uses; returns the one it had."""
    previous = packager_module.SharedStrings
    packager_module.SharedStrings = BulkSharedStrings
    return previous
