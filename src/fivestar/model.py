"""The types every layer shares: what one evaluation run produced, and how a run ends.

This module sits at the bottom of the package: the report writers, the store and the CLI read
a `RunResult`; `evaluate_month` makes one. It imports only the engine's and the rules' types
(below it), never the modules that make or consume a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fivestar import __version__
from fivestar.engine import Evaluation
from fivestar.engine.notes import render_all
from fivestar.engine.notes import to_json as notes_json
from fivestar.errors import ExitCode  # its home is the bottom layer; shared here with RunResult
from fivestar.findings import Counts, FileReport, Issue
from fivestar.rules import RuleSet
from fivestar.run_scope import Scope, bureaus_in, scope_of


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
    decisions: tuple[Any, ...] = ()  # a report from the store: the decisions in force
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    tool_version: str = __version__

    @property
    def counts(self) -> Counts:
        return Counts.of(self.files)

    @property
    def scope(self) -> Scope:
        """Whose result this is: the city's, a county's own, or a part (`run_scope`)."""
        return scope_of(self.rules, bureaus_in(self.evaluation.officers["bureau"]))

    @property
    def exit_code(self) -> ExitCode:
        """0 clean, 1 evaluated with rejected rows or files."""
        return ExitCode.DATA_ISSUES if self.issues else ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md §3 JSON object."""
        winners = self.evaluation.winners
        return {
            "month": self.month,
            "rules": self.rules.path,
            "report": str(self.report) if self.report else None,
            "scope": self.scope.key,
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
            # as `runs --json` gives them: the words in the session's language, and the codes
            "notes": render_all(self.evaluation.notes),
            "note_codes": notes_json(self.evaluation.notes),
        }
