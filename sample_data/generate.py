"""Generate the sample month ``sample_data/2014-04/``: one activity table per county bureau.

Run from the repository root::

    python sample_data/generate.py

Deterministic: the random generator is seeded with 20140401 and the workbooks carry a fixed
creation time, so every run writes byte-identical files. Standard library + XlsxWriter only.

Most officers are ordinary (50-79 households, small counts) and fail the eligibility gate.
A hand-written cast of officers (``SPECIALS``) makes the month exercise every default rule of
``rules/dezhou-2014.toml`` (SPEC §2); ``sample_data/README.md`` lists the expected winners
and the edge cases, officer by officer.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

SEED = 20140401
MONTH = "2014-04"
OUT_DIR = Path(__file__).resolve().parent / MONTH
CREATED = datetime(2014, 5, 5, 9, 0, 0)  # fixed workbook timestamp -> reproducible bytes

COMMUNITY = "社区民警"
BUSINESS = "六进业务警种民警"

HEADERS = (
    "警号", "姓名", "县局", "派出所", "警务室", "岗位", "月份",
    "入户走访户数", "人号一致率", "入户走访率", "群众满意率",
    "调解纠纷数", "调解成功数", "回访满意数",
    "破案线索数", "抓获嫌疑人数", "抓获逃犯数",
    "线索信息条数", "服务群众次数", "服务认可数",
)  # fmt: skip


@dataclass
class Officer:
    officer_id: str
    name: str
    bureau: str
    station: str
    office: str
    role: str = COMMUNITY
    visits: int = 0
    id_consistency: float | None = 100
    visit_rate: float | None = 100
    satisfaction: float | None = 100
    mediations: int = 0
    mediations_ok: int = 0
    followups_ok: int = 0
    case_leads: int = 0
    suspects: int = 0
    fugitives: int = 0
    info_leads: int = 0
    services: int = 0
    services_ok: int = 0

    def cells(self, month: str = MONTH) -> list[Any]:
        """The row in HEADERS order; None is a blank cell."""
        values = [getattr(self, f.name) for f in fields(self)]
        return [*values[:6], month, *values[6:]]


@dataclass(frozen=True)
class Bureau:
    name: str
    id_prefix: str  # 警号 = prefix + zero-padded sequence, 9 characters in all
    size: int
    filename: str
    sheet: str
    stations: dict[str, tuple[str, ...]]  # 派出所 -> its 警务室
    solid: tuple[int, ...] = ()  # sequences of ordinary officers who pass the gate
    near_gate: tuple[int, ...] = ()  # ≥ 80 households but one rate below 100 %

    def officer_id(self, seq: int) -> str:
        return f"{self.id_prefix}{seq:0{9 - len(self.id_prefix)}d}"


BUREAUS: tuple[Bureau, ...] = (
    Bureau(
        "德城分局", "371402", 30, "德城分局.xlsx", "德城分局",
        {
            "二屯派出所": ("馨苑社区警务室", "二屯社区警务室", "新河社区警务室"),
            "新湖派出所": ("新湖社区警务室", "湖滨社区警务室", "东方红社区警务室"),
            "天衢派出所": ("天衢社区警务室", "三八路社区警务室", "东风社区警务室"),
            "新华派出所": ("新华社区警务室", "建设街社区警务室", "解放北路社区警务室"),
            "运河派出所": ("运河社区警务室", "广川社区警务室"),
            "黄河涯派出所": ("黄河涯警务室", "刘庄警务室"),
        },
        solid=(8, 19), near_gate=(24,),
    ),
    Bureau(
        "武城县局", "371428", 22, "武城县局.xlsx", "Sheet1",
        {
            "城区派出所": ("兴隆警务室", "振华警务室", "运河警务室"),
            "老城派出所": ("老城警务室", "赵庄警务室"),
            "鲁权屯派出所": ("鲁权屯警务室", "马庄警务室"),
            "郝王庄派出所": ("郝王庄警务室", "武官寨警务室"),
            "甲马营派出所": ("甲马营警务室", "四女寺警务室"),
            "李家户派出所": ("李家户警务室",),
        },
        solid=(16,), near_gate=(20,),
    ),
    Bureau(
        # 乐陵's 警号 start with a 0: stored as text, the zero must survive.
        "乐陵市局", "0371481", 24, "乐陵市局.xlsx", "乐陵市局",
        {
            "郭家派出所": ("枣王警务室", "郭家警务室", "王家警务室"),
            "市中派出所": ("城关社区警务室", "阜昌社区警务室"),
            "胡家派出所": ("胡家警务室", "杨集警务室"),
            "杨安镇派出所": ("杨安警务室", "付庄警务室"),
            "朱集派出所": ("朱集警务室",),
            "黄夹派出所": ("黄夹警务室", "孔镇警务室"),
        },
        solid=(15,), near_gate=(10,),
    ),
    Bureau(
        "陵县局", "371421", 22, "陵县局.xlsx", "Sheet1",
        {
            "郑家寨派出所": ("盐场社区警务室", "郑家寨警务室", "大周警务室"),
            "安德派出所": ("安德社区警务室", "东关社区警务室"),
            "神头派出所": ("神头警务室", "大宗家警务室"),
            "滋镇派出所": ("滋镇警务室", "义渡口警务室"),
            "糜镇派出所": ("糜镇警务室",),
            "宋家派出所": ("宋家警务室", "徽王警务室"),
        },
        solid=(10,),
    ),
    Bureau(
        "平原县局", "371426", 20, "平原县局.csv", "",
        {
            "前曹派出所": ("前曹警务室", "三唐警务室"),
            "王凤楼派出所": ("王凤楼警务室",),
            "王打卦派出所": ("王打卦警务室", "张官店警务室"),
            "恩城派出所": ("恩城警务室", "坊子警务室"),
            "腰站派出所": ("腰站警务室",),
            "桃园派出所": ("桃园社区警务室", "龙门社区警务室"),
        },
        solid=(13,),
    ),
    Bureau(
        "宁津县局", "371422", 16, "宁津县局.xlsx", "Sheet1",
        {
            "津城派出所": ("津城社区警务室", "南关社区警务室"),
            "柴胡店派出所": ("柴胡店警务室", "大柳警务室"),
            "长官派出所": ("长官警务室",),
            "杜集派出所": ("杜集警务室", "保店警务室"),
            "时集派出所": ("时集警务室",),
            "张大庄派出所": ("张大庄警务室",),
        },
        solid=(5,), near_gate=(9,),
    ),
)  # fmt: skip

# Business units of the 六进业务警种民警 (no 警务室, no household visits, rates left blank).
NO_RATES: dict[str, Any] = {"id_consistency": None, "visit_rate": None, "satisfaction": None}


def who(name: str, station: str, office: str, **figures: Any) -> dict[str, Any]:
    return {"name": name, "station": station, "office": office, **figures}


# The hand-written cast: bureau -> {sequence: fields}. Comments say what each one exercises.
SPECIALS: dict[str, dict[int, dict[str, Any]]] = {
    "德城分局": {
        # information star rank 1 (the article's 王祥文); also qualifies investigation (1)
        3: who("王祥文", "二屯派出所", "馨苑社区警务室", visits=118,
               mediations=2, mediations_ok=2, followups_ok=2, case_leads=1,
               info_leads=26, services=3, services_ok=3),
        # mediation: 3rd of the qualifiers, named because the 2nd (李树华) took visits
        11: who("刘红梅", "新湖派出所", "湖滨社区警务室", visits=104,
                mediations=5, mediations_ok=5, followups_ok=5, case_leads=1,
                info_leads=5, services=2, services_ok=2),
        # gate failure: 155 households (would be visits #2) but 人号一致率 99.2 %
        17: who("孙卫东", "天衢派出所", "三八路社区警务室", visits=155,
                id_consistency=99.2, mediations=1, mediations_ok=1, followups_ok=1,
                info_leads=6, services=2, services_ok=1),
        # under the 50 minimum with strong figures elsewhere: 未达标, fails the gate
        22: who("马丽娜", "新华派出所", "建设街社区警务室", visits=42,
                mediations=5, mediations_ok=5, followups_ok=5, case_leads=1,
                info_leads=12, services=6, services_ok=5),
        # boundary: exactly 10 information leads qualifies
        26: who("赵志刚", "运河派出所", "广川社区警务室", visits=90,
                info_leads=10, services=1, services_ok=1),
        # 六进业务警种民警, 0 visits, gate not applied: service rank 2 (7 recognised / 9)
        30: who("陈海涛", "交警大队", "", role=BUSINESS, visits=0,
                **NO_RATES, services=9, services_ok=7),
    },
    "武城县局": {
        # visits star rank 1 (the article's 薛翠翠); also qualifies service (3)
        1: who("薛翠翠", "城区派出所", "兴隆警务室", visits=162,
               mediations=2, mediations_ok=2, followups_ok=2, info_leads=8,
               services=4, services_ok=3),
        # boundary: exactly 80 households passes the gate; exactly 3 mediations qualifies
        9: who("韩立军", "郝王庄派出所", "武官寨警务室", visits=80,
               mediations=3, mediations_ok=3, followups_ok=3, info_leads=4,
               services=1, services_ok=1),
        # service: 7 recognised like 陈海涛 but 8 services < 9 -> rank 3, second key decides
        14: who("于海燕", "老城派出所", "赵庄警务室", visits=92,
                mediations=1, mediations_ok=1, followups_ok=1, info_leads=3,
                services=8, services_ok=7),
        # under the 50 minimum
        19: who("田鹏", "鲁权屯派出所", "马庄警务室", visits=37,
                info_leads=2, services=1, services_ok=1),
        # investigation: sum 2, tied at rank 3 with 庞立新 (a tie below the cut: nobody added)
        21: who("郝文军", "甲马营派出所", "四女寺警务室", visits=97,
                case_leads=2, info_leads=5, services=2, services_ok=2),
    },
    "乐陵市局": {
        # mediation star rank 1 (the article's 苏振)
        5: who("苏振", "郭家派出所", "枣王警务室", visits=96,
               mediations=8, mediations_ok=8, followups_ok=8, info_leads=6,
               services=3, services_ok=2),
        # gate failure: 群众满意率 99.96 % is not 100 %; 11 mediations would top the star
        12: who("郭建华", "市中派出所", "城关社区警务室", visits=121,
                satisfaction=99.96, mediations=11, mediations_ok=11, followups_ok=11,
                info_leads=8, services=4, services_ok=3),
        # information: 18 leads, tied at rank 2 with 董振华 -> both named, 并列
        18: who("杨晓东", "胡家派出所", "杨集警务室", visits=86,
                mediations=1, mediations_ok=1, followups_ok=1, info_leads=18,
                services=2, services_ok=2),
        # under the 50 minimum, and a rate below 100 %
        21: who("崔静", "朱集派出所", "朱集警务室", visits=29,
                satisfaction=97.5, info_leads=3),
    },
    "陵县局": {
        # investigation star rank 1 (the article's 高广金): 3 leads + 1 suspect = 4;
        # information near miss: 9 leads < 10
        2: who("高广金", "郑家寨派出所", "盐场社区警务室", visits=112,
               mediations=1, mediations_ok=1, followups_ok=1, case_leads=3, suspects=1,
               info_leads=9, services=2, services_ok=2),
        # gate failure: 78 households; 4 leads + 2 suspects would top investigation
        8: who("宋德胜", "滋镇派出所", "义渡口警务室", visits=78,
               case_leads=4, suspects=2, info_leads=7, services=1, services_ok=1),
        # information: 18 leads, tied at rank 2 with 杨晓东 -> both named, 并列
        13: who("董振华", "神头派出所", "大宗家警务室", visits=99,
                info_leads=18, services=1, services_ok=1),
        # mediation near miss: 4 mediated, 4 successful, only 3 satisfied at follow-up
        16: who("邢玉林", "宋家派出所", "徽王警务室", visits=87,
                mediations=4, mediations_ok=4, followups_ok=3, info_leads=4,
                services=2, services_ok=1),
        # investigation: 1 lead + 1 suspect = 2, tied at rank 3 with 郝文军
        19: who("庞立新", "安德派出所", "东关社区警务室", visits=101,
                case_leads=1, suspects=1, info_leads=6, services=2, services_ok=2),
        # 六进业务警种民警 with the month's most information leads: not eligible (role)
        21: who("魏俊杰", "治安大队", "", role=BUSINESS, visits=0,
                **NO_RATES, info_leads=31, services=2, services_ok=2),
    },
    "平原县局": {
        # service star rank 1 (the article's 姚强)
        4: who("姚强", "前曹派出所", "前曹警务室", visits=93,
               mediations=1, mediations_ok=1, followups_ok=1, info_leads=4,
               services=10, services_ok=9),
        # mediation rank 4 (4 mediations), qualifies but not named; also service (3)
        7: who("任国庆", "王凤楼派出所", "王凤楼警务室", visits=88,
               mediations=4, mediations_ok=4, followups_ok=4, info_leads=6,
               services=3, services_ok=3),
        # information rank 4 (15 leads), just under the tied pair
        11: who("曹金龙", "恩城派出所", "坊子警务室", visits=84,
                info_leads=15, services=2, services_ok=1),
        # mediation near miss: 3 mediated, only 2 successful (and 2 satisfied)
        15: who("付学军", "王打卦派出所", "张官店警务室", visits=82,
                mediations=3, mediations_ok=2, followups_ok=2, info_leads=5,
                services=1, services_ok=1),
        # under the 50 minimum, and a rate below 100 %
        18: who("袁秀英", "腰站派出所", "腰站警务室", visits=46,
                satisfaction=98, mediations=1, mediations_ok=1, followups_ok=1,
                info_leads=4, services=2, services_ok=2),
        # service near miss: 6 services, only 2 recognised
        20: who("商长青", "桃园派出所", "龙门社区警务室", visits=85,
                info_leads=3, services=6, services_ok=2),
    },
    "宁津县局": {
        # visits star rank 2 (148); also mediation's 2nd qualifier (6) -> named for visits only
        3: who("李树华", "津城派出所", "南关社区警务室", visits=148,
               mediations=6, mediations_ok=6, followups_ok=6, info_leads=7,
               services=2, services_ok=2),
        # investigation rank 2: 1 lead + 1 suspect + 1 fugitive = 3
        7: who("张广峰", "柴胡店派出所", "大柳警务室", visits=91,
               case_leads=1, suspects=1, fugitives=1, info_leads=5,
               services=2, services_ok=1),
        # gate failure: 人号一致率 left blank (missing); 22 leads would be information #2
        11: who("孟庆华", "杜集派出所", "保店警务室", visits=95,
                id_consistency=None, info_leads=22, services=2, services_ok=2),
        # boundary: 79 households, all rates 100 % -> one short of the gate
        15: who("吕春雷", "时集派出所", "时集警务室", visits=79,
                mediations=3, mediations_ok=3, followups_ok=3, info_leads=11,
                services=3, services_ok=3),
    },
}  # fmt: skip

SURNAMES = (
    "王王王李李李张张张刘刘陈杨杨赵赵孙孙高高马马于徐田郭宋魏董崔孟邢丁韩曹吕付杜贾袁冯任"
    "商庞朱卢程梁周吴胡林何郑谢牛范石侯"
)
GIVEN = (
    "建国", "立新", "海涛", "志强", "文军", "红梅", "秀英", "卫东", "国庆", "玉林",
    "振华", "晓东", "学军", "春雷", "德胜", "庆华", "金龙", "爱民", "立军", "海燕",
    "晓燕", "长青", "宝华", "广峰", "新民", "俊杰", "明亮", "丽娜", "树华", "红霞",
    "鹏", "磊", "超", "伟", "静", "娜", "斌", "涛", "勇", "军", "刚", "辉", "敏", "燕",
    "永刚", "延军", "秀芳", "凤英", "传军", "兆峰", "洪亮", "建华", "云鹏", "金生",
    "长江", "东升", "慧敏", "丽华", "保国", "振东", "庆林", "士军", "晓明", "春燕",
)  # fmt: skip
LOW_RATES = (95.5, 96.8, 97.5, 98.0, 98.5, 99.0, 99.2, 99.5)
RATE_KEYS = ("id_consistency", "visit_rate", "satisfaction")


def new_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def place(rng: random.Random, bureau: Bureau) -> tuple[str, str]:
    station = rng.choice(sorted(bureau.stations))
    return station, rng.choice(bureau.stations[station])


def ordinary(rng: random.Random, officer: Officer) -> None:
    """50-79 households, now and then a rate under 100 %, small counts: fails the gate."""
    officer.visits = rng.randint(50, 79)
    if rng.random() < 0.3:
        setattr(officer, rng.choice(RATE_KEYS), rng.choice(LOW_RATES))
    med = rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
    officer.mediations = med
    officer.mediations_ok = med - (1 if med and rng.random() < 0.15 else 0)
    officer.followups_ok = officer.mediations_ok
    officer.case_leads = 1 if rng.random() < 0.12 else 0
    officer.suspects = 1 if rng.random() < 0.05 else 0
    officer.info_leads = rng.randint(1, 11)
    officer.services = rng.randint(0, 6)
    officer.services_ok = rng.randint(0, officer.services)


def solid(rng: random.Random, officer: Officer) -> None:
    """Passes the gate (81-130 households, all 100 %) but stays below every star's cut."""
    officer.visits = rng.randint(81, 130)
    med = rng.choice((0, 1, 1, 2, 2))
    officer.mediations = officer.mediations_ok = officer.followups_ok = med
    officer.case_leads = rng.choice((0, 0, 1))
    officer.info_leads = rng.randint(2, 9)
    officer.services = rng.randint(1, 6)
    officer.services_ok = rng.randint(1, min(officer.services, 5))


def near_gate(rng: random.Random, officer: Officer) -> None:
    """Enough households (80-125) but one of the three rates under 100 %: fails the gate."""
    solid(rng, officer)
    officer.visits = rng.randint(80, 125)
    setattr(officer, rng.choice(RATE_KEYS), rng.choice(LOW_RATES))


def bureau_officers(rng: random.Random, bureau: Bureau, used: set[str]) -> list[Officer]:
    specials = SPECIALS.get(bureau.name, {})
    officers = []
    for seq in range(1, bureau.size + 1):
        oid = bureau.officer_id(seq)
        if seq in specials:
            officers.append(Officer(oid, bureau=bureau.name, **specials[seq]))
            continue
        station, office = place(rng, bureau)
        officer = Officer(oid, new_name(rng, used), bureau.name, station, office)
        if seq in bureau.solid:
            solid(rng, officer)
        elif seq in bureau.near_gate:
            near_gate(rng, officer)
        else:
            ordinary(rng, officer)
        officers.append(officer)
    # Exports list officers station by station, office by office; business units last.
    order = {s: i for i, s in enumerate(bureau.stations)}

    def key(o: Officer) -> tuple[int, int, str]:
        offices = bureau.stations.get(o.station, ())
        office_pos = offices.index(o.office) if o.office in offices else 0
        return (order.get(o.station, len(order)), office_pos, o.officer_id)

    return sorted(officers, key=key)


def plain(value: Any) -> Any:
    """100.0 -> 100, so a percentage is written as people type it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_xlsx(path: Path, sheet: str, officers: list[Officer], month: str = MONTH) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": CREATED, "author": "德州市公安局", "title": month})
    ws = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True, "align": "center", "text_wrap": True})
    text = workbook.add_format({"num_format": "@"})
    ws.write_row(0, 0, HEADERS, bold)
    for r, officer in enumerate(officers, start=1):
        for c, value in enumerate(officer.cells(month)):
            if value is None or value == "":
                continue  # a blank cell
            if isinstance(value, str):
                ws.write_string(r, c, value, text)
            else:
                ws.write_number(r, c, plain(value))
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 8)
    ws.set_column(2, 4, 16)
    ws.set_column(5, 5, 16)
    ws.set_column(6, len(HEADERS) - 1, 10)
    ws.freeze_panes(1, 0)
    workbook.close()


def write_csv(path: Path, officers: list[Officer], month: str = MONTH) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(HEADERS)
        for officer in officers:
            writer.writerow("" if v is None else plain(v) for v in officer.cells(month))


def previous_month(rng: random.Random, officer: Officer) -> Officer:
    """The same officer a month earlier: figures drawn afresh around April's, so that March
    has winners of its own (for `fivestar history`); every row stays valid."""
    march = Officer(**{f.name: getattr(officer, f.name) for f in fields(officer)})
    if march.role == COMMUNITY:
        march.visits = max(0, march.visits + rng.randint(-25, 15))
    march.mediations = max(0, march.mediations + rng.randint(-2, 2))
    march.mediations_ok = min(march.mediations, max(0, march.mediations_ok + rng.randint(-1, 2)))
    march.followups_ok = min(march.mediations, march.mediations_ok)
    march.case_leads = max(0, march.case_leads + rng.randint(-1, 1))
    march.info_leads = max(0, march.info_leads + rng.randint(-6, 6))
    march.services = max(0, march.services + rng.randint(-2, 2))
    march.services_ok = min(march.services, max(0, march.services_ok + rng.randint(-2, 1)))
    return march


def write_month(month: str, officers_by_bureau: list[tuple[Bureau, list[Officer]]]) -> None:
    folder = OUT_DIR.parent / month
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for bureau, officers in officers_by_bureau:
        path = folder / bureau.filename
        if path.suffix == ".csv":
            write_csv(path, officers, month)
        else:
            write_xlsx(path, bureau.sheet, officers, month)
        total += len(officers)
        print(f"{month}/{path.name}: {len(officers)} officers")
    print(f"{total} officers in {month}/")


def main() -> None:
    rng = random.Random(SEED)
    used = {spec["name"] for group in SPECIALS.values() for spec in group.values()}
    april = [(bureau, bureau_officers(rng, bureau, used)) for bureau in BUREAUS]
    write_month(MONTH, april)
    march_rng = random.Random(SEED - 100)
    march = [(b, [previous_month(march_rng, o) for o in officers]) for b, officers in april]
    write_month("2014-03", march)


if __name__ == "__main__":
    main()
