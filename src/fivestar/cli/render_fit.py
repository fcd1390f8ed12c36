"""Tables and lines that fit the terminal without splitting a word (DESIGN.md §3).

rich folds a cell narrower than its text at any character, and Chinese has no spaces to wrap
at: "郑家寨派出所" came out as "郑家寨派出 / 所" and a name as "薛翠 / 翠". So a table is laid
out here, by display width (`rich.cells.cell_len`), before rich draws it:

- text breaks only at its break points: after a space or ，；、。：）, before （, after a
  path's / and a `:` not followed by a digit (so "17:33" stays whole), and where the code
  joins separate parts (`parts()`); a name, a bureau or a number never breaks;
- a column is at least as wide as its longest unbreakable piece; only the columns marked
  `wrap` take more than one line per row, and each line is cut at a break point before rich
  sees it (columns have a fixed width and never wrap themselves);
- when the table is still wider than the screen: a lighter frame (no vertical rules); then
  the headers marked `legend` stand as marks, named under the table (甲 乙 丙 on a Chinese
  screen, as a Chinese form marks its columns; A B C in English); then the least useful
  columns (`drop`, lowest first) are left out, and the table says which; last, every row is
  printed as lines of "header value" items.

CLI only. Text from input files is cleaned (`fivestar.safe_text`) before it is measured.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fivestar.i18n import ZH, _, language
from fivestar.safe_text import clean

BREAK = "\x00"  # a break point the code puts between parts (never in cleaned input text)
GLUE = "\u00a0"  # a space that never breaks (shown as a space)
_AFTER = frozenset("，；、。：）,;")
_BEFORE = frozenset("（")

Justify = Literal["left", "right", "center"]
Cell = str | tuple[str, ...]  # a str is one text; a tuple, parts that may go on separate lines


def enumeration() -> str:
    """The separator of a list of names: 武城县局、陵县局 / 武城县局, 陵县局."""
    return "、" if language() == ZH else ", "


def comma() -> str:
    """The separator of a list of clauses: …2 次，…1 次 / … 2 times, … 1 time."""
    return "，" if language() == ZH else ", "


def semicolon() -> str:
    """The separator of conditions: 入户走访户数 ≥ 80；人号一致率 ≥ 100%."""
    return "；" if language() == ZH else "; "


def listed(items: Iterable[object]) -> tuple[str, ...]:
    """Names as a list (see `enumeration`) a line may break between, never inside a name."""
    names = [str(item) for item in items]
    sep = enumeration()
    return tuple(f"{name}{sep}" for name in names[:-1]) + tuple(names[-1:])


def parts(*pieces: object) -> tuple[str, ...]:
    """Text made of parts a line may break between (a prefix and a star's name, items)."""
    return tuple(str(p) for p in pieces)


def glued(text: str) -> str:
    """`text` whose spaces never break ("2 次", "入户走访户数 ≥ 80")."""
    return text.replace(" ", GLUE)


def _clean(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return BREAK.join(clean(p) for p in cell)
    return clean(cell)


def _by_number(before: str, ch: str) -> bool:
    # "还差 4 户", "2.5 个百分点", "2014-05-06 09:12": a number keeps its neighbours
    return ch.isdigit() or before.rstrip()[-1:].isdigit()


def pieces(paragraph: str) -> list[str]:
    """The unbreakable pieces of one line of text, each with its trailing spaces."""
    found: list[str] = []
    current = ""
    for i, ch in enumerate(paragraph):
        if ch == " " and not current and found:  # a space after a break point stays with it
            found[-1] += ch
            continue
        if ch == BREAK:
            found.append(current)
            current = ""
            continue
        spaced = current[-1:] == " " and ch != " " and not _by_number(current, ch)
        if current.strip() and (ch in _BEFORE or spaced):
            # a space ends a piece once it has text, but not beside a number: "还差 4 户"
            found.append(current)
            current = ""
        current += ch
        after = paragraph[i + 1] if i + 1 < len(paragraph) else ""
        if ch in _AFTER or ch in "/\\" or (ch == ":" and after not in string.digits):
            found.append(current)
            current = ""
    found.append(current)
    return [p for p in found if p]


def _show(line: str) -> str:
    return line.replace(GLUE, " ").replace(BREAK, "")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken only at its break points (but a
    piece wider than `width`, see `_fold`); its own line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _fold(pieces(paragraph), width):
            if line.strip() and cell_len((line + piece).rstrip()) > width:
                lines.append(line.rstrip())
                line = piece
            else:
                line += piece
        lines.append(line.rstrip())
    return [_show(line) for line in lines]


def _fold(found: list[str], width: int) -> list[str]:
    """A piece wider than the whole screen is cut by characters: the terminal would do it
    anyway, and mid-character; a table's column is never narrower than its pieces."""
    folded: list[str] = []
    for whole in found:
        piece = whole
        while cell_len(_show(piece.rstrip())) > width:
            fits = (n for n in range(len(piece) - 1, 0, -1) if cell_len(_show(piece[:n])) <= width)
            cut = next(fits, 1)
            folded.append(piece[:cut])
            piece = piece[cut:]
        folded.append(piece)
    return folded


def widest_piece(text: str) -> int:
    return max((cell_len(_show(p.rstrip())) for line in text.split("\n") for p in pieces(line)),
               default=0)  # fmt: skip


def widest_line(text: str) -> int:
    return max((cell_len(_show(line)) for line in text.split("\n")), default=0)


def print_wrapped(
    console: Console, text: Cell, *, indent: int = 0, hanging: int = 0, style: str | None = None
) -> None:
    """One message (cleaned; a tuple: parts it may break between), wrapped at its break
    points to the screen's width: never a word split. `indent` cells before the first line,
    `indent + hanging` before the others."""
    _print_lines(console, _clean(text), indent=indent, hanging=hanging, style=style)


def _print_lines(
    console: Console, text: str, *, indent: int = 0, hanging: int = 0, style: str | None = None
) -> None:
    width = max(console.width - indent - hanging, 10)
    for n, line in enumerate(wrap(text, width)):
        lead = " " * (indent + (hanging if n else 0))
        console.print(Text(lead + line, style=style or ""), soft_wrap=True)


def print_items(
    console: Console, lead: str, items: Iterable[str], *, sep: str = "，", hanging: int = 0
) -> None:
    """`lead` then `items` joined by `sep`, wrapped between items only (each item glued)."""
    shown = [glued(clean(item)) for item in items]
    text = BREAK.join([clean(lead), *(f"{item}{sep}" for item in shown[:-1]), *shown[-1:]])
    _print_lines(console, text, hanging=hanging)


# How a Chinese form marks its columns (甲栏、乙栏): a Latin letter would be the one foreign
# word on a Chinese screen. Ten of them; a table with more marked columns takes letters.
_CHINESE_MARKS = "甲乙丙丁戊己庚辛壬癸"


def column_marks(count: int) -> str:
    """The marks that stand for `count` headers named under a narrow table."""
    if language() == ZH and count <= len(_CHINESE_MARKS):
        return _CHINESE_MARKS
    return string.ascii_uppercase


@dataclass(frozen=True)
class Column:
    """A column of a `FitTable`: how it may give way when the screen is narrow."""

    header: str
    justify: Justify = "left"
    wrap: bool = False  # cells may take several lines, broken at their break points
    drop: int = 0  # 0: always shown; else left out on a narrow screen, lowest first
    legend: bool = False  # the header may stand as a letter, named under the table


@dataclass(frozen=True)
class _Plan:
    shown: tuple[int, ...]  # the columns kept, by index
    widths: tuple[int, ...]
    compact: bool
    legend: bool


class FitTable:
    """A table laid out for the screen it is printed on; `print(console)` draws it."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        title: str = "",
        show_header: bool = True,
        show_lines: bool = False,
    ) -> None:
        # a header may be a rules file's label: cleaned as input text is
        self.columns = tuple(replace(c, header=clean(c.header, keep="")) for c in columns)
        self.title = clean(title)
        self.show_header = show_header
        self.show_lines = show_lines
        self.rows: list[tuple[list[str], str | None]] = []

    def add_row(self, *cells: Cell, style: str | None = None) -> None:
        self.rows.append(([_clean(c) for c in cells], style))

    # -- layout -------------------------------------------------------------------------
    def _header(self, i: int, legend: bool, letters: dict[int, str]) -> str:
        if legend and i in letters:
            return letters[i]
        return self.columns[i].header if self.show_header else ""

    def _letters(self) -> dict[int, str]:
        marked = [i for i, c in enumerate(self.columns) if c.legend]
        marks = column_marks(len(marked))
        return {i: marks[n % len(marks)] for n, i in enumerate(marked)}

    def _bounds(self, i: int, legend: bool, letters: dict[int, str]) -> tuple[int, int]:
        """(narrowest, natural) content width of column i."""
        texts = [row[i] for row, _ in self.rows] + [self._header(i, legend, letters)]
        natural = max(widest_line(t) for t in texts)
        if not self.columns[i].wrap:
            header = self._header(i, legend, letters)
            cells = max((widest_line(row[i]) for row, _ in self.rows), default=0)
            return max(widest_piece(header), cells), natural
        return max(widest_piece(t) for t in texts), natural

    @staticmethod
    def _frame(n: int, compact: bool) -> int:
        # heavy frame: │ a │ b │ = 3 per column + 1; compact: 2 between columns
        return 2 * (n - 1) if compact else 3 * n + 1

    def _plan(self, width: int) -> _Plan | None:
        letters = self._letters()
        droppable = sorted({c.drop for c in self.columns if c.drop})
        for level in [0, *droppable]:
            shown = tuple(i for i, c in enumerate(self.columns) if not c.drop or c.drop > level)
            for legend in (False, True) if letters else (False,):
                if legend and not any(i in letters for i in shown):
                    continue
                bounds = [self._bounds(i, legend, letters) for i in shown]
                for compact in (False, True):
                    room = width - self._frame(len(shown), compact)
                    if sum(low for low, _ in bounds) > room:
                        continue
                    widths = [high for _, high in bounds]
                    while sum(widths) > room:  # narrow the wrapping column with most to give
                        k = max(range(len(widths)), key=lambda k: widths[k] - bounds[k][0])
                        widths[k] -= 1
                    return _Plan(shown, tuple(widths), compact, legend)
        return None

    # -- drawing ------------------------------------------------------------------------
    def print(self, console: Console) -> None:
        plan = self._plan(console.width)
        if plan is None:
            self._print_stacked(console)
            return
        letters = self._letters()
        table_width = sum(plan.widths) + self._frame(len(plan.shown), plan.compact)
        title = None
        if self.title:
            if cell_len(self.title) <= table_width:
                title = Text(self.title)
            else:  # rich would fold a long title: print it wrapped, above
                _print_lines(console, self.title)
        table = Table(
            title=title,
            show_header=self.show_header,
            show_lines=self.show_lines,
            box=box.SIMPLE_HEAD if plan.compact else box.HEAVY_HEAD,
            padding=(0, 1, 0, 0) if plan.compact else (0, 1),
            pad_edge=not plan.compact,
            show_edge=not plan.compact,
            collapse_padding=False,
        )
        for i, w in zip(plan.shown, plan.widths, strict=True):
            column = self.columns[i]
            header = self._header(i, plan.legend, letters)
            table.add_column(
                Text("\n".join(wrap(header, w))), justify=column.justify, width=w,
                no_wrap=True, overflow="ellipsis",
            )  # fmt: skip
        for cells, style in self.rows:
            shown = [Text("\n".join(wrap(cells[i], w))) for i, w in zip(plan.shown, plan.widths,
                                                                        strict=True)]  # fmt: skip
            table.add_row(*shown, style=style)
        notes: list[str] = []
        if plan.legend:
            named = [f"{letters[i]}{GLUE}{glued(self.columns[i].header)}" for i in plan.shown
                     if i in letters]  # fmt: skip
            notes.append(BREAK.join(f"{n}  " for n in named).rstrip())
        left_out = [self.columns[i].header for i in range(len(self.columns))
                    if i not in plan.shown]  # fmt: skip
        if left_out:
            sep = enumeration()
            notes.append(
                _("Not shown on a screen this narrow: {columns}").format(
                    columns=BREAK.join(f"{glued(h)}{sep}" for h in left_out).removesuffix(sep)
                )
            )
        if notes:
            table.caption = Text("\n".join(line for n in notes for line in wrap(n, table_width)))
            table.caption_justify = "left"
        console.print(table)

    def _print_stacked(self, console: Console) -> None:
        """Too narrow for columns: each row as "header value" items, wrapped between items."""
        if self.title:
            _print_lines(console, self.title, style="bold")
        for n, (cells, style) in enumerate(self.rows):
            items = []
            for column, cell in zip(self.columns, cells, strict=True):
                if not cell.strip():
                    continue
                value = cell.replace("\n", BREAK + " ")
                head = f"{glued(column.header)} {BREAK}" if self.show_header else ""
                items.append(f"{head}{value}  ")
            if n:
                console.print()
            _print_lines(console, BREAK.join(items).rstrip(), hanging=2, style=style)
