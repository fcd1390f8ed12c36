"""Writing a run's rows: executemany in column order, and the staging that lets a run be
written while its report is, without holding the store's lock (see `Store.record`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Connection, Integer, MetaData, Table, insert, literal, select
from sqlalchemy.exc import SQLAlchemyError

from fivestar.engine.notes import encode as encode_notes
from fivestar.store.rows import Chunks
from fivestar.store.schema import TABLES

if TYPE_CHECKING:
    from fivestar.model import RunResult

# The big tables of a run, with their primary keys after run_id: staged before the run's lock
# is taken when recording beside the report, then copied under it (see `Store.record`).
STAGED = {"officers": ("officer_id",), "outcomes": ("officer_id", "star")}


def _stage_table(table: Table) -> Table:
    """A temporary table with `table`'s columns and no constraints, under a unique name."""
    name = f"stage_{table.name}_{uuid.uuid4().hex[:12]}"
    columns = [Column(c.name, c.type) for c in table.columns]
    return Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])


def executemany(conn: Connection, target: Table, run_id: int, rows: list[tuple[Any, ...]]) -> None:
    """An executemany of `rows` (each without run_id) into `target`, in column order."""
    if not rows:
        return
    names = [c.name for c in target.columns]
    if conn.dialect.paramstyle == "qmark":
        # SQLite: the driver's own executemany with positional rows, ~10x faster than
        # SQLAlchemy's per-row parameter processing. Names are schema constants, not input.
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {target.name} ({', '.join(names)}) VALUES ({marks})"
        conn.exec_driver_sql(sql, [(run_id, *row) for row in rows])
        return
    conn.execute(insert(target), [dict(zip(names, (run_id, *row), strict=True)) for row in rows])


def copy_staged(conn: Connection, stage: Table, target: Table, run_id: int) -> None:
    """INSERT INTO target SELECT run_id, ... FROM stage: the database copies the rows."""
    names = [c.name for c in target.columns]
    source = select(literal(run_id, Integer).label(names[0]), *(stage.c[n] for n in names[1:]))
    conn.execute(insert(target).from_select(names, source))


def run_row(result: RunResult, command_line: str, recorded: datetime) -> dict[str, Any]:
    """The runs table's row of `result` (its id aside)."""
    counts = result.counts
    return {
        "month": result.month,
        "rules_path": result.rules.path,
        "rules_sha256": result.rules.sha256,
        "rules_model": result.rules.model.model_dump_json(),
        "tool_version": result.tool_version,
        "started": result.started.isoformat(timespec="seconds"),
        "recorded": recorded.isoformat(timespec="seconds"),
        "command_line": command_line,
        "report": str(result.report) if result.report else None,
        "rows_read": counts.read,
        "evaluated": counts.evaluated,
        "rejected": counts.rejected,
        "skipped": counts.skipped,
        "notes": encode_notes(result.evaluation.notes),  # codes and params, not words
    }


def stage_rows(conn: Connection, chunks: dict[str, Chunks]) -> dict[str, Table]:
    """The STAGED tables' rows (`chunks`, written as they are built) put in temporary
    tables of this connection (run_id 0), committed: only this connection sees them, and
    no lock on the store is held afterwards. Where the database refuses (a role without
    the right to create temporary tables), nothing is staged: the caller inserts the rows
    under the lock."""
    staged: dict[str, Table] = {}
    try:
        with conn.begin():
            for table, primary_key in STAGED.items():
                stage = _stage_table(TABLES[table])
                stage.create(conn)
                # in the order of the target's primary key, so that the copy appends to its
                # index instead of inserting all over it
                for rows in chunks[table](primary_key):
                    executemany(conn, stage, 0, rows)
                staged[table] = stage
    except SQLAlchemyError:
        return {}  # rolled back: no temporary table is left
    return staged
