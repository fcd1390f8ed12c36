"""Generate a province-scale month of county activity tables for the benchmark.

N officers spread over M county files (.xlsx via XlsxWriter, or CSV with --csv), with the
canonical Chinese headers of `fivestar.columns.COLUMNS` and realistic distributions: most
officers ordinary, few stars, about 5 % 六进业务警种民警, and in every file the junk a real
export carries (a title row, a blank row, a 合计 row, a 填表人 line, an occasional bad value).
Deterministic: the same arguments give the same files.

    python benchmarks/generate.py --officers 20000 --files 12 --out bench-20k
    python benchmarks/generate.py --officers 200000 --files 12 --out bench-200k --csv
    python benchmarks/generate.py --officers 20000 --files 12 --out bench-ties --ties

--ties makes the tie-heavy input: the ranked counts stop at a ceiling many officers reach
(a province's counts tie in hundreds at the top), so each star names hundreds of 并列.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MONTH = "2014-04"
TITLE = "德州市公安局2014年4月社区民警“社区六进”工作统计表"
HEADERS = (
    "警号", "姓名", "县局", "派出所", "警务室", "岗位", "月份",
    "入户走访户数", "人号一致率", "入户走访率", "群众满意率",
    "调解纠纷数", "调解成功数", "回访满意数",
    "破案线索数", "抓获嫌疑人数", "抓获逃犯数", "线索信息条数",
    "服务群众次数", "服务认可数",
)  # fmt: skip
COUNTIES = (
    "德城分局", "陵城分局", "禹城市局", "乐陵市局", "临邑县局", "平原县局",
    "夏津县局", "武城县局", "庆云县局", "宁津县局", "齐河县局", "开发区分局",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国庆峰志东海波宁俊凤林斌翠广保卫金宝德福荣振兴"  # noqa: E501
PLACES = "郑家寨安德宋家徽王前曹三唐王凤楼黄河涯二屯新湖天衢运河长河宋官屯袁桥抬头寺赵虎堤岭"
COMMUNITY = "社区民警"
BUSINESS = "六进业务警种民警"
BUSINESS_UNITS = ("治安大队", "刑警大队", "交警大队", "巡特警大队", "经侦大队")
BAD_VALUES = ("十二", "12.5", "-1", "abc")
# --ties: the ceilings of the ranked counts (visits, mediations, info leads, services), each
# reached by some 5-15 % of officers, who then tie at the top
CEILINGS = {7: 100, 11: 3, 17: 8, 18: 5}


@dataclass(frozen=True)
class Layout:
    """How one county writes its export: rates in percent, as fractions, as fractions shown
    in percent (a "0.0%" cell format: Excel's own way), or as "98.5%" text."""

    rates: str  # "percent" | "fraction" | "formatted" | "text"
    id_as_number: bool


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _place(rng: random.Random, suffix: str) -> str:
    start = rng.randrange(len(PLACES) - 1)
    return PLACES[start : start + 2] + suffix


def _rate(rng: random.Random, p_full: float, low: float) -> float:
    """A percentage: exactly 100 for most officers, a little under for the rest."""
    if rng.random() < p_full:
        return 100.0
    return round(rng.uniform(low, 99.9), 1)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth: fine for the small means of monthly counts
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def officer(
    rng: random.Random, officer_id: str, county: str, stations: Sequence[str], ties: bool = False
) -> list:
    """One officer's row of figures (rates in percent; None = blank)."""
    row = _officer(rng, officer_id, county, stations)
    if ties:  # capped after drawing: the random sequence, hence the rest, is unchanged
        for column, ceiling in CEILINGS.items():
            row[column] = min(row[column], ceiling)
        row[19] = min(row[19], row[18])  # 服务认可数 ≤ 服务群众次数
        row[12] = min(row[12], row[11])  # 调解成功数 ≤ 调解纠纷数
        row[13] = min(row[13], row[12])
    return row


def _officer(rng: random.Random, officer_id: str, county: str, stations: Sequence[str]) -> list:
    business = rng.random() < 0.05
    if business:
        unit = rng.choice(BUSINESS_UNITS)
        services = _poisson(rng, 3.0)
        return [
            officer_id, _name(rng), county, unit, "", BUSINESS, MONTH,
            0, None, None, None, 0, 0, 0,
            _poisson(rng, 0.3), _poisson(rng, 0.2), _poisson(rng, 0.05), _poisson(rng, 8.0),
            services, sum(rng.random() < 0.7 for _ in range(services)),
        ]  # fmt: skip
    visits = max(0, round(rng.gauss(72, 18)))
    mediations = _poisson(rng, 1.2)
    ok = mediations - (1 if mediations and rng.random() < 0.15 else 0)
    followed = ok - (1 if ok and rng.random() < 0.1 else 0)
    services = _poisson(rng, 2.5)
    return [
        officer_id, _name(rng), county, rng.choice(stations), _place(rng, "警务室"),
        COMMUNITY, MONTH, visits,
        _rate(rng, 0.88, 95.0), _rate(rng, 0.85, 90.0), _rate(rng, 0.9, 85.0),
        mediations, ok, followed,
        _poisson(rng, 0.08), _poisson(rng, 0.05), _poisson(rng, 0.01), _poisson(rng, 4.0),
        services, sum(rng.random() < 0.6 for _ in range(services)),
    ]  # fmt: skip


def county_rows(
    rng: random.Random, index: int, first_id: int, count: int, ties: bool = False
) -> tuple[str, list[list]]:
    """(county name, officer rows) for one file; 警号 are unique across the whole run."""
    county = COUNTIES[index] if index < len(COUNTIES) else f"第{index + 1}县局"
    stations = [_place(rng, "派出所") for _ in range(max(3, count // 60))]
    rows = [officer(rng, f"{first_id + n:09d}", county, stations, ties) for n in range(count)]
    # an occasional bad value: the row is rejected, the run goes on
    for n in range(0, count, 5000):
        row = rows[rng.randrange(n, min(n + 5000, count))]
        row[7 + rng.randrange(4) * 4] = rng.choice(BAD_VALUES)
    return county, rows


def _shown(value: object, column: int, layout: Layout) -> object:
    if value is None:
        return ""
    if 8 <= column <= 10 and isinstance(value, float):  # a rate
        if layout.rates in ("fraction", "formatted"):
            return round(value / 100, 4)
        if layout.rates == "text":
            return f"{value:g}%"
    if column == 0 and layout.id_as_number:
        return int(str(value))
    return value


def table_rows(county: str, rows: list[list], layout: Layout) -> list[list]:
    """The data rows as the county exports them: a blank row inside, 合计 and 填表人 below."""
    shown = [[_shown(v, c, layout) for c, v in enumerate(row)] for row in rows]
    middle = len(shown) // 2
    shown.insert(middle, [""] * len(HEADERS))
    total = ["合计", "", county, "", "", "", "", sum(r[7] for r in rows if isinstance(r[7], int))]
    shown.append(total + [""] * (len(HEADERS) - len(total)))
    shown.append(["填表人：张三    审核人：李四    填报日期：2014年5月3日"])
    return shown


def write_xlsx(path: Path, county: str, data: list[list], layout: Layout) -> None:
    from xlsxwriter import Workbook

    workbook = Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    percent = workbook.add_format({"num_format": "0.0%"})
    formatted = {8, 9, 10} if layout.rates == "formatted" else set()
    sheet = workbook.add_worksheet("Sheet1")
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, f"{county} {TITLE}")
    sheet.write_row(1, 0, HEADERS)
    for r, row in enumerate(data, start=2):
        for c, value in enumerate(row):
            if value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value, percent if c in formatted else None)
    workbook.close()


def write_csv(path: Path, data: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(data)


def generate(
    officers: int, files: int, out: Path, as_csv: bool, seed: int = 20140401, *, ties: bool = False
) -> int:
    """Write the files into `out`; return the number of data rows written (junk included)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    base, extra = divmod(officers, files)
    first_id = 371400001
    written = 0
    for index in range(files):
        count = base + (1 if index < extra else 0)
        county, rows = county_rows(rng, index, first_id, count, ties)
        first_id += count
        layout = Layout(
            rates=("percent", "formatted", "fraction", "percent", "text", "formatted")[index % 6],
            id_as_number=index % 4 == 3,
        )
        data = table_rows(county, rows, layout)
        written += len(data)
        stem = f"{index + 1:02d}-{county}"
        if as_csv:
            write_csv(out / f"{stem}.csv", data)
        else:
            write_xlsx(out / f"{stem}.xlsx", county, data, layout)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=20000, help="officers in all")
    parser.add_argument("--files", type=int, default=12, help="county files")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--csv", action="store_true", help="write UTF-8 CSV instead of .xlsx")
    parser.add_argument("--seed", type=int, default=20140401)
    parser.add_argument("--ties", action="store_true", help="tie-heavy: counts capped at the top")
    args = parser.parse_args(argv)
    if args.officers < 1 or args.files < 1 or args.files > args.officers:
        parser.error("need 1 ≤ --files ≤ --officers")
    rows = generate(args.officers, args.files, args.out, args.csv, args.seed, ties=args.ties)
    kind = "CSV" if args.csv else "xlsx"
    print(f"wrote {args.files} {kind} files, {args.officers} officers, {rows} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
