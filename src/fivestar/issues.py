"""The catalogue of issue codes: code → Chinese message template, its parameters, its meaning.

An issue (a rejected row, an unreadable file, a note) is known by a stable `code` and the
parameters its message needs; the Chinese text is rendered from the template here. Scripts,
tests and the grouping of issues key on the code, never on the text. docs/ISSUES.md is made
from this catalogue (`python -m fivestar.issues > docs/ISSUES.md`) and a test keeps the two
the same. This module imports nothing of fivestar: every layer may use it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Code:
    """One issue code: its template, the parameters it needs, what it means, an example."""

    code: str
    template: str
    params: tuple[str, ...]
    meaning: str
    example: Mapping[str, Any]
    level: str  # "row": one rejected (or noted) row; "file": a file, folder or sheet


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_ROW, _FILE = "row", "file"
_LABEL = "列名（表头，按文件中的写法）"

CODES: tuple[Code, ...] = (
    # ---- a row of a sheet, rejected (or noted) --------------------------------------------
    Code("officer-id-blank", "警号为空", (), "数据行的警号一格为空，本行不予评估。", {}, _ROW),
    Code("name-blank", "姓名为空", (), "数据行的姓名一格为空，本行不予评估。", {}, _ROW),
    Code(
        "role-unknown",
        "{label} 无法识别：{value}（应为 {roles}）",
        ("label", "value", "roles"),
        f"岗位不是规则认可的岗位之一。label：{_LABEL}；value：单元格的值；roles：认可的岗位。",
        {"label": "岗位", "value": "巡警", "roles": "社区民警 或 驻村民警"},
        _ROW,
    ),
    Code(
        "month-unreadable",
        "{label} 无法识别：{value}",
        ("label", "value"),
        f"月份一格读不出是哪个月。label：{_LABEL}；value：单元格的值。",
        {"label": "月份", "value": "四月份"},
        _ROW,
    ),
    Code(
        "month-mismatch",
        "{label} {found}与评选月份 {month} 不符",
        ("label", "found", "month", "other"),
        "本行是另一个月的数据。found：读出的月份（2014.1 这类写法两种读法都列出，"
        "后接空格）；month：评选月份；other：读出的那一个月（2014-03），"
        "两种读法时为空（此参数不出现在文字中，供脚本使用）。",
        {"label": "月份", "found": "2014-03 ", "month": "2014-04", "other": "2014-03"},
        _ROW,
    ),
    Code(
        "not-a-count",
        "{label} 应为非负整数：{value}",
        ("label", "value"),
        f"计数列（户数、件数等）不是非负整数。label：{_LABEL}；value：单元格的值。",
        {"label": "入户走访户数", "value": "十二"},
        _ROW,
    ),
    Code(
        "not-a-rate",
        "{label} 不是比率：{value}",
        ("label", "value"),
        f"比率列（满意率等）读不出数值。label：{_LABEL}；value：单元格的值。",
        {"label": "群众满意率", "value": "很高"},
        _ROW,
    ),
    Code(
        "rate-out-of-range",
        "{label} {value} 超出 0–100%",
        ("label", "value"),
        f"比率不在 0 到 100% 之间。label：{_LABEL}；value：单元格的值。",
        {"label": "群众满意率", "value": "120%"},
        _ROW,
    ),
    Code(
        "not-a-number",
        "{label} 应为数值：{value}",
        ("label", "value"),
        f"规则声明的数值列（供一票否决）读不出数值。label：{_LABEL}；value：单元格的值。",
        {"label": "扣分", "value": "两分"},
        _ROW,
    ),
    Code(
        "not-yes-no",
        "{label} 应为“是”或“否”：{value}",
        ("label", "value"),
        "规则声明的是否列（供一票否决，如违纪）不是“是”或“否”（也认有/无、Y/N、1/0，"
        f"空白按否）。label：{_LABEL}；value：单元格的值。",
        {"label": "违纪", "value": "待查"},
        _ROW,
    ),
    Code(
        "more-than-total",
        "{label} {count} > {total_label} {total}",
        ("label", "count", "total_label", "total"),
        "部分数大于总数（如调解成功数大于调解数）。label/count：部分数的列名与数值；"
        "total_label/total：总数的列名与数值。",
        {"label": "调解成功数", "count": 5, "total_label": "调解纠纷数", "total": 3},
        _ROW,
    ),
    Code(
        "formula-no-value",
        "公式单元格没有保存的值（请在 Excel 中打开、保存后再导出）",
        (),
        "公式单元格没有保存计算结果（由程序生成、未经 Excel 保存的文件）。",
        {},
        _ROW,
    ),
    Code(
        "stray-quote",
        '引号（"）没有配对：这一格从本行起连到了其后 {swallowed} 行，把它们并成了一格；'
        "本行不予采用，其后各行已照常读取，请删去多余的引号",
        ("swallowed",),
        "CSV 中一个没有配对的引号把其后若干行并进了一格。swallowed：被并入的行数。",
        {"swallowed": 3},
        _ROW,
    ),
    Code(
        "line-break",
        '单元格内有换行（本文件其他各行都是一行一条），可能是多余的引号（"）或误按了 Alt+Enter，'
        "请检查此行",
        (),
        "CSV 中只有这一行的单元格里有换行，可能是多余的引号。",
        {},
        _ROW,
    ),
    Code(
        "merged-figure",
        "合并单元格 {range} 跨越多名民警（{count} 行），不能当作每人的数值，请逐行填写",
        ("range", "count"),
        "一个数值单元格合并跨越了多名民警。range：合并区域（如 E5:E7）；count：民警行数。",
        {"range": "E5:E7", "count": 3},
        _ROW,
    ),
    Code(
        "merged-cover",
        "合并单元格 {range} 盖住了本行这一格，本行没有自己的数值，请取消合并后逐行填写",
        ("range",),
        "本行的数值格被合并单元格盖住，没有自己的数值。range：合并区域。",
        {"range": "E5:F5"},
        _ROW,
    ),
    Code(
        "duplicate-officer",
        "警号 {officer_id} 重复：{places}",
        ("officer_id", "places"),
        "同一警号在本次评选中出现多次，每一处都不予评估。officer_id：警号；"
        "places：出现的各处，以“；”分隔。",
        {
            "officer_id": "1371428001",
            "places": "乐陵市局.xlsx Sheet1 第3行；宁津县局.xlsx Sheet1 第5行",
        },
        _ROW,
    ),
    Code(
        "text-cut",
        "文本过长（{length:,} 个字符），报告中只保留前 {limit:,} 个字符；本行照常评估",
        ("length", "limit"),
        "说明，不是拒绝：本行照常评估，但文字超出 Excel 单元格上限，报告中会被截短。"
        "length：字符数；limit：上限。",
        {"length": 40000, "limit": 32767},
        _ROW,
    ),
    # ---- a file, a folder or a sheet ------------------------------------------------------
    Code(
        "not-found",
        "文件或文件夹不存在 (not found)",
        (),
        "命令行给出的文件或文件夹不存在。",
        {},
        _FILE,
    ),
    Code(
        "not-a-regular-file",
        "不是普通文件（如管道、设备 / not a regular file），无法读取",
        (),
        "给出的路径是管道、设备等，不是文件。",
        {},
        _FILE,
    ),
    Code(
        "broken-link",
        "快捷方式（链接）指向的文件不存在 (broken link)，请放入文件本身",
        (),
        "文件夹中的快捷方式（链接）指向的文件不存在。",
        {},
        _FILE,
    ),
    Code(
        "vanished",
        "文件在读取文件夹时消失（已被移动或删除 / vanished），请确认后重新运行",
        (),
        "读取文件夹时，其中的文件被移动或删除。",
        {},
        _FILE,
    ),
    Code(
        "unreadable-folder",
        "无法打开文件夹：{why}",
        ("why",),
        "文件夹打不开（没有权限等）。why：操作系统给出的原因。",
        {"why": "没有读取权限 (permission denied)，请检查文件权限或先复制到本机"},
        _FILE,
    ),
    Code(
        "unreadable-file",
        "无法打开文件：{why}",
        ("why",),
        "文件打不开（没有权限等）。why：操作系统给出的原因。",
        {"why": "没有读取权限 (permission denied)，请检查文件权限或先复制到本机"},
        _FILE,
    ),
    Code(
        "no-spreadsheets",
        "文件夹中没有表格文件（.xlsx .xlsm .xls .ods .csv）{hint}",
        ("hint",),
        "文件夹中没有可读的表格文件。hint：未查子文件夹时的提示，否则为空。",
        {"hint": "；子文件夹请加 --recursive"},
        _FILE,
    ),
    Code(
        "fivestar-report",
        "这是 fivestar 生成的报告，不是输入数据，未读取 (a fivestar report, not input)",
        (),
        "命令行中点名了 fivestar 自己生成的报告（如 *.xlsx 通配），不作为输入读取。",
        {},
        _FILE,
    ),
    Code(
        "file-too-large",
        "文件过大（{size}，上限 {limit}），不像一个县局的月报表 (file too large)",
        ("size", "limit"),
        "文件大小超过上限。size：文件大小；limit：上限。",
        {"size": "120 MB", "limit": "100 MB"},
        _FILE,
    ),
    Code(
        "text-too-large",
        "{what}文件过大（{size}，上限 {limit}），请另存为 .xlsx (file too large)",
        ("what", "size", "limit"),
        "CSV 或网页表格文件超过文本上限。what：CSV 或 HTML；size、limit：大小与上限。",
        {"what": "CSV", "size": "60 MB", "limit": "50 MB"},
        _FILE,
    ),
    Code(
        "unpacked-too-large",
        "文件解压后过大（{size}，上限 {limit}，可用 --max-unpacked 调整），"
        "疑似损坏或恶意文件 (zip bomb)",
        ("size", "limit"),
        "xlsx/ods 压缩包解压后超过上限（疑似压缩炸弹）。size、limit：解压后大小与上限。",
        {"size": "300 MB", "limit": "256 MB"},
        _FILE,
    ),
    Code(
        "too-many-cells",
        "{what}过大（约 {cells} 个单元格 / cells，上限 {limit}），"
        "疑似损坏或恶意文件；请删去多余的行列后另存",
        ("what", "cells", "limit"),
        "表格（或一个工作表）的单元格数超过上限；一个工作表超限时只跳过该表。"
        "what：哪一部分；cells、limit：单元格数与上限。",
        {"what": "工作表", "cells": "500 万", "limit": "300 万"},
        _FILE,
    ),
    Code(
        "dimension-too-large",
        "工作表声明的范围过大（dimension {ref}，约 {cells} 个单元格 / cells，上限 {limit}），"
        "疑似损坏或恶意文件",
        ("ref", "cells", "limit"),
        "工作表声明的范围超过单元格上限，该表不读取。ref：声明的范围；cells、limit：单元格数与上限。",
        {"ref": "A1:XFD1048576", "cells": "171 亿", "limit": "300 万"},
        _FILE,
    ),
    Code(
        "oversized-part",
        "文件结构异常（{part} 有 {size}），疑似损坏或恶意文件",
        ("part", "size"),
        "压缩包中某一部分大得异常。part：部分名；size：大小。",
        {"part": "xl/styles.xml", "size": "200 MB"},
        _FILE,
    ),
    Code(
        "xml-entities",
        "文件含有 XML 实体声明（DOCTYPE/ENTITY，见 {part}），疑似恶意文件，已拒绝读取；"
        "请用 Excel 或 WPS 打开后另存",
        ("part",),
        "表格内部的 XML 含有实体声明（疑似恶意文件）。part：所在部分。",
        {"part": "xl/worksheets/sheet1.xml"},
        _FILE,
    ),
    Code(
        "invalid-xml",
        "文件已损坏（XML 结构无效 / invalid XML），请重新导出",
        (),
        "表格内部的 XML 结构无效。",
        {},
        _FILE,
    ),
    Code(
        "empty-file",
        "文件为空（0 字节 / empty file）",
        (),
        "文件是 0 字节。",
        {},
        _FILE,
    ),
    Code(
        "blank-file",
        "文件为空（只有空白 / blank）",
        (),
        "文件只有空白字符。",
        {},
        _FILE,
    ),
    Code(
        "encrypted",
        "文件已加密（设有打开密码 / password-protected），请去掉密码后另存",
        (),
        "文件设有打开密码。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-zip",
        "文件已损坏（ZIP 结构无效 / corrupt or truncated zip），请重新导出",
        (),
        "xlsx/ods 文件的压缩结构无效或被截断。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-zip-data",
        "文件已损坏（ZIP 数据无效 / corrupt zip：{detail}），请重新导出",
        ("detail",),
        "xlsx/ods 文件中的压缩数据无效。detail：读取库给出的原因。",
        {"detail": "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"},
        _FILE,
    ),
    Code(
        "unsupported-compression",
        "文件已损坏或使用了不支持的压缩方式（{detail}）",
        ("detail",),
        "压缩数据无法解开。detail：读取库给出的原因。",
        {"detail": "compression type 99"},
        _FILE,
    ),
    Code(
        "zip-not-workbook",
        "是 ZIP 压缩包，但不是 Excel 或 ODS 表格 (zip, not a workbook)",
        (),
        "文件是 ZIP 压缩包，但其中不是表格。",
        {},
        _FILE,
    ),
    Code(
        "ole-not-workbook",
        "是 Office 文档（OLE2），但不是 Excel 工作簿（如 Word 文档 / not a workbook）",
        (),
        "文件是旧版 Office 文档，但不是 Excel 工作簿。",
        {},
        _FILE,
    ),
    Code(
        "xml-spreadsheet",
        "是 XML 文件（如 Excel 2003 XML 表格 / XML spreadsheet），请另存为 .xlsx",
        (),
        "文件是 XML（如 Excel 2003 XML 表格），不支持。",
        {},
        _FILE,
    ),
    Code(
        "unknown-binary",
        "不是表格文件（无法识别的二进制内容 / unknown binary file）",
        (),
        "文件内容不是任何表格格式。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-format",
        "文件已损坏或不是有效的 {format} 表格（corrupt file：{detail}），请重新导出",
        ("format", "detail"),
        "读取库打不开文件。format：按内容判断的格式；detail：读取库给出的原因。",
        {"format": "xlsx", "detail": "invalid sheet"},
        _FILE,
    ),
    Code(
        "corrupt-file",
        "文件已损坏（corrupt file：{detail}），请重新导出",
        ("detail",),
        "读取文件时出错。detail：读取库给出的原因。",
        {"detail": "unexpected end of data"},
        _FILE,
    ),
    Code(
        "corrupt-sheet",
        "工作表「{sheet}」已损坏，无法读取（corrupt sheet：{detail}）",
        ("sheet", "detail"),
        "一个工作表读不出来。sheet：工作表名；detail：读取库给出的原因。",
        {"sheet": "Sheet1", "detail": "invalid cell reference"},
        _FILE,
    ),
    Code(
        "no-such-sheet",
        "没有名为 {wanted} 的工作表（本文件的工作表：{names}）",
        ("wanted", "names"),
        "指定的工作表在文件中都不存在。wanted：指定的工作表；names：文件中的工作表。",
        {"wanted": "四月", "names": "Sheet1、Sheet2"},
        _FILE,
    ),
    Code(
        "undecodable",
        "无法用编码 {encoding} 解码（第 {at} 字节），请检查 --encoding",
        ("encoding", "at"),
        "CSV/网页文件不能按指定的编码解码。encoding：编码；at：出错的字节位置。",
        {"encoding": "gbk", "at": 120},
        _FILE,
    ),
    Code(
        "bad-utf8-bom",
        "文件声明为 UTF-8（带 BOM），但内容无法按 UTF-8 解码",
        (),
        "文件以 UTF-8 标记开头，内容却不是 UTF-8。",
        {},
        _FILE,
    ),
    Code(
        "bad-utf16",
        "文件声明为 UTF-16，但内容无法解码",
        (),
        "文件以 UTF-16 标记开头，内容却不能解码。",
        {},
        _FILE,
    ),
    Code(
        "unknown-encoding",
        "无法识别文件编码（已尝试 UTF-8、GB18030），请用 --encoding 指定，如 --encoding big5",
        (),
        "CSV/网页文件的编码既不是 UTF-8 也不是 GB18030。",
        {},
        _FILE,
    ),
    Code(
        "csv-malformed",
        "CSV 格式错误：{detail}",
        ("detail",),
        "CSV 文件格式错误。detail：读取库给出的原因。",
        {"detail": "field larger than field limit"},
        _FILE,
    ),
    Code("no-content", "文件没有内容", (), "CSV 文件读出来没有任何内容。", {}, _FILE),
    Code(
        "html-no-table",
        "是网页（HTML）文件，但其中没有表格 (web page, no table)",
        (),
        "网页文件中没有表格。",
        {},
        _FILE,
    ),
    Code(
        "no-sheets",
        "没有可读的工作表（都是隐藏、空白或未选中的）",
        (),
        "文件中的工作表都是隐藏、空白或未被选中的。",
        {},
        _FILE,
    ),
    Code(
        "no-header",
        "找不到表头：{missing}",
        ("missing",),
        "文件中没有一个工作表找得到表头。missing：缺少的必需列及最接近的列名，以“；”分隔。",
        {"missing": "缺少必需列「警号」，最接近的是「警 号码」（Sheet1 第2行）"},
        _FILE,
    ),
    Code(
        "no-officer-rows",
        "文件中没有民警数据行（{found}），请检查是否导出了空表",
        ("found",),
        "文件有表头，但没有一行民警数据（所有行仍计为跳过）。found：表头下是什么。",
        {"found": "只有表头"},
        _FILE,
    ),
    Code(
        "no-month-column",
        "本表没有「月份」列：各行均按评选月份 {month} 计",
        ("month",),
        "说明，不是拒绝：表中没有月份列，各行照常评估，都算作评选月份的数据。month：评选月份。",
        {"month": "2014-04"},
        _FILE,
    ),
    Code(
        "no-role-column",
        "本表没有「岗位」列：各行均按{role}评选",
        ("role",),
        "说明，不是拒绝：表中没有岗位列，各行照常评估，都按社区民警评选。role：所按的岗位。",
        {"role": "社区民警"},
        _FILE,
    ),
    Code(
        "no-veto-column",
        "本表没有「{column}」列：一票否决（{vetoes}）对本表各行无法判断，均未否决",
        ("column", "vetoes"),
        "说明，不是拒绝：规则为一票否决声明的列在表中没有，本表各行照常评估，"
        "但这些否决对他们无从适用。column：规则中的列名；vetoes：读这一列的否决，以“、”分隔。",
        {"column": "有效投诉数", "vetoes": "有效投诉"},
        _FILE,
    ),
    Code(
        "read-failed",
        "无法读取文件（{detail}）",
        ("detail",),
        "读取文件时发生未预料的错误。detail：错误的类型与说明。",
        {"detail": "ValueError: bad value"},
        _FILE,
    ),
    Code(
        "reader-crashed",
        "读取时进程异常退出（文件可能已损坏或为恶意文件），请用 Excel 或 WPS 打开后另存",
        (),
        "读取这个文件的进程崩溃了（文件可能已损坏或为恶意文件）。",
        {},
        _FILE,
    ),
    Code(
        "stored",
        "{text}",
        ("text",),
        "从结果库读回的旧数据问题（库中只保存了文字）。text：当时的文字。",
        {"text": "警号为空"},
        _ROW,
    ),
)

CATALOGUE: Mapping[str, Code] = MappingProxyType({c.code: c for c in CODES})

# Parameters a code carries for scripts that its text does not show.
_DATA_ONLY: Mapping[str, frozenset[str]] = MappingProxyType(
    {"month-mismatch": frozenset({"other"})}
)


def _validate() -> None:
    """Every template's fields are its declared parameters; codes unique; examples complete."""
    if len(CATALOGUE) != len(CODES):
        raise AssertionError("issue codes are not unique")
    for c in CODES:
        shown = set(c.params) - _DATA_ONLY.get(c.code, frozenset())
        if _fields(c.template) != shown:
            raise AssertionError(f"issue code {c.code}: template fields ≠ params {c.params}")
        if set(c.example) != set(c.params):
            raise AssertionError(f"issue code {c.code}: example ≠ params {c.params}")
        if c.level not in (_ROW, _FILE):
            raise AssertionError(f"issue code {c.code}: level {c.level!r}")


_validate()


@dataclass(frozen=True)
class Message:
    """A code with its parameters; `str()` is the Chinese text rendered from the template."""

    code: str
    # a plain dict: a worker process sends its issues back pickled
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        entry = CATALOGUE.get(self.code)
        if entry is None:
            raise KeyError(f"unknown issue code {self.code!r}")
        if set(self.params) != set(entry.params):
            raise TypeError(f"issue code {self.code}: params {sorted(self.params)}")

    @property
    def text(self) -> str:
        return CATALOGUE[self.code].template.format_map(self.params)

    def __str__(self) -> str:
        return self.text


def message(code: str, **params: Any) -> Message:
    return Message(code, params)


def docs() -> str:
    """docs/ISSUES.md: every code, its meaning, its parameters and an example."""
    lines = [
        "# 数据问题代码 / Issue codes",
        "",
        "<!-- Made from src/fivestar/issues.py: python -m fivestar.issues > docs/ISSUES.md -->",
        "",
        "Every data issue (报告的「数据问题」表、`--json` 的 `issues`) carries a stable `code`",
        "and its `params`; `reason` is the Chinese text rendered from the code's template.",
        "Scripts should key on `code` and `params`, never on the text.",
        "每个数据问题都有一个固定的代码（code）和参数（params）；文字（reason）由模板生成。",
        "",
        "Row codes (行) reject one row (`text-cut` only notes it); file codes (文件) concern a",
        "whole file, folder or sheet (`row` is null); the `no-…-column` codes only note what",
        "was assumed for a sheet without an optional column, its rows still evaluated.",
        "",
    ]
    for c in CODES:
        params = "、".join(f"`{p}`" for p in c.params) or "无"
        lines += [
            f"## `{c.code}`（{'行' if c.level == _ROW else '文件'}）",
            "",
            c.meaning,
            "",
            f"- 参数：{params}",
            f"- 模板：`{c.template}`",
            f"- 示例：{Message(c.code, c.example).text}",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(docs(), end="")
