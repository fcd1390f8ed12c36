"""Readers: every input file becomes canonical officer rows, issues, and per-file accounting.

Contract (what the engine and the report rely on):

`read_inputs(paths, month, aliases, options)` returns an `InputBatch` whose `officers`
DataFrame has one row per accepted officer, a fresh RangeIndex, and these columns:

- `officer_id`, `name`: str (non-empty; 警号 keeps leading zeros)
- `bureau`, `station`, `office`: str ("" when absent)
- `role`: str, "社区民警" or "六进业务警种民警" ("社区民警" when absent or blank)
- `month`: str "YYYY-MM" (the evaluated month: rows of another month are rejected)
- every count key of `fivestar.columns.COUNT_KEYS`: int64 (blank = 0)
- every rate key of `fivestar.columns.RATE_KEYS`: float64 fraction in [0, 1], NaN = missing
- `source_file`, `source_sheet`: str; `source_row`: int64 (Excel row number)

Rows that fail validation are not in `officers`: each is one `Issue` in `issues`.
Per file, `FileReport.rows_read == evaluated + rejected + skipped`.
"""

from fivestar.io.inputs import InputBatch, ReadOptions, discover_files, file_label, read_inputs

__all__ = ["InputBatch", "ReadOptions", "discover_files", "file_label", "read_inputs"]
