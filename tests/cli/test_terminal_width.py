"""Every screen a clerk reads, drawn by a terminal emulator (pyte) at 80 and 120 columns: no
name, bureau, station, star or date is split over two lines, and no line is wider than the
screen (the terminal would wrap it, mid-word)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyte
import pytest
from rich.cells import cell_len

from fivestar.store.decisions import shown_time
from tests.conftest import ROOT, CliResult, SampleStore, run_cli, run_cli_json
from tests.fairness.helpers import with_fairness, write

SAMPLE = ROOT / "sample_data"
WIDTHS = (80, 120)
STARS = ("visits", "mediation", "investigation", "information", "service")


class Store:
    """The sample's two months recorded (the session's `sample_store`, read only here; and, in
    `capped`, April under a bureau cap with one exclusion), and every data token the screens
    may show. `shown` runs a command at a width once: several tests read the same screen."""

    def __init__(self, folder: Path, sample: SampleStore) -> None:
        self.db = str(sample.db)
        self.capped = str(folder / "capped.db")
        self._shown: dict[tuple[tuple[str, ...], int], CliResult] = {}
        self.new_rules = write(
            folder / "new.toml",
            (ROOT / "rules" / "dezhou-2014.toml")
            .read_text(encoding="utf-8")
            .replace("value = 80", "value = 100", 1),  # the gate: fewer qualify
        )
        capped = write(folder / "capped.toml", with_fairness("bureau_cap = 1"))
        code, _, err = run_cli(
            "evaluate", "2014-04", SAMPLE / "2014-04", "--rules", capped,
            "--out", folder / "capped.xlsx", "--db", self.capped,
        )  # fmt: skip
        assert code == 0, err
        code, _, err = run_cli(
            "exclude", "2014-04", "371428001", "--reason", "本月受到通报批评",
            "--by", "张三", "--db", self.capped,
        )  # fmt: skip
        assert code == 0, err
        self.tokens = self._tokens()

    def shown(self, *args: str, width: int) -> CliResult:
        """`fivestar ARGS` at `width` columns, in Chinese (the session's default language)."""
        key = (args, width)
        if key not in self._shown:
            self._shown[key] = run_cli(*args, columns=width)
        return self._shown[key]

    def _tokens(self) -> set[str]:
        found: set[str] = {"2014-03", "2014-04"}
        for db in (self.db, self.capped):
            report = run_cli_json("report", "--db", db)
            for star in report["stars"]:
                found.add(star["label"])
                for e in star["ranking"] + star["near_misses"]:
                    found.update(e[k] for k in ("officer_id", "name", "bureau", "station"))
            runs = run_cli_json("runs", "--db", db)["runs"]
            found.update(shown_time(r["recorded"]) for r in runs)
        return {t for t in found if t}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, sample_store: SampleStore) -> Store:
    return Store(tmp_path_factory.mktemp("terminal"), sample_store)


def screen(text: str, width: int) -> list[str]:
    """What a terminal `width` columns wide shows of `text`, line by line."""
    lines = text.split("\n")
    shown = pyte.Screen(width, 3 * len(lines) + 5)
    shown.set_mode(pyte.modes.LNM)  # a line feed starts a new line, as a tty's onlcr does
    pyte.Stream(shown).feed(text)
    return [line.rstrip() for line in shown.display]


def split_tokens(text: str, lines: list[str], tokens: set[str]) -> list[str]:
    """The tokens shown fewer times whole on a screen line than the output holds them."""
    return sorted(t for t in tokens if text.count(t) > sum(line.count(t) for line in lines))


def assert_legible(text: str, width: int, tokens: set[str]) -> list[str]:
    lines = screen(text, width)
    shown = [t for t in tokens if t in text]
    assert shown, "the screen shows none of the data it should"
    assert not split_tokens(text, lines, tokens)
    too_wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not too_wide
    return lines


def commands(store: Store) -> Iterator[tuple[str, ...]]:
    yield ("report", "--db", store.db)
    for star in STARS:
        yield ("report", "--star", star, "--db", store.db)
        yield ("report", "--star", star, "--db", store.capped)
    for officer in ("371402011", "371428001", "037148105", "371421016"):
        yield ("explain", officer, "--db", store.db)
        yield ("explain", officer, "--db", store.capped)
    yield ("history", "--db", store.db)
    yield ("runs", "--db", store.db)
    yield ("rules", "show")
    yield ("compare", "2014-04", "--rules", str(store.new_rules), "--db", store.db)
    yield ("log", "--db", store.capped)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_screen_is_legible(store: Store, width: int) -> None:
    failures: dict[str, Any] = {}
    for args in commands(store):
        code, stdout, stderr = store.shown(*args, width=width)
        assert code == 0, (args, stderr)
        lines = screen(stdout, width)
        split = split_tokens(stdout, lines, store.tokens)
        too_wide = [line for line in stdout.splitlines() if cell_len(line) > width]
        if split or too_wide:
            failures[" ".join(args[:3])] = {"split": split, "too wide": too_wide[:3]}
    assert not failures


@pytest.mark.parametrize("width", WIDTHS)
def test_a_ranking_is_one_line_per_officer(store: Store, width: int) -> None:
    """The complaint: "薛翠 / 翠", "派出 / 所", three lines a row. Now each officer's rank,
    name, figures and result are on one line, at 80 columns too."""
    for star, officer, figures in (
        ("visits", "薛翠翠", ("162", "100%", "当选")),
        ("investigation", "高广金", ("郑家寨派出所", "3", "4", "当选")),
        ("mediation", "苏振", ("乐陵市局", "8", "当选")),
    ):
        _, stdout, _ = store.shown("report", "--star", star, "--db", store.db, width=width)
        lines = assert_legible(stdout, width, store.tokens)
        [line] = [line for line in lines if officer in line and "当选" in line]
        assert all(f in line for f in figures), line


def test_a_narrow_ranking_names_its_marked_columns(store: Store) -> None:
    # a Chinese screen marks them as a Chinese form does (甲栏), an English one with letters
    _, stdout, _ = store.shown("report", "--star", "investigation", "--db", store.db, width=80)
    assert "甲 破案线索数  乙 抓获嫌疑人数  丙 抓获逃犯数  丁 破案线索及抓获人数" in stdout
    english = run_cli("--lang", "en", "report", "--star", "investigation", "--db", store.db,
                      columns=80).stdout  # fmt: skip
    assert "A 破案线索数  B 抓获嫌疑人数  C 抓获逃犯数  D 破案线索及抓获人数" in english
    _, wide, _ = store.shown("report", "--star", "investigation", "--db", store.db, width=120)
    assert "破案线索及抓获人数" in wide.splitlines()[1]  # room for the headers themselves


def test_runs_keeps_the_time_whole_and_says_what_it_left_out(store: Store) -> None:
    _, stdout, _ = store.shown("runs", "--db", store.db, width=80)
    lines = assert_legible(stdout, 80, store.tokens)
    runs = run_cli_json("runs", "--db", store.db)["runs"]
    assert all(any(shown_time(r["recorded"]) in line for line in lines) for r in runs)
    assert "屏幕较窄，未显示：规则、文件" in stdout
    _, wide, _ = store.shown("runs", "--db", store.db, width=120)
    assert runs[0]["rules"] in wide and "未显示" not in wide


def test_rules_show_names_every_label_whole(store: Store) -> None:
    for width in WIDTHS:
        _, stdout, _ = store.shown("rules", "show", width=width)
        lines = assert_legible(stdout, width, store.tokens | {"破案线索及抓获人数"})
        assert "破案线索及抓…" not in stdout
        # a derived figure by its metrics' labels, not the rules file's keys
        assert "派生指标 调解成功率 = 调解成功数 / 调解纠纷数" in lines
        assert "mediations_ok" not in stdout


def test_the_cap_reason_wraps_between_words(store: Store) -> None:
    """A qualifier the bureau cap passed over says why, in its result cell: wrapped at its
    break points, never inside a bureau's name."""
    for width in WIDTHS:
        _, stdout, _ = store.shown("report", "--star", "visits", "--db", store.capped, width=width)
        assert "每个县局" in stdout or "名额" in stdout
        assert_legible(stdout, width, store.tokens)


def test_history_lists_bureaus_in_the_rules_order(store: Store) -> None:
    _, stdout, _ = store.shown("history", "--db", store.db, width=120)
    order = ["德城分局", "武城县局", "乐陵市局", "陵县局", "平原县局", "宁津县局"]  # the rules'
    table = stdout[stdout.index("各县局当选人次") :]
    rows = [b for line in table.splitlines() for b in order if f"│ {b} " in line]
    assert rows == order
    assert [b["bureau"] for b in run_cli_json("history", "--db", store.db)["bureaus"]] == order


def test_a_screen_too_narrow_for_columns_stacks_each_row(store: Store) -> None:
    _, stdout, _ = run_cli("history", "--db", store.db, columns=40)
    lines = assert_legible(stdout, 40, store.tokens)
    assert any(line.startswith("警号 371428001") for line in lines)


def test_the_run_lists_its_issues_after_the_winners(tmp_path: Path) -> None:
    header = (
        "警号,姓名,县局,派出所,岗位,月份,入户走访户数,人号一致率,入户走访率,群众满意率,"
        "调解纠纷数,调解成功数,回访满意数"
    )
    rows = [f"{i:03d},民警{i},武城县局,城关派出所,社区民警,2014-04,十二,100,100,100,0,0,0"
            for i in range(1, 14)]  # fmt: skip
    rows.append("100,乙,武城县局,城关派出所,社区民警,2014-04,85,100,100,100,0,0,0")
    csv = tmp_path / "武城县局.csv"
    csv.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, stdout, _ = run_cli("evaluate", "2014-04", csv, "--out", tmp_path / "r.xlsx", columns=80)
    assert code == 1
    lines = screen(stdout, 80)
    winners = next(i for i, line in enumerate(lines) if "13 个数据问题" in line)
    listed = [line for line in lines[winners + 1 :] if "应为非负整数" in line]
    assert len(listed) == 10
    assert "  …及另外 3 个，详见报告" in lines
    code, stdout, stderr = run_cli(
        "evaluate", "2014-04", csv, "--out", tmp_path / "s.xlsx", "--strict", columns=80
    )
    assert (code, stdout) == (2, "")
    err_lines = screen(stderr, 80)
    assert sum(line.startswith("  ") and "应为非负整数" in line for line in err_lines) == 10
    assert "  …及另外 3 个，详见报告" in err_lines
    assert stderr.splitlines()[-1].startswith("fivestar: 错误：")


def test_in_english_the_screens_fit_too(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from fivestar import i18n

    monkeypatch.setenv(i18n.ENV, "en")
    with i18n.speaking("en"):
        for width in WIDTHS:
            _, stdout, _ = run_cli("report", "--star", "visits", "--db", store.db, columns=width)
            lines = assert_legible(stdout, width, store.tokens)
            assert "Rank" in stdout and "排名" not in stdout
            assert any("薛翠翠" in line and "named" in line for line in lines)
            _, stdout, _ = run_cli("runs", "--db", store.db, columns=width)
            assert_legible(stdout, width, store.tokens)
            assert "Runs recorded" in stdout
