"""The store's schema as a list of migrations; version N is `MIGRATIONS[N - 1]`.

The SQL is portable: SQLite and PostgreSQL run the same statements (backend details —
pragmas, locks, the connection — live in `fivestar.store.backend`). Booleans are INTEGER 0/1;
times are ISO 8601 text; lists are JSON text. Rates are DOUBLE PRECISION: the same 8-byte REAL
in SQLite, and not PostgreSQL's 4-byte REAL, which would round 0.985.

`TABLES` describes the latest schema for SQLAlchemy Core (inserts and selects); a test checks
it against a migrated database.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text

from fivestar.columns import COUNT_KEYS, RATE_KEYS

_COUNTS = ",\n".join(f"    {key} INTEGER NOT NULL" for key in COUNT_KEYS)
_RATES = ",\n".join(f"    {key} DOUBLE PRECISION" for key in RATE_KEYS)

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

# Version 2: the county bureaus each run covered (its scope), so that a month's city-wide
# result can take each bureau from the latest run that covered it.
V2: tuple[str, ...] = (
    """CREATE TABLE run_bureaus (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    bureau TEXT NOT NULL,
    officers INTEGER NOT NULL,
    PRIMARY KEY (run_id, bureau)
)""",
    "CREATE INDEX run_bureaus_by_bureau ON run_bureaus (bureau, run_id)",
    "INSERT INTO run_bureaus (run_id, bureau, officers) "
    "SELECT run_id, bureau, COUNT(*) FROM officers GROUP BY run_id, bureau",
)

# Version 3: the bureau's decisions after the ranking (exclusions and their withdrawal,
# confirmation and reopening), an append-only log: nothing in it is updated or deleted.
# `confirmed` keeps the list a confirmation named, as it was then.
V3: tuple[str, ...] = (
    """CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    action TEXT NOT NULL,
    officer_id TEXT,
    name TEXT,
    star TEXT,
    bureau TEXT,
    reason TEXT NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    runs TEXT NOT NULL
)""",
    "CREATE INDEX decisions_by_month ON decisions (month, id)",
    """CREATE TABLE confirmed (
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    seq INTEGER NOT NULL,
    star TEXT NOT NULL,
    star_rank INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    name TEXT NOT NULL,
    bureau TEXT NOT NULL,
    station TEXT NOT NULL,
    PRIMARY KEY (decision_id, seq)
)""",
)

# Version 4: officer look-ups by 警号 (explain, history --officer, where else an officer is
# stored) use an index instead of reading every run's officers.
V4: tuple[str, ...] = ("CREATE INDEX officers_by_officer ON officers (officer_id, run_id)",)

# Version 5: a star's reasons as data (fivestar.engine.reasons): outcomes.reasons holds a JSON
# array of {"code", "params"}. An older run's text ("a；b") becomes one legacy-text reason per
# part, its backslashes and quotes escaped; plain SQL that both backends run (a control
# character is left as it is: the reader parses leniently).
_LEGACY = '{"code":"legacy-text","params":{"text":"'
_LEGACY_END = '"}}'
V5: tuple[str, ...] = (
    "UPDATE outcomes SET reasons = '[]' WHERE reasons = ''",
    "UPDATE outcomes SET reasons = '[" + _LEGACY + "' || "
    "REPLACE(REPLACE(REPLACE(reasons, '\\', '\\\\'), '\"', '\\\"'), "
    "'；', '" + _LEGACY_END + "," + _LEGACY + "') || '" + _LEGACY_END + "]' "
    "WHERE reasons <> '[]'",
)

# Version 6: the optional input columns a run's rules declared for their vetoes (有效投诉数,
# 违纪; `fivestar.rules.inputs`), each officer's as JSON ({key: value or null}), so that a
# month judged again from the store applies the same vetoes. Older runs read as none ('{}').
V6: tuple[str, ...] = (
    "ALTER TABLE officers ADD COLUMN optional_inputs TEXT NOT NULL DEFAULT '{}'",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3, V4, V5, V6)
LATEST = len(MIGRATIONS)

# Column order of the officers table after the identifying text columns.
OFFICER_TEXT = ("officer_id", "name", "bureau", "station", "office", "role")
OFFICER_SOURCE = ("source_file", "source_sheet", "source_row")
OFFICER_METRICS = COUNT_KEYS + RATE_KEYS


def _text(*names: str, null: bool = False) -> list[Column[str]]:
    return [Column(name, Text, nullable=null) for name in names]


def _int(*names: str, null: bool = False) -> list[Column[int]]:
    return [Column(name, Integer, nullable=null) for name in names]


META = MetaData()
RUNS = Table(
    "runs",
    META,
    Column("id", Integer, primary_key=True, autoincrement=False),
    *_text("month", "rules_path", "rules_sha256", "rules_model", "tool_version"),
    *_text("started", "recorded", "command_line"),
    Column("report", Text),
    *_int("rows_read", "evaluated", "rejected", "skipped"),
    Column("notes", Text, nullable=False),
)
INPUTS = Table(
    "inputs",
    META,
    *_int("run_id", "seq"),
    *_text("path", "sha256", "file_format"),
    *_int("rows_read", "evaluated", "rejected", "skipped"),
    *_text("sheets_used", "sheets_skipped", "ignored_columns"),
    Column("error", Text),
)
OFFICERS = Table(
    "officers",
    META,
    Column("run_id", Integer, nullable=False),
    *_text(*OFFICER_TEXT, *OFFICER_SOURCE[:2]),
    Column("source_row", Integer),
    *_int(*COUNT_KEYS),
    *[Column(key, Float(53)) for key in RATE_KEYS],
    Column("derived", Text, nullable=False),
    Column("under_minimum", Integer, nullable=False),
    Column("optional_inputs", Text, nullable=False),
)
OUTCOMES = Table(
    "outcomes",
    META,
    Column("run_id", Integer, nullable=False),
    *_text("officer_id", "star"),
    *_int("star_order", "eligible", "qualified", "failed", "near_miss"),
    Column("reasons", Text, nullable=False),
    Column("star_rank", Integer),
    *_int("named", "tied"),
    Column("named_for", Text, nullable=False),
)
ISSUES = Table(
    "issues",
    META,
    *_int("run_id", "seq"),
    Column("file", Text, nullable=False),
    *_text("sheet", null=True),
    Column("excel_row", Integer),
    *_text("column_header", "cell_value", null=True),
    Column("reason", Text, nullable=False),
)
RUN_BUREAUS = Table(
    "run_bureaus",
    META,
    Column("run_id", Integer, nullable=False),
    Column("bureau", Text, nullable=False),
    Column("officers", Integer, nullable=False),
)
DECISIONS = Table(
    "decisions",
    META,
    Column("id", Integer, primary_key=True, autoincrement=False),
    *_text("month", "action"),
    *_text("officer_id", "name", "star", "bureau", null=True),
    *_text("reason", "author", "at"),
    Column("run_id", Integer, nullable=False),
    Column("runs", Text, nullable=False),
)
CONFIRMED = Table(
    "confirmed",
    META,
    *_int("decision_id", "seq"),
    Column("star", Text, nullable=False),
    Column("star_rank", Integer, nullable=False),
    *_text("officer_id", "name", "bureau", "station"),
)
SCHEMA_VERSION = Table("schema_version", META, Column("version", Integer, nullable=False))
TABLES: dict[str, Table] = {t.name: t for t in META.sorted_tables}
