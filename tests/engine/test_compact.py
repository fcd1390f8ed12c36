"""The evaluation's repeated texts share one object each (issue 17: 200,000 officers in
1 GiB): values and dtypes as the engine made them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fivestar.engine import evaluate
from fivestar.evaluate import evaluate_month
from fivestar.io import ReadOptions, read_inputs
from fivestar.rules import rules_for_month

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "2014-04"


def test_a_runs_repeated_texts_are_one_object_each_with_the_same_values(tmp_path: Path) -> None:
    result = evaluate_month("2014-04", [SAMPLE], out=tmp_path / "r.xlsx")
    officers, outcomes = result.evaluation.officers, result.evaluation.outcomes
    for frame, column in ((officers, "bureau"), (officers, "role"), (outcomes, "star")):
        values = frame[column].tolist()
        assert len({id(value) for value in values}) == len(set(values)) < len(values)
    # a star's reasons are data (tuples of reasons, not texts): the engine shares equal ones
    reasons = outcomes["reasons"].tolist()
    assert len({id(value) for value in reasons}) < len(reasons)
    rules = rules_for_month("2014-04")
    batch = read_inputs([SAMPLE], "2014-04", rules.aliases, ReadOptions())
    fresh = evaluate(rules, batch.officers, "2014-04")  # as the engine makes them
    pd.testing.assert_frame_equal(officers, fresh.officers)
    pd.testing.assert_frame_equal(outcomes, fresh.outcomes)
