"""Property: junk rows and odd spellings change nothing but the skipped count."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_builders import write_csv, write_xlsx

from fivestar.io import read_inputs

HEADER = ["警号", "姓名", "入户走访户数", "调解纠纷数", "调解成功数", "人号一致率", "群众满意率"]
COUNTS = ("visits", "mediations", "mediations_ok")
RATES = ("id_consistency", "satisfaction")
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
Draw = Callable[[st.SearchStrategy[Any]], Any]
# percents with short exact decimal forms, as clerks type them
PERCENTS = (0.0, 50.0, 80.0, 98.5, 99.5, 100.0)


@st.composite
def officers(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(
        st.lists(
            st.text("0123456789", min_size=3, max_size=12), min_size=1, max_size=25, unique=True
        )
    )
    rows = []
    for officer_id in ids:
        mediations = draw(st.integers(0, 20))
        row: dict[str, Any] = {
            "officer_id": officer_id,
            "name": draw(st.text("张王李赵刘陈杨黄周吴伟芳娜敏静", min_size=2, max_size=3)),
            "visits": draw(st.integers(0, 300)),
            "mediations": mediations,
            "mediations_ok": draw(st.integers(0, mediations)),
        }
        for key in RATES:
            row[key] = draw(st.none() | st.sampled_from(PERCENTS))
        rows.append(row)
    return rows


def spell_count(draw: Draw, value: int) -> Any:
    forms = [value, float(value), str(value), str(value).translate(FULL_WIDTH), f" {value} "]
    if value == 0:
        forms.append("")
    return draw(st.sampled_from(forms))


def spell_rates(draw: Draw, percents: list[float | None]) -> list[Any]:
    """One column's spellings; the units stay decidable as SPEC §1 defines them."""
    mode = draw(st.sampled_from(["fraction", "percent_sign", "mixed"]))
    cells: list[Any] = []
    for p in percents:
        if p is None:
            cells.append("")
        elif mode == "fraction":
            cells.append(p / 100 if p != 100 else draw(st.sampled_from([1, 1.0, "1"])))
        else:
            signed = draw(st.sampled_from([f"{p:g}%", f"{p:g}%".translate(FULL_WIDTH)]))
            plain = draw(st.sampled_from([p, f"{p:g}"]))
            cells.append(
                signed if mode == "percent_sign" else draw(st.sampled_from([signed, plain]))
            )
    has_plain_percent = any(
        not isinstance(c, str) or (c and not c.endswith(("%", "％")))
        for c, p in zip(cells, percents, strict=True)
        if p is not None and p > 1
    )
    if mode == "mixed" and not has_plain_percent:
        cells = [f"{p:g}%" if p is not None else "" for p in percents]
    return cells


JUNK: dict[str, list[Any]] = {
    "blank": [],
    "numbered": [None, None, None, None, None, None, None, 7],
    "totals": ["合计", "", 1000, 50, 40],
    "subtotals": ["", "小 计", 500],
    "notes": ["填表人：王五"],
    "review": ["审核人：赵六  2014年5月3日"],
    "example": ["示例", "张三", 85, 3, 3, "100%", "100%"],
}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), tidy=officers())
def test_junk_rows_and_spellings_do_not_change_what_is_read(
    data: st.DataObject, tidy: list[dict[str, Any]]
) -> None:
    draw = data.draw
    rate_columns = {key: spell_rates(draw, [o[key] for o in tidy]) for key in RATES}
    messy_rows: list[list[Any]] = []
    for i, officer in enumerate(tidy):
        counts = [spell_count(draw, officer[k]) for k in COUNTS]
        rates = [rate_columns[k][i] for k in RATES]
        messy_rows.append([officer["officer_id"], officer["name"], *counts, *rates])
    junk = draw(st.lists(st.sampled_from(sorted(JUNK)), max_size=8))
    for kind in junk:
        position = draw(st.integers(0, len(messy_rows)))
        messy_rows.insert(position, JUNK[kind])
    titles = draw(st.sampled_from([[], [["德州市公安局统计表"]], [["统计表"], ["填报单位：武城"]]]))
    fmt = draw(st.sampled_from(["xlsx", "csv"]))

    tidy_rows = [
        [o["officer_id"], o["name"], *[o[k] for k in COUNTS]]
        + [repr(o[k] / 100) if o[k] is not None else "" for k in RATES]
        for o in tidy
    ]
    with tempfile.TemporaryDirectory() as folder:
        tidy_path = write_csv(Path(folder) / "tidy.csv", [HEADER, *tidy_rows])
        messy_path = Path(folder) / f"messy.{fmt}"
        if fmt == "xlsx":
            write_xlsx(messy_path, {"Sheet1": [*titles, HEADER, *messy_rows]})
        else:
            write_csv(messy_path, [*titles, HEADER, *messy_rows], "gb18030")
        expected = read_inputs([tidy_path], "2014-04", {})
        got = read_inputs([messy_path], "2014-04", {})

    # empty rows after the last content are formatting, not rows: they are not read at all
    trailing = 0
    while trailing < len(messy_rows) and messy_rows[-1 - trailing] == []:
        trailing += 1
    skipped = len(junk) - trailing
    # only the notes of a header without 月份 or 岗位, the same for both: nothing rejected
    assert [i.code for i in got.issues] == [i.code for i in expected.issues]
    assert all(i.file_level and i.code.endswith("-column") for i in got.issues)
    report = got.files[0]
    assert report.balanced
    assert report.rows_read == len(tidy) + skipped
    assert (report.evaluated, report.rejected, report.skipped) == (len(tidy), 0, skipped)
    columns = [c for c in expected.officers.columns if not c.startswith("source_")]
    pd.testing.assert_frame_equal(
        got.officers[columns], expected.officers[columns], check_exact=False, rtol=1e-12
    )
    assert got.officers["officer_id"].tolist() == [o["officer_id"] for o in tidy]
