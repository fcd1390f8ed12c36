"""Cells turned into text in bulk read the same as cell by cell (`io.values`)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from fivestar.io.values import HALF_WIDTH, _cells_text_loop, cells_text, half_width_stripped

TEXTS = ["", " ", "  12 ", "abc", "\u3000十二\u3000", "１２", "a\nb ", "\t", "\x1c x \x1f", "0012"]
NUMBERS = [0.0, -0.0, 1.0, 12.0, 12.5, 371402001.0, 2.0**60, float("nan"), float("inf"), -3.0]


def column(seed: int, kinds: list[object]) -> list[object]:
    rng = random.Random(seed)
    return [rng.choice(kinds) for _ in range(200)]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "kinds",
    [
        TEXTS,
        NUMBERS,
        [*NUMBERS, None],
        [*TEXTS, *NUMBERS, None],
        [*TEXTS, "with\x00nul", None],
        [*TEXTS, *NUMBERS, 7, True, datetime(2014, 4, 1)],
    ],
    ids=["text", "numbers", "numbers-blanks", "mixed", "nul", "exotic"],
)
def test_cells_text_in_bulk_is_the_cell_by_cell_text(seed: int, kinds: list[object]) -> None:
    cells = column(seed, kinds)
    assert cells_text(cells) == _cells_text_loop(cells)
    assert cells_text(tuple(cells)) == _cells_text_loop(cells)


@pytest.mark.parametrize("seed", range(5))
def test_half_width_in_bulk_is_each_text_translated_and_trimmed(seed: int) -> None:
    texts = [str(t) for t in column(seed, [*TEXTS, "x\x00y", "１，２３４ "])]
    expected = [t.translate(HALF_WIDTH).strip() for t in texts]
    assert half_width_stripped(texts) == expected
    assert half_width_stripped([t for t in texts if "\x00" not in t]) == [
        t.translate(HALF_WIDTH).strip() for t in texts if "\x00" not in t
    ]
    assert half_width_stripped([]) == []
