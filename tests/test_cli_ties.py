"""Long ties on the terminal: a star's first winners, then one line counting the rest."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli as run

HEADER = (
    "警号,姓名,县局,派出所,岗位,月份,入户走访户数,人号一致率,入户走访率,群众满意率,"
    "调解纠纷数,调解成功数,回访满意数"
)


def tie_heavy_month(folder: Path) -> Path:
    """12 officers tied at the top of 入户走访之星 (quota 2) and 6 tied for 纠纷调解之星."""
    visits = [
        f"V{n:02},走访{n:02},武城县局,城关所,社区民警,2014-04,90,100,100,100,0,0,0"
        for n in range(12)
    ]
    mediation = [
        f"M{n:02},调解{n:02},武城县局,城关所,社区民警,2014-04,85,100,100,100,3,3,3"
        for n in range(6)
    ]
    path = folder / "武城县局.csv"
    path.write_text("\n".join([HEADER, *visits, *mediation]) + "\n", encoding="utf-8")
    return path


def test_a_long_tie_shows_the_first_winners_and_counts_the_rest(tmp_path: Path) -> None:
    month = tie_heavy_month(tmp_path)
    code, stdout, stderr = run("evaluate", "2014-04", month, "--out", tmp_path / "r.xlsx")
    assert (code, stderr) == (0, "")
    table = stdout.splitlines()[4:17]
    assert table == [
        "│ 入户走访之星 │ 1    │ V00         │ 走访00   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 入户走访之星 │ 1    │ V01         │ 走访01   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 入户走访之星 │ 1    │ V02         │ 走访02   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 入户走访之星 │ 1    │ V03         │ 走访03   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 入户走访之星 │ 1    │ V04         │ 走访04   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 入户走访之星 │ …    │ 及并列 7 人 │ 详见报告 │          │        │      │",
        # one more than the quota + 3 is listed in full: a line counting one would take its line
        "│ 纠纷调解之星 │ 1    │ M00         │ 调解00   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 纠纷调解之星 │ 1    │ M01         │ 调解01   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 纠纷调解之星 │ 1    │ M02         │ 调解02   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 纠纷调解之星 │ 1    │ M03         │ 调解03   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 纠纷调解之星 │ 1    │ M04         │ 调解04   │ 武城县局 │ 城关所 │ 并列 │",
        "│ 纠纷调解之星 │ 1    │ M05         │ 调解05   │ 武城县局 │ 城关所 │ 并列 │",
        "└──────────────┴──────┴─────────────┴──────────┴──────────┴────────┴──────┘",
    ]
    assert "注：入户走访之星：并列，名额 2 人，评出 12 人" in stdout


def test_json_still_lists_every_tied_winner(tmp_path: Path) -> None:
    month = tie_heavy_month(tmp_path)
    code, stdout, _ = run("evaluate", "2014-04", month, "--out", tmp_path / "r.xlsx", "--json")
    assert code == 0
    winners = json.loads(stdout)["winners"]
    assert [w["officer_id"] for w in winners] == [f"V{n:02}" for n in range(12)] + [
        f"M{n:02}" for n in range(6)
    ]
