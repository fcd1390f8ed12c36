"""The store's schema as a list of migrations; version N is `MIGRATIONS[N - 1]`.

The SQL is kept portable (plain types, no SQLite-only syntax) so that a second backend can
run the same statements; backend details (pragmas, locking) live in `fivestar.store.store`.
Booleans are INTEGER 0/1; times are ISO 8601 text; lists are JSON text.
"""

from __future__ import annotations

from fivestar.columns import COUNT_KEYS, RATE_KEYS

_COUNTS = ",\n".join(f"    {key} INTEGER NOT NULL" for key in COUNT_KEYS)
_RATES = ",\n".join(f"    {key} REAL" for key in RATE_KEYS)

V1: tuple[str, ...] = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    """CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    rules_path TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    rules_model TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    started TEXT NOT NULL,
    recorded TEXT NOT NULL,
    command_line TEXT NOT NULL,
    report TEXT,
    rows_read INTEGER NOT NULL,
    evaluated INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    notes TEXT NOT NULL
)""",
    "CREATE INDEX runs_by_month ON runs (month, id)",
    """CREATE TABLE inputs (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_format TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    evaluated INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    sheets_used TEXT NOT NULL,
    sheets_skipped TEXT NOT NULL,
    ignored_columns TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (run_id, seq)
)""",
    f"""CREATE TABLE officers (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    officer_id TEXT NOT NULL,
    name TEXT NOT NULL,
    bureau TEXT NOT NULL,
    station TEXT NOT NULL,
    office TEXT NOT NULL,
    role TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sheet TEXT NOT NULL,
    source_row INTEGER,
{_COUNTS},
{_RATES},
    derived TEXT NOT NULL,
    under_minimum INTEGER NOT NULL,
    PRIMARY KEY (run_id, officer_id)
)""",
    """CREATE TABLE outcomes (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    officer_id TEXT NOT NULL,
    star TEXT NOT NULL,
    star_order INTEGER NOT NULL,
    eligible INTEGER NOT NULL,
    qualified INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    near_miss INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    star_rank INTEGER,
    named INTEGER NOT NULL,
    tied INTEGER NOT NULL,
    named_for TEXT NOT NULL,
    PRIMARY KEY (run_id, officer_id, star)
)""",
    "CREATE INDEX outcomes_named ON outcomes (run_id, named)",
    """CREATE TABLE issues (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    seq INTEGER NOT NULL,
    file TEXT NOT NULL,
    sheet TEXT,
    excel_row INTEGER,
    column_header TEXT,
    cell_value TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
)""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1,)
LATEST = len(MIGRATIONS)

# Column order of the officers table after the identifying text columns.
OFFICER_TEXT = ("officer_id", "name", "bureau", "station", "office", "role")
OFFICER_SOURCE = ("source_file", "source_sheet", "source_row")
OFFICER_METRICS = COUNT_KEYS + RATE_KEYS
OUTCOME_FIELDS = (
    "officer_id",
    "star",
    "star_order",
    "eligible",
    "qualified",
    "failed",
    "near_miss",
    "reasons",
    "star_rank",
    "named",
    "tied",
    "named_for",
)
