"""One object per distinct text in an evaluation's frames (issue 17: big runs in 1 GiB).

The readers and the engine make a new string object for every cell: 200,000 officers carry
200,000 copies of a dozen bureau names, and a million outcomes ~750,000 duplicate reasons.
Each copy costs memory here, and again in the forked recorder, which touches every text it
writes and so copies the pages that hold them. Sharing one object per distinct text keeps
the values (and the dtype) as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

if TYPE_CHECKING:
    from fivestar.engine.evaluate import Evaluation


def share_texts(evaluation: Evaluation) -> Evaluation:
    """`evaluation` with its officers' and outcomes' repeated texts sharing one object each
    (the frames are changed in place, and returned)."""
    for frame in (evaluation.officers, evaluation.outcomes):
        for name in frame.columns:
            column = frame[name]
            if not (is_object_dtype(column.dtype) or is_string_dtype(column.dtype)):
                continue
            if column.isna().any():  # left as is: a missing value keeps its own kind
                continue
            try:
                codes, uniques = pd.factorize(column, use_na_sentinel=False)
            except TypeError:  # not texts: values that cannot be hashed (a star's reasons)
                continue
            if len(uniques) < len(column):
                frame[name] = pd.Series(uniques.take(codes), index=frame.index, name=name)
    return evaluation
