"""The evaluation engine: pure, vectorized, no I/O."""

from fivestar.engine.evaluate import OUTCOME_COLUMNS, WINNER_COLUMNS, Evaluation, evaluate

__all__ = ["OUTCOME_COLUMNS", "WINNER_COLUMNS", "Evaluation", "evaluate"]
