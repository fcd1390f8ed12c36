"""The input contract of DESIGN.md §1: every column key, its canonical header and its kind.

Aliases are not here: they live in the rules file, so a bureau can add its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "role", "month", "count", "rate"]

COMMUNITY = "社区民警"
BUSINESS = "六进业务警种民警"
ROLES = (COMMUNITY, BUSINESS)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # canonical Chinese header, also the label used in reports
    kind: Kind
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("officer_id", "警号", "text", required=True),
    Column("name", "姓名", "text", required=True),
    Column("bureau", "县局", "text"),
    Column("station", "派出所", "text"),
    Column("office", "警务室", "text"),
    Column("role", "岗位", "role"),
    Column("month", "月份", "month"),
    Column("visits", "入户走访户数", "count"),
    Column("id_consistency", "人号一致率", "rate"),
    Column("visit_rate", "入户走访率", "rate"),
    Column("satisfaction", "群众满意率", "rate"),
    Column("mediations", "调解纠纷数", "count"),
    Column("mediations_ok", "调解成功数", "count"),
    Column("followups_ok", "回访满意数", "count"),
    Column("case_leads", "破案线索数", "count"),
    Column("suspects", "抓获嫌疑人数", "count"),
    Column("fugitives", "抓获逃犯数", "count"),
    Column("info_leads", "线索信息条数", "count"),
    Column("services", "服务群众次数", "count"),
    Column("services_ok", "服务认可数", "count"),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
COUNT_KEYS = tuple(c.key for c in COLUMNS if c.kind == "count")
RATE_KEYS = tuple(c.key for c in COLUMNS if c.kind == "rate")
METRIC_KEYS = COUNT_KEYS + RATE_KEYS
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)

# ok-count columns that may not exceed their total (DESIGN.md §1 "Consistency")
BOUNDED_BY: dict[str, str] = {
    "mediations_ok": "mediations",
    "followups_ok": "mediations",
    "services_ok": "services",
}

# Provenance columns the readers add to every officer row.
SOURCE_FILE = "source_file"
SOURCE_SHEET = "source_sheet"
SOURCE_ROW = "source_row"
