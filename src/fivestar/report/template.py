"""The input template (`fivestar template`): the canonical headers (DESIGN.md §1) to type into.

Sheet 月度数据: one column per input column in `COLUMNS` order, data validation (whole numbers
≥ 0 for counts, 0–100 for rates in percent, a list for 岗位, ok-counts within their totals, a
hint on 月份 and 警号), and one example row whose 警号 is 示例 — the reader skips it. Sheet
填表说明: every column explained, and the star rules of the rules file in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from fivestar.columns import BOUNDED_BY, BY_KEY, COLUMNS, ROLES
from fivestar.own_files import EXAMPLE_ID, GUIDE, TEMPLATE
from fivestar.report.layout import Column, Sheet, display_width
from fivestar.report.words import gate_text, minimum_text, ranking_text, star_text
from fivestar.report.workbook import Formats, write_atomically
from fivestar.rules import RuleSet
from fivestar.rules.model import Star

DATA = "月度数据"
ROWS = 5000  # rows under the header that carry the validation
WIDTHS = {"officer_id": 12, "name": 10, "bureau": 12, "station": 14, "office": 16, "role": 18}
WIDTHS["month"] = 10
KIND_WORDS = {"text": "文字", "role": "选择", "month": "月份", "count": "整数", "rate": "百分数"}

EXPLAIN: dict[str, str] = {
    "officer_id": "民警警号，按文字填写，开头的 0 会保留。同一月份每个警号只填一行。",
    "name": "民警姓名。",
    "bureau": "所属县（市、区）局，如 武城县局。",
    "station": "所属派出所或业务警种单位。",
    "office": "社区警务室；六进业务警种民警可不填。",
    "role": "从下拉列表选择：社区民警 或 六进业务警种民警。不填按社区民警计。",
    "month": "统计月份，写作 2014-04（也可写 2014年4月 或 201404）。可不填；"
    "填写时须与评选月份一致。",
    "visits": "本月入户走访户数。",
    "id_consistency": "人号一致率，填百分数的数值：100 表示 100%，98.5 表示 98.5%。",
    "visit_rate": "入户走访率，填法同人号一致率。",
    "satisfaction": "群众满意率，填法同人号一致率。",
    "mediations": "本月调解矛盾纠纷起数。",
    "mediations_ok": "其中调解成功的起数，不得大于调解纠纷数。",
    "followups_ok": "电话回访中双方当事人均满意的起数，不得大于调解纠纷数。",
    "case_leads": "提供刑事案件侦查破案线索数。",
    "suspects": "抓获犯罪嫌疑人数。",
    "fugitives": "抓获逃犯数。",
    "info_leads": "提供线索信息条数。",
    "services": "为群众提供服务的次数。",
    "services_ok": "其中得到群众认可的次数，不得大于服务群众次数。",
}

EXAMPLE: dict[str, str | int] = {
    "officer_id": EXAMPLE_ID,
    "name": "张三",
    "bureau": "武城县局",
    "station": "城区派出所",
    "office": "兴隆警务室",
    "role": ROLES[0],
    "visits": 85,
    "id_consistency": 100,
    "visit_rate": 100,
    "satisfaction": 100,
    "mediations": 3,
    "mediations_ok": 3,
    "followups_ok": 3,
    "case_leads": 1,
    "suspects": 0,
    "fugitives": 0,
    "info_leads": 10,
    "services": 3,
    "services_ok": 3,
}

NOTES = (
    "1. 每位民警每月填一行。各县局可各报一个文件（.xlsx、.xls、.ods 或 .csv）。",
    "2. 请勿修改第 1 行的列名；右侧可增加其他列（如 序号、备注），程序不读取这些列。",
    f"3. 第 2 行是示例（警号为“{EXAMPLE_ID}”），不参加评选，可保留或删除。",
    "4. 数量填整数，空白按 0 计。比率填百分数的数值（100 表示 100%）；比率空白视为缺失，"
    "涉及该比率的条件均不满足。",
    "5. 调解成功数、回访满意数不得大于调解纠纷数；服务认可数不得大于服务群众次数。",
    "6. 表格下方的 合计、小计 行和 填表人、审核人 等备注行不参加评选。",
)


def write_template(path: Path, rules: RuleSet) -> None:
    """Write the input template for `rules` to `path`, replacing any previous file atomically.

    Raises OutputError when the file cannot be written; the previous file is then unchanged.
    The workbook's MARKER property says "template" (`check_replaceable` keeps a filled one).
    """

    def build(workbook: Any, formats: Formats) -> None:
        _data_sheet(workbook, rules)
        guide = Sheet(
            workbook, formats, GUIDE, title=f"{rules.model.organisation}“五星”评选数据填表说明"
        )
        _guide_sheet(guide, rules)
        guide.finish()

    write_atomically(path, build, what=TEMPLATE)


def _data_sheet(workbook: Any, rules: RuleSet) -> None:
    ws = workbook.add_worksheet(DATA)
    base = {"font_size": 11, "valign": "vcenter"}
    header = {**base, "bold": True, "border": 1, "align": "center", "text_wrap": True}
    example = {**base, "italic": True, "font_color": "#7F7F7F", "bg_color": "#FFF2CC"}
    example = {**example, "border": 1}
    column_format = {
        "text": {"num_format": "@"},
        "role": {"num_format": "@"},
        "month": {"num_format": "@"},
        "count": {"num_format": "0"},
        "rate": {},
    }
    for col, column in enumerate(COLUMNS):
        fill = "#FCE4D6" if column.required else "#DDEBF7"
        ws.write_string(0, col, column.header, workbook.add_format({**header, "bg_color": fill}))
        ws.set_column(col, col, WIDTHS.get(column.key, _width(column.header)),
                      workbook.add_format({**base, **column_format[column.kind]}))  # fmt: skip
        cell_format = workbook.add_format({**example, **column_format[column.kind]})
        value = EXAMPLE.get(column.key, rules.model.effective_from)
        if isinstance(value, int):
            ws.write_number(1, col, value, cell_format)
        else:
            ws.write_string(1, col, value, cell_format)
        _validate(ws, col, column.key, rules)
    ws.set_row(0, 30)
    ws.freeze_panes(1, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.activate()


def _width(header: str) -> int:
    """A figure's column: its header folds onto two lines."""
    return max(8, (display_width(header) + 1) // 2 + 3)


def _validate(ws: Any, col: int, key: str, rules: RuleSet) -> None:
    """One column's data validation, on the rows below the header."""
    kind = BY_KEY[key].kind
    options: dict[str, Any]
    if kind == "count":
        options = {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_title": BY_KEY[key].header,
            "error_message": "请填写不小于 0 的整数（空白按 0 计）。",
        }
        total = BOUNDED_BY.get(key)
        if total is not None:
            other = xl_rowcol_to_cell(1, _index(total), col_abs=True)
            here = xl_rowcol_to_cell(1, col)
            options = {
                "validate": "custom",
                "value": f"=AND(INT({here})={here},{here}>=0,{here}<=N({other}))",
                "error_title": BY_KEY[key].header,
                "error_message": f"请填写不小于 0 的整数，且不大于{BY_KEY[total].header}。",
            }
    elif kind == "rate":
        options = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "input_title": BY_KEY[key].header,
            "input_message": "填百分数的数值：100 表示 100%。",
            "error_title": BY_KEY[key].header,
            "error_message": "请填写 0 到 100 之间的数（100 表示 100%）。",
        }
    elif kind == "role":
        options = {
            "validate": "list",
            "source": list(ROLES),
            "error_title": "岗位",
            "error_message": f"请从列表中选择：{'、'.join(ROLES)}。",
        }
    elif kind == "month":
        options = {
            "validate": "any",
            "input_title": "月份",
            "input_message": "写作 2014-04（也可写 2014年4月 或 201404）。",
        }
    elif key == "officer_id":
        options = {
            "validate": "any",
            "input_title": "警号",
            "input_message": f"按文字填写，开头的 0 会保留。警号为“{EXAMPLE_ID}”的行不参加评选。",
        }
    else:
        return
    ws.data_validation(1, col, ROWS, col, options)


def _index(key: str) -> int:
    return next(i for i, column in enumerate(COLUMNS) if column.key == key)


def _scope(rules: RuleSet, star: Star) -> str:
    return f"适用：{'、'.join(star.roles)}；{ranking_text(rules, star)}"


def _guide_sheet(sheet: Sheet, rules: RuleSet) -> None:
    """填表说明: how to fill in, every column, and the rules of the stars in words."""
    sheet.paragraphs(NOTES)
    sheet.skip()
    sheet.heading("各列说明")
    aliases = rules.aliases
    sheet.table(
        [
            Column("列名", [c.header for c in COLUMNS]),
            Column(
                "类型", [KIND_WORDS[c.kind] + ("（必填）" if c.required else "") for c in COLUMNS]
            ),
            Column("填写说明", [EXPLAIN[c.key] for c in COLUMNS], "wrap"),
            Column("也可写作", ["、".join(aliases.get(c.key, [])) for c in COLUMNS], "wrap", 30),
        ],
        main=False,
    )
    sheet.skip()
    selection = rules.model.selection
    sheet.heading(f"评选规则：{rules.model.name}（{rules.model.effective_from} 起施行）")
    rules_lines = [
        f"评选资格：{gate_text(rules)}。",
        f"最低要求：{minimum_text(rules)}。",
        f"每月评选 {selection.total} 人"
        + ("，每人每月至多获评一星（按下表顺序评定）" if selection.one_star_per_officer else "")
        + ("；排名并列者均予评选。" if selection.ties == "include" else "。"),
    ]
    sheet.paragraphs(rules_lines)
    sheet.skip()
    stars = rules.stars
    sheet.table(
        [
            Column("评选项目", [s.label for s in stars]),
            Column("每月名额", [s.quota for s in stars], "count"),
            Column("评选条件", [star_text(rules, s) for s in stars], "wrap"),
            Column("适用岗位与排名", [_scope(rules, s) for s in stars], "wrap", 30),
        ],
        main=False,
    )
