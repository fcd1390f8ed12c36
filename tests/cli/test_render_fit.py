"""The terminal's layout by display width (fivestar.cli.render_fit): where text may break,
and how a table gives way on a narrow screen."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from fivestar.cli.render_fit import Column, FitTable, glued, parts, pieces, wrap


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("郑家寨派出所", ["郑家寨派出所"]),  # a name never breaks
        ("资格：入户走访户数 76，还差 4 户", ["资格：", "入户走访户数 76，", "还差 4 户"]),
        ("因故取消（张三，2026-12-03 18:23）", ["因故取消", "（张三，", "2026-12-03 18:23）"]),
        ("built-in:dezhou-2014.toml", ["built-in:", "dezhou-2014.toml"]),
        ("rules/dezhou-2014.toml", ["rules/", "dezhou-2014.toml"]),
        ("visits 76, 4 short", ["visits 76, ", "4 short"]),
        ("ranking: competition", ["ranking: ", "competition"]),
    ],
)
def test_text_breaks_only_between_words(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_parts_and_glue() -> None:
    assert pieces("\x00".join(parts("已获评", "纠纷调解之星"))) == ["已获评", "纠纷调解之星"]
    assert wrap(glued("入户走访户数 ≥ 80"), 20) == ["入户走访户数 ≥ 80"]
    assert wrap("入户走访户数 ≥ 80", 14) == ["入户走访户数", "≥ 80"]
    assert wrap("已获评\x00纠纷调解之星", 12) == ["已获评", "纠纷调解之星"]


def test_only_a_piece_wider_than_the_screen_is_cut() -> None:
    assert wrap("甲乙丙丁戊己", 4) == ["甲乙", "丙丁", "戊己"]
    assert wrap("甲乙 丙丁", 4) == ["甲乙", "丙丁"]


def drawn(table: FitTable, width: int) -> list[str]:
    screen = io.StringIO()
    table.print(Console(file=screen, width=width))
    return screen.getvalue().splitlines()


def table() -> FitTable:
    fit = FitTable(
        [
            Column("姓名"),
            Column("派出所", drop=1),
            Column("入户走访户数", justify="right", legend=True),
            Column("差距", wrap=True),
        ],
        title="入户走访之星",
    )
    fit.add_row("薛翠翠", "郑家寨派出所", "162", "资格：群众满意率 99.96%，还差 0.04 个百分点")
    return fit


@pytest.mark.parametrize("width", [20, 30, 40, 50, 60, 80, 120])
def test_a_table_gives_way_without_splitting_a_word(width: int) -> None:
    lines = drawn(table(), width)
    assert max(cell_len(line) for line in lines) <= width
    # (below 30 columns a gap's "群众满意率 99.96%，" is wider than the room for it)
    gaps = ("群众满意率 99.96%，", "还差 0.04 个百分点") if width >= 30 else ()
    for token in ("薛翠翠", "郑家寨派出所", *gaps):
        shown = any(token in line for line in lines)
        assert shown or (token == "郑家寨派出所" and "未显示：派出所" in lines[-1]), (width, token)


def test_the_stages_a_table_goes_through() -> None:
    assert "┃ 入户走访户数 ┃" in "\n".join(drawn(table(), 120))  # all of it, framed
    narrow = "\n".join(drawn(table(), 50))
    assert "甲 入户走访户数" in narrow or "未显示：派出所" in narrow
    stacked = drawn(table(), 20)
    assert stacked[1].startswith("姓名 薛翠翠")  # one row as "header value" lines
