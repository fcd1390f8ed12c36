"""The library entry point for a month's evaluation: read, evaluate, write, return a result.

`evaluate_month` is what `fivestar evaluate` calls; the CLI only decides how to print the
`RunResult` it gets back.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fivestar.engine import evaluate
from fivestar.engine.compact import share_texts
from fivestar.engine.fairness import PastWinners
from fivestar.errors import (
    DEFAULT,
    NOT_XLSX,
    OUT,
    PER_FILE,
    InputError,
    OutputError,
    OutputRefused,
    RecordedError,
    StrictRefused,
    UsageError,
)
from fivestar.findings import Issue
from fivestar.i18n import N_, language, translate
from fivestar.io import InputBatch, ReadOptions, discover_files, file_label, read_inputs
from fivestar.model import RunResult
from fivestar.own_files import is_fivestar_report
from fivestar.rules import RuleSet, rules_for_month
from fivestar.run_scope import Scope, bureaus_in, scope_of
from fivestar.store.recording import Recording, StoreProbe

if TYPE_CHECKING:
    import pandas as pd


def evaluate_month(
    month: str,
    inputs: Sequence[Path],
    *,
    rules_path: Path | None = None,
    out: Path | None = None,
    options: ReadOptions | None = None,
    per_file: bool = False,
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    files_found: Callable[[int], None] | None = None,
    record: bool = False,
    db: str | Path | None = None,
    command_line: str = "",
) -> RunResult:
    """Evaluate `month` from `inputs`, write the report, and (with `record`) store the run.

    `files_found` is told how many files will be read (folders expanded) before the first
    is; `progress` is called once each is read. The store is committed in one transaction
    once the reports are built, before they are moved into place: a failed run leaves the
    store and every report as they were. Raises InputError when nothing can be evaluated,
    UsageError for a refused report path (an input file, or a file fivestar did not write),
    StoreError when the store cannot be written (no report changed), RecordedError when the
    run is recorded but a report could not be moved into place.
    """
    rules = rules_for_month(month, rules_path)
    options = options or ReadOptions()
    report = out if out is not None else Path(f"fivestar-{month}.xlsx")
    if report.suffix.lower() != ".xlsx":
        raise OutputRefused(report, NOT_XLSX, OUT if out is not None else DEFAULT)
    from fivestar.report.workbook import check_replaceable

    # this run's own earlier reports, named again by the same command (a `*.xlsx` in the
    # county folder), are left out as a folder leaves them out: not an issue of this run
    inputs = [path for path in inputs if not _own_report(path, report, per_file or out is None)]
    files, missing = discover_files(inputs, options.recursive)
    _refuse_overwriting_inputs(report, inputs, files)
    check_replaceable(report, OUT if out is not None else DEFAULT)
    if per_file:
        labels = [issue.file for issue in missing] + [file_label(path) for path in files]
        for path in _per_file_paths(report, labels).values():
            check_replaceable(path, PER_FILE)
    if files_found is not None:
        files_found(len(files))
    # The store is checked while the files are read: when it cannot be reached, nothing is
    # written. The check writes nothing; the store is created, if new, when the run is recorded.
    with StoreProbe(db, month) if record else nullcontext() as probe:
        batch = read_inputs(
            inputs, month, rules.aliases, options, progress, discovered=(files, missing),
            optional=rules.optional_columns,
        )  # fmt: skip
        _refuse_unusable(batch, month, strict)
        if out is None:  # a county's own run is named after it: two never overwrite each other
            report = _default_report(
                rules, month, batch=batch, inputs=inputs, files=files, per_file=per_file
            )
        # the month's exclusions in force, read by the probe: passed over in this run too
        decisions = probe.wait() if probe is not None else ()
    result = RunResult(
        month=month,
        rules=rules,
        # one object per distinct text: less memory here and in the forked recorder
        evaluation=share_texts(
            evaluate(
                rules,
                batch.officers,
                month,
                past=_past_winners(rules, month, record, db),
                bars=_bars(rules, decisions),
            )
        ),
        files=batch.files,
        issues=batch.issues,
        report=report,
        decisions=decisions,
    )
    del batch  # the evaluation has its own copy of the officers: not held while writing
    from fivestar.report import write_report

    if not record:
        write_report(report, result)
        return replace(result, per_file_reports=_write_per_file(result, report) if per_file else [])
    # The store is written beside the reports. They are built in temporary files first, the
    # run is committed, and only then are they moved into place: a commit that fails
    # (locked, disk full, server gone) leaves every report at --out as it was.
    from fivestar.report.workbook import discard

    with Recording(db, result, command_line) as recording:
        staged = _build_reports(result, report, per_file)
        try:
            run_id = recording.commit()
        except BaseException:
            for temp, _ in staged:
                discard(temp)
            raise
    return replace(result, per_file_reports=_put_reports(staged, run_id)[1:], run_id=run_id)


def _build_reports(result: RunResult, report: Path, per_file: bool) -> list[tuple[Path, Path]]:
    """(temporary file, report path) of the report and, with `per_file`, each county's:
    all built, none in place yet. If one fails, those built are removed."""
    from fivestar.report import build_report
    from fivestar.report.workbook import discard

    staged: list[tuple[Path, Path]] = []
    try:
        staged.append((build_report(report, result), report))
        for sub in _per_file_results(result, report) if per_file else []:
            assert sub.report is not None
            staged.append((build_report(sub.report, sub), sub.report))
    except BaseException:
        for temp, _ in staged:
            discard(temp)
        raise
    return staged


def _put_reports(staged: list[tuple[Path, Path]], run_id: int) -> list[Path]:
    """Move the built reports into place once run `run_id` is committed. A move that fails
    is a RecordedError: the run is in the store, its report (or a county's) is not."""
    from fivestar.report.workbook import discard, put_in_place

    placed: list[Path] = []
    try:
        for temp, path in staged:
            put_in_place(temp, path)
            placed.append(path)
    except OutputError as err:
        raise RecordedError(
            N_(
                "{error}; run {run} is recorded in the results store: `fivestar report` "
                "writes its rankings, evaluating again writes the whole report"
            ),
            error=err.said,
            run=run_id,
        ) from None
    finally:
        for temp, _ in staged[len(placed) :]:
            discard(temp)
    return placed


def _bars(rules: RuleSet, decisions: tuple[Any, ...]) -> pd.DataFrame | None:
    if not decisions:
        return None
    from fivestar.queries.scope import bars_of

    return bars_of(rules, decisions)


def _past_winners(
    rules: RuleSet, month: str, record: bool, db: str | Path | None
) -> PastWinners | None:
    """The store's earlier winners, when the rules have a cool-down and the run uses the store
    (a run that does not: None, and the notes say the cool-down was not applied)."""
    if not record or rules.model.fairness.cooldown_months <= 0:
        return None
    from fivestar.queries.cooldown import read_past_winners

    return read_past_winners(db, rules, month)


def default_report_name(month: str, scope: Scope) -> str:
    """fivestar-2014-04.xlsx; a county's own result fivestar-2014-04-武城县局.xlsx."""
    bureau = scope.bureau
    if bureau is None:
        return f"fivestar-{month}.xlsx"
    return f"fivestar-{month}-{_FILE_UNSAFE.sub('_', bureau).strip(' .') or '_'}.xlsx"


_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _default_report(
    rules: RuleSet,
    month: str,
    *,
    batch: InputBatch,
    inputs: Sequence[Path],
    files: Sequence[Path],
    per_file: bool,
) -> Path:
    """The default report path once the run's bureaus are known, checked as --out is."""
    report = Path(default_report_name(month, scope_of(rules, bureaus_in(batch.officers["bureau"]))))
    _refuse_overwriting_inputs(report, inputs, files)
    from fivestar.report.workbook import check_replaceable

    check_replaceable(report, DEFAULT)
    if per_file:
        labels = [file.path for file in batch.files]
        for path in _per_file_paths(report, labels).values():
            check_replaceable(path, PER_FILE)
    return report


def _own_report(path: Path, report: Path, per_file: bool) -> bool:
    """Whether `path` is a report this run writes (its --out, or with --per-file a county's
    report beside it, or without --out a county's default report) and fivestar wrote it
    last time."""
    same = os.path.realpath(path) == os.path.realpath(report)
    county = (
        per_file
        and os.path.realpath(path.parent) == os.path.realpath(report.parent)
        and path.name.startswith(f"{report.stem}-")
        and path.suffix.lower() == ".xlsx"
    )
    return (same or county) and is_fivestar_report(path)


def _refuse_unusable(batch: InputBatch, month: str, strict: bool) -> None:
    """InputError when nothing can be evaluated, or (--strict) any row was rejected."""
    if batch.officers.empty:
        if not batch.issues:
            raise InputError(N_("nothing to evaluate for {month}"), month=month)
        raise InputError(
            N_("nothing to evaluate for {month}: {summary}"),
            month=month,
            summary=Summary(tuple(batch.issues), month),
        )
    if strict and batch.issues:
        raise StrictRefused(batch.issues)


def place_of(issue: Issue, lang: str | None = None) -> str:
    """Where an issue is, for a one-line message: "a.xlsx, sheet Sheet1, row 3"."""
    return issue.place(lang)


# A one-line summary of issues shows this many groups, each cut to this many characters.
SUMMARY_GROUPS = 3
SUMMARY_WIDTH = 120


@dataclass(frozen=True)
class Summary:
    """The issues of a run that evaluated nothing, as a fact of its error: rendered in the
    language the error is read in."""

    issues: tuple[Issue, ...]
    month: str

    def render(self, lang: str, option: Any = None) -> str:
        return summarize_issues(self.issues, self.month, lang)


# How a language separates the groups of a one-line summary.
_GROUP_SEPARATOR = {"en": "; ", "zh": "；"}


def summarize_issues(issues: Sequence[Issue], month: str, lang: str | None = None) -> str:
    """Issues as one readable line ("" if none), in `lang` (default: the session's): grouped
    by code with their counts, the largest groups first, each cut short; and, when every
    rejected row is of one other month, which month the data is of first."""
    if not issues:
        return ""
    lang = lang or language()
    groups: dict[tuple[str, ...], list[Issue]] = {}
    for issue in issues:
        groups.setdefault(_group_key(issue), []).append(issue)
    ordered = sorted(groups.values(), key=len, reverse=True)  # stable: first seen first on ties
    shown = [_cut(_group_text(group, lang)) for group in ordered[:SUMMARY_GROUPS]]
    more = len(ordered) - SUMMARY_GROUPS
    if more > 0:
        shown.append(translate(N_("…and {count} more"), lang).format(count=more))
    other = _other_month(issues, month)
    if other:
        hint = N_(
            "the rows are of {other}, not {month} (evaluate {other}, or give the {month} files)"
        )
        shown.insert(0, translate(hint, lang).format(other=other, month=month))
    return _GROUP_SEPARATOR.get(lang, "; ").join(shown)


# Parameters that make two issues of one code different problems (a column, a month): the
# rest (the cell's value, a duplicate's 警号) vary from row to row within one problem.
_SAME_PROBLEM = ("label", "month", "found", "what", "range", "text")


def _group_key(issue: Issue) -> tuple[str, ...]:
    """Issues of one group: row issues by code and the parameters that matter; a file's
    issue by its whole text (each file is its own case)."""
    if issue.row is None:
        return ("file", issue.code, issue.reason)
    return ("row", issue.code, *(str(issue.params.get(p, "")) for p in _SAME_PROBLEM))


def _group_text(group: list[Issue], lang: str) -> str:
    first = group[0]
    reason = first.words(lang)
    if first.row is not None:
        alike = all(issue.reason == first.reason for issue in group)
        template = (
            N_("{count} rows: {reason}") if alike else N_("{count} rows: {reason} and others")
        )
        return translate(template, lang).format(count=len(group), reason=reason)
    if len(group) == 1:
        template = N_("{place}: {reason}")
        return translate(template, lang).format(place=first.place(lang), reason=reason)
    files = len({issue.file for issue in group})
    if files == 1:  # several sheets of one file
        template = N_("{file} ({count} places): {reason}")
        return translate(template, lang).format(file=first.file, count=len(group), reason=reason)
    template = N_("{file} and others, {count} files: {reason}")
    return translate(template, lang).format(file=first.file, count=files, reason=reason)


def _cut(text: str) -> str:
    return text if len(text) <= SUMMARY_WIDTH else text[: SUMMARY_WIDTH - 1] + "…"


def _other_month(issues: Sequence[Issue], month: str) -> str | None:
    """The one month every rejected row is of, when that is why they were all rejected."""
    found: set[str | None] = set()
    for issue in issues:
        if issue.row is None:
            continue
        # the reader's month-mismatch issue names the one month the row is of (or "")
        of_other = issue.code == "month-mismatch" and issue.params.get("month") == month
        found.add(str(issue.params.get("other") or "") or None if of_other else None)
    if len(found) != 1:
        return None
    return found.pop()


def _write_per_file(result: RunResult, report: Path) -> list[Path]:
    """One report per input file (a county's own), beside the combined one."""
    from fivestar.report import write_report

    written: list[Path] = []
    for sub in _per_file_results(result, report):
        assert sub.report is not None
        write_report(sub.report, sub)
        written.append(sub.report)
    return written


def _per_file_results(result: RunResult, report: Path) -> Iterator[RunResult]:
    """Each input file's own result (a county's), its report beside the combined one; one
    at a time, as they are written."""
    officers = result.evaluation.officers
    paths = _per_file_paths(report, [file.path for file in result.files])
    for file in result.files:
        mine = officers[officers["source_file"] == file.path]
        if mine.empty:
            continue
        yield RunResult(
            month=result.month,
            rules=result.rules,
            evaluation=evaluate(
                result.rules,
                mine.reset_index(drop=True),
                result.month,
                bars=_bars(result.rules, result.decisions),
            ),
            files=[file],
            issues=[i for i in result.issues if i.file == file.path],
            report=paths[file.path],
            decisions=result.decisions,
        )


def _per_file_paths(report: Path, labels: Sequence[str]) -> dict[str, Path]:
    """{input file: its county report}: the report's stem, then the file's own name."""
    stems = Counter(Path(label).stem for label in labels)
    return {
        label: report.with_name(f"{report.stem}-{_own_name(Path(label), stems)}.xlsx")
        for label in labels
    }


def _own_name(path: Path, stems: Counter[str]) -> str:
    """A county's report name: its file's stem, with the extension when two files share it."""
    return path.stem if stems[path.stem] == 1 else f"{path.stem}-{path.suffix.lstrip('.')}"


def _refuse_overwriting_inputs(report: Path, inputs: Sequence[Path], files: Sequence[Path]) -> None:
    """A report path that is an input file — named, or found in an input folder — is refused.

    (An earlier fivestar report is not an input, in a folder or named: it may be replaced.)
    """
    target = os.path.realpath(report)
    named = [path for path in inputs if not is_fivestar_report(path)]
    for path in [*named, *files]:
        if os.path.realpath(path) == target:
            raise UsageError(
                N_("the report {report} would overwrite the input file {path}"),
                report=report,
                path=path,
            )
