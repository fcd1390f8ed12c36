"""A run's big tables are built and written a chunk at a time (issue 17: 200,000 officers in
one run within 1 GiB). Built whole, a province's million outcome rows as Python tuples took
~0.5 GiB in the recorder alone."""

from __future__ import annotations

from typing import Any

import pytest

from fivestar.rules import RuleSet
from fivestar.store import open_store, rows, store, writing
from tests.store.builders import april_rows, run_result
from tests.store.conftest import execute

OFFICERS = (
    "SELECT officer_id, name, bureau, station, office, role, source_file, source_sheet, "
    "source_row, visits, satisfaction, derived, under_minimum FROM officers WHERE run_id = {run} "
    "ORDER BY officer_id"
)
OUTCOMES = (
    "SELECT officer_id, star, star_order, eligible, qualified, failed, near_miss, reasons, "
    "star_rank, named, tied, named_for FROM outcomes WHERE run_id = {run} "
    "ORDER BY star_order, officer_id"
)


def test_the_big_tables_are_written_a_chunk_at_a_time_with_the_same_rows(
    location: str, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_result(rules, "2014-04", april_rows())
    with open_store(location) as opened:
        assert opened.record(result, "cmd") == 1  # 9 officers, 45 outcomes: one chunk each
        written: list[tuple[str, int]] = []
        real = writing.executemany

        def counted(conn: Any, target: Any, run_id: int, batch: list[Any]) -> None:
            written.append((target.name, len(batch)))
            real(conn, target, run_id, batch)

        monkeypatch.setattr(rows, "CHUNK", 4)
        monkeypatch.setattr(writing, "executemany", counted)  # staged
        monkeypatch.setattr(store, "executemany", counted)  # inserted under the lock
        assert opened.record(result, "cmd", when_ready=lambda: None) == 2
        assert opened.record(result, "cmd") == 3
    big = [(name, n) for name, n in written if "officers" in name or "outcomes" in name]
    assert max(n for _, n in big) == 4
    assert sum(n for name, n in big if name.startswith("stage_outcomes")) == 45
    assert sum(n for name, n in big if name == "outcomes") == 45
    for query in (OFFICERS, OUTCOMES):
        whole, staged, inserted = execute(location, *(query.format(run=r) for r in (1, 2, 3)))
        assert len(whole) in (9, 45)
        assert whole == staged == inserted
