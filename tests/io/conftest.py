"""Fixtures for the reader tests; the file builders live in io_builders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from io_builders import MONTH

from fivestar.io import InputBatch, ReadOptions, read_inputs

Reader = Callable[..., InputBatch]


@pytest.fixture
def read() -> Reader:
    """read(*paths, month=, aliases=, sheets=, encoding=, recursive=) with the defaults set."""

    def run(
        *paths: Path,
        month: str = MONTH,
        aliases: Mapping[str, Sequence[str]] | None = None,
        **options: Any,
    ) -> InputBatch:
        return read_inputs(list(paths), month, aliases or {}, ReadOptions(**options))

    return run
