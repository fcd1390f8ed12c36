"""The library entry point for a month's evaluation: read, evaluate, write, return a result.

`evaluate_month` is what `fivestar evaluate` calls; the CLI only decides how to print the
`RunResult` it gets back.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from fivestar import __version__
from fivestar.engine import Evaluation, evaluate
from fivestar.errors import InputError, UsageError
from fivestar.findings import Counts, FileReport, Issue
from fivestar.io import InputBatch, ReadOptions, discover_files, read_inputs
from fivestar.recording import Recording, StoreProbe
from fivestar.rules import RuleSet, rules_for_month


@dataclass(frozen=True)
class RunResult:
    """What one `evaluate` run did: the evaluation, the accounting, where the report went."""

    month: str
    rules: RuleSet
    evaluation: Evaluation
    files: list[FileReport]
    issues: list[Issue]
    report: Path | None
    per_file_reports: list[Path] = field(default_factory=list)
    run_id: int | None = None  # the run's id in the results store, when recorded
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    tool_version: str = __version__

    @property
    def counts(self) -> Counts:
        return Counts.of(self.files)

    @property
    def exit_code(self) -> int:
        """SPEC §3: 0 clean, 1 evaluated with rejected rows or files."""
        return 1 if self.issues else 0

    def to_json(self) -> dict[str, Any]:
        """The SPEC §3 JSON object."""
        winners = self.evaluation.winners
        return {
            "month": self.month,
            "rules": self.rules.path,
            "report": str(self.report) if self.report else None,
            "winners": [
                {
                    "star": row.star,
                    "rank": int(row.rank),  # type: ignore[arg-type]
                    "officer_id": row.officer_id,
                    "name": row.name,
                    "bureau": row.bureau,
                    "tied": bool(row.tied),
                }
                for row in winners.itertuples(index=False)
            ],
            "counts": self.counts.to_dict(),
            "issues": [issue.to_dict() for issue in self.issues],
        }


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
    record: bool = False,
    db: str | Path | None = None,
    command_line: str = "",
) -> RunResult:
    """Evaluate `month` from `inputs`, write the report, and (with `record`) store the run.

    The store is committed after the report, in one transaction: a failed run leaves it as
    it was. Raises InputError when nothing can be evaluated, UsageError for a refused report
    path, StoreError when the store cannot be written.
    """
    rules = rules_for_month(month, rules_path)
    options = options or ReadOptions()
    report = out if out is not None else Path(f"fivestar-{month}.xlsx")
    if report.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {report}: the report is an Excel workbook, name it .xlsx")
    _refuse_overwriting_inputs(report, inputs, options.recursive)
    # The store is checked while the files are read: when it cannot be reached, nothing is
    # written. The check writes nothing; the store is created, if new, when the run is recorded.
    with StoreProbe(db) if record else nullcontext() as probe:
        batch = read_inputs(inputs, month, rules.aliases, options, progress)
        _refuse_unusable(batch, month, strict)
        if probe is not None:
            probe.wait()
    result = RunResult(
        month=month,
        rules=rules,
        evaluation=evaluate(rules, batch.officers, month),
        files=batch.files,
        issues=batch.issues,
        report=report,
    )
    from fivestar.report import write_report

    if not record:
        write_report(report, result)
        return replace(result, per_file_reports=_write_per_file(result, report) if per_file else [])
    # The store is written beside the report and committed once the report is in place.
    with Recording(db, result, command_line) as recording:
        write_report(report, result)
        written = _write_per_file(result, report) if per_file else []
        run_id = recording.commit()
    return replace(result, per_file_reports=written, run_id=run_id)


def _refuse_unusable(batch: InputBatch, month: str, strict: bool) -> None:
    """InputError when nothing can be evaluated, or (--strict) any row was rejected."""
    if batch.officers.empty:
        reasons = "; ".join(f"{i.file}: {i.reason}" for i in batch.issues[:3])
        raise InputError(f"nothing to evaluate for {month}" + (f": {reasons}" if reasons else ""))
    if strict and batch.issues:
        first = batch.issues[0]
        raise InputError(
            f"--strict: {len(batch.issues)} data issue(s), nothing written; first: "
            f"{first.file} {first.sheet or ''} row {first.row}: {first.reason}"
        )


def _write_per_file(result: RunResult, report: Path) -> list[Path]:
    """One report per input file (a county's own), beside the combined one."""
    from fivestar.report import write_report

    written: list[Path] = []
    officers = result.evaluation.officers
    stems = Counter(Path(file.path).stem for file in result.files)
    for file in result.files:
        mine = officers[officers["source_file"] == file.path]
        if mine.empty:
            continue
        sub = RunResult(
            month=result.month,
            rules=result.rules,
            evaluation=evaluate(result.rules, mine.reset_index(drop=True), result.month),
            files=[file],
            issues=[i for i in result.issues if i.file == file.path],
            report=report.with_name(f"{report.stem}-{_own_name(Path(file.path), stems)}.xlsx"),
        )
        assert sub.report is not None
        write_report(sub.report, sub)
        written.append(sub.report)
    return written


def _own_name(path: Path, stems: Counter[str]) -> str:
    """A county's report name: its file's stem, with the extension when two files share it."""
    return path.stem if stems[path.stem] == 1 else f"{path.stem}-{path.suffix.lstrip('.')}"


def _refuse_overwriting_inputs(report: Path, inputs: Sequence[Path], recursive: bool) -> None:
    """A report path that is an input file — named, or found in an input folder — is refused.

    (An earlier fivestar report in an input folder is not an input: discovery leaves it out.)
    """
    target = os.path.realpath(report)
    files, _ = discover_files(inputs, recursive)
    for path in [*inputs, *files]:
        if os.path.realpath(path) == target:
            raise UsageError(f"the report {report} would overwrite the input file {path}")
