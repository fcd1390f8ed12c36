"""Findings are data, not exceptions: rejected rows, unreadable files, per-file accounting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fivestar.i18n import N_, _, translate
from fivestar.issues import Message


@dataclass(frozen=True)
class Issue:
    """One rejected row or one unreadable file, with its place.

    `row` is the Excel row number as the user sees it (1-based, header rows counted);
    `column` is the header as written in the file. A file-level issue has row None.
    `code` and `params` say what it is (fivestar.issues); `reason` is their Chinese text (the
    workbooks' and the store's), `words()` the text in the session's language.
    """

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    code: str = "stored"
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # an issue made from its text alone (an older run's, read back from the store)
        if self.code == "stored" and not self.params:
            object.__setattr__(self, "params", {"text": self.reason})

    @classmethod
    def of(
        cls,
        what: Message,
        file: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> Issue:
        """The issue `what` at its place, its reason rendered from the catalogue."""
        return cls(file, what.text, sheet, row, column, value, what.code, what.params)

    @property
    def message(self) -> Message:
        return Message(self.code, self.params)

    def words(self, lang: str | None = None) -> str:
        """The reason in `lang` (default: the session's language)."""
        return self.message.render(lang)

    def place(self, lang: str | None = None) -> str:
        """Where it is, for a one-line message: "a.xlsx, sheet Sheet1, row 3"."""
        if self.sheet and self.row is not None:
            template = N_("{file}, sheet {sheet}, row {row}")
        elif self.sheet:
            template = N_("{file}, sheet {sheet}")
        elif self.row is not None:
            template = N_("{file}, row {row}")
        else:
            return self.file
        text = translate(template, lang) if lang else _(template)
        return text.format(file=self.file, sheet=self.sheet, row=self.row)

    @property
    def file_level(self) -> bool:
        return self.row is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.words(),
            "code": self.code,
            "params": dict(self.params),
        }


@dataclass
class FileReport:
    """What happened to one input file. rows_read = evaluated + rejected + skipped."""

    path: str  # as given on the command line (or found in a folder)
    sha256: str = ""
    format: str = ""
    rows_read: int = 0
    evaluated: int = 0
    rejected: int = 0
    skipped: int = 0
    sheets_used: list[str] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)  # "name: reason"
    ignored_columns: list[str] = field(default_factory=list)
    error: str | None = None  # file-level reason when the file could not be read

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.evaluated + self.rejected + self.skipped


@dataclass(frozen=True)
class Counts:
    read: int
    evaluated: int
    rejected: int
    skipped: int

    @classmethod
    def of(cls, files: list[FileReport]) -> Counts:
        return cls(
            read=sum(f.rows_read for f in files),
            evaluated=sum(f.evaluated for f in files),
            rejected=sum(f.rejected for f in files),
            skipped=sum(f.skipped for f in files),
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "evaluated": self.evaluated,
            "rejected": self.rejected,
            "skipped": self.skipped,
        }
