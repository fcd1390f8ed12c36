"""The catalogue of issue codes: code → message template, its parameters, its meaning.

An issue (a rejected row, an unreadable file, a note) is known by a stable `code` and the
parameters its message needs; its text is rendered from the template here. A template is
English source text (marked N_); its Chinese is in the catalogue (fivestar.i18n), and the
Chinese is the issue's `reason`, as the workbooks show it. The terminal and `--json` show it
in the session's language. Scripts,
tests and the grouping of issues key on the code, never on the text. docs/ISSUES.md is made
from this catalogue (`python -m fivestar.issues > docs/ISSUES.md`) and a test keeps the two
the same. This module imports only fivestar.i18n: every layer may use it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fivestar.i18n import N_, ZH, _, translate


@dataclass(frozen=True)
class Code:
    """One issue code: its template (English source, translated through the catalogue), the
    parameters it needs, what it means (in Chinese: the clerk's reference), an example."""

    code: str
    template: str
    params: tuple[str, ...]
    meaning: str
    example: Mapping[str, Any]
    level: str  # "row": one rejected (or noted) row; "file": a file, folder or sheet


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_ROW, _FILE = "row", "file"

# A parameter that is itself a catalogue message, translated with the text (no-spreadsheets).
# A parameter saying the value was quoted cut (its full length), and the note it adds.
CUT, CUT_SHOWN = "cut_length", "cut_shown"
CUT_NOTE = N_(" (value too long: {length:,} characters, the first {shown} shown)")

RECURSIVE_HINT = N_("; add --recursive for sub-folders")
# The system's reasons a file or folder cannot be opened that fivestar words itself (any
# other is the system's own text, shown as it is).
NO_PERMISSION = N_("permission denied; check its permissions or copy it to this computer first")
GONE = N_("it no longer exists (moved or deleted while being read); check and run again")
_TRANSLATED_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "no-spreadsheets": frozenset({"hint"}),
        "unreadable-folder": frozenset({"why"}),
        "unreadable-file": frozenset({"why"}),
    }
)
_LABEL = "列名（表头，按文件中的写法）"

CODES: tuple[Code, ...] = (
    # ---- a row of a sheet, rejected (or noted) --------------------------------------------
    Code(
        "officer-id-blank",
        N_("the officer ID is blank"),
        (),
        "数据行的警号一格为空，本行不予评估。",
        {},
        _ROW,
    ),
    Code(
        "name-blank", N_("the name is blank"), (), "数据行的姓名一格为空，本行不予评估。", {}, _ROW
    ),
    Code(
        "role-unknown",
        N_("{label} not recognised: {value} (expected {roles})"),
        ("label", "value", "roles"),
        f"岗位不是规则认可的岗位之一。label：{_LABEL}；value：单元格的值；roles：认可的岗位。",
        {"label": "岗位", "value": "巡警", "roles": "社区民警 或 驻村民警"},
        _ROW,
    ),
    Code(
        "month-unreadable",
        N_("{label} not recognised: {value}"),
        ("label", "value"),
        f"月份一格读不出是哪个月。label：{_LABEL}；value：单元格的值。",
        {"label": "月份", "value": "四月份"},
        _ROW,
    ),
    Code(
        "month-mismatch",
        N_("{label} {found}does not match the month evaluated, {month}"),
        ("label", "found", "month", "other"),
        "本行是另一个月的数据。found：读出的月份（2014.1 这类写法两种读法都列出，"
        "后接空格）；month：评选月份；other：读出的那一个月（2014-03），"
        "两种读法时为空（此参数不出现在文字中，供脚本使用）。",
        {"label": "月份", "found": "2014-03 ", "month": "2014-04", "other": "2014-03"},
        _ROW,
    ),
    Code(
        "not-a-count",
        N_("{label} must be a whole number of at least 0: {value}"),
        ("label", "value"),
        f"计数列（户数、件数等）不是非负整数。label：{_LABEL}；value：单元格的值。",
        {"label": "入户走访户数", "value": "十二"},
        _ROW,
    ),
    Code(
        "not-a-rate",
        N_("{label} is not a rate: {value}"),
        ("label", "value"),
        f"比率列（满意率等）读不出数值。label：{_LABEL}；value：单元格的值。",
        {"label": "群众满意率", "value": "很高"},
        _ROW,
    ),
    Code(
        "rate-out-of-range",
        N_("{label} {value} is outside 0–100%"),
        ("label", "value"),
        f"比率不在 0 到 100% 之间。label：{_LABEL}；value：单元格的值。",
        {"label": "群众满意率", "value": "120%"},
        _ROW,
    ),
    Code(
        "not-a-number",
        N_("{label} should be a number: {value}"),
        ("label", "value"),
        f"规则声明的数值列（供一票否决）读不出数值。label：{_LABEL}；value：单元格的值。",
        {"label": "扣分", "value": "两分"},
        _ROW,
    ),
    Code(
        "not-yes-no",
        N_("{label} should be 是 or 否: {value}"),
        ("label", "value"),
        "规则声明的是否列（供一票否决，如违纪）不是“是”或“否”（也认有/无、Y/N、1/0，"
        f"空白按否）。label：{_LABEL}；value：单元格的值。",
        {"label": "违纪", "value": "待查"},
        _ROW,
    ),
    Code(
        "more-than-total",
        N_("{label} {count} > {total_label} {total}"),
        ("label", "count", "total_label", "total"),
        "部分数大于总数（如调解成功数大于调解数）。label/count：部分数的列名与数值；"
        "total_label/total：总数的列名与数值。",
        {"label": "调解成功数", "count": 5, "total_label": "调解纠纷数", "total": 3},
        _ROW,
    ),
    Code(
        "formula-no-value",
        N_(
            "a formula cell has no saved value (open and save the file in Excel, then export "
            "it again)"
        ),
        (),
        "公式单元格没有保存计算结果（由程序生成、未经 Excel 保存的文件）。",
        {},
        _ROW,
    ),
    Code(
        "stray-quote",
        N_(
            "an unpaired quote (\") joins this row's cell with the {swallowed} rows after it "
            "into one cell; this row is not used, the rows after it were read as usual: remove "
            "the stray quote"
        ),
        ("swallowed",),
        "CSV 中一个没有配对的引号把其后若干行并进了一格。swallowed：被并入的行数。",
        {"swallowed": 3},
        _ROW,
    ),
    Code(
        "line-break",
        N_(
            "a cell holds a line break (every other row of this file is one line): "
            'perhaps a stray quote (") or Alt+Enter; check this row'
        ),
        (),
        "CSV 中只有这一行的单元格里有换行，可能是多余的引号。",
        {},
        _ROW,
    ),
    Code(
        "merged-figure",
        N_(
            "merged cell {range} spans several officers ({count} rows): it cannot be each "
            "one's figure; fill in one row per officer"
        ),
        ("range", "count"),
        "一个数值单元格合并跨越了多名民警。range：合并区域（如 E5:E7）；count：民警行数。",
        {"range": "E5:E7", "count": 3},
        _ROW,
    ),
    Code(
        "merged-cover",
        N_(
            "merged cell {range} covers this row's cell: the row has no figure of its own; "
            "unmerge it and fill in each row"
        ),
        ("range",),
        "本行的数值格被合并单元格盖住，没有自己的数值。range：合并区域。",
        {"range": "E5:F5"},
        _ROW,
    ),
    Code(
        "duplicate-officer",
        N_("officer ID {officer_id} appears more than once: {places}"),
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
        N_(
            "text too long ({length:,} characters): the report keeps the first {limit:,}; the "
            "row is evaluated as usual"
        ),
        ("length", "limit"),
        "说明，不是拒绝：本行照常评估，但文字超出 Excel 单元格上限，报告中会被截短。"
        "length：字符数；limit：上限。",
        {"length": 40000, "limit": 32767},
        _ROW,
    ),
    # ---- a file, a folder or a sheet ------------------------------------------------------
    Code(
        "not-found",
        N_("no such file or folder"),
        (),
        "命令行给出的文件或文件夹不存在。",
        {},
        _FILE,
    ),
    Code(
        "not-a-regular-file",
        N_("not a regular file (a pipe or a device): cannot be read"),
        (),
        "给出的路径是管道、设备等，不是文件。",
        {},
        _FILE,
    ),
    Code(
        "broken-link",
        N_("a shortcut (link) to a file that does not exist: put the file itself here"),
        (),
        "文件夹中的快捷方式（链接）指向的文件不存在。",
        {},
        _FILE,
    ),
    Code(
        "vanished",
        N_(
            "the file disappeared while the folder was read (moved or deleted): check and run again"
        ),
        (),
        "读取文件夹时，其中的文件被移动或删除。",
        {},
        _FILE,
    ),
    Code(
        "unreadable-folder",
        N_("cannot open the folder: {why}"),
        ("why",),
        "文件夹打不开（没有权限等）。why：打不开的原因（没有权限、已不存在时为 fivestar 的说明，"
        "其余为操作系统的原文）。",
        {"why": NO_PERMISSION},
        _FILE,
    ),
    Code(
        "unreadable-file",
        N_("cannot open the file: {why}"),
        ("why",),
        "文件打不开（没有权限等）。why：打不开的原因（没有权限、已不存在时为 fivestar 的说明，"
        "其余为操作系统的原文）。",
        {"why": NO_PERMISSION},
        _FILE,
    ),
    Code(
        "no-spreadsheets",
        N_("no spreadsheet files in the folder (.xlsx .xlsm .xls .ods .csv){hint}"),
        ("hint",),
        "文件夹中没有可读的表格文件。hint：未查子文件夹时的提示，否则为空。",
        {"hint": RECURSIVE_HINT},
        _FILE,
    ),
    Code(
        "fivestar-report",
        N_("a report fivestar wrote, not input data: not read"),
        (),
        "命令行中点名了 fivestar 自己生成的报告（如 *.xlsx 通配），不作为输入读取。",
        {},
        _FILE,
    ),
    Code(
        "file-too-large",
        N_("file too large ({size}, limit {limit}): not like a county's monthly sheet"),
        ("size", "limit"),
        "文件大小超过上限。size：文件大小；limit：上限。",
        {"size": "120 MB", "limit": "100 MB"},
        _FILE,
    ),
    Code(
        "text-too-large",
        N_("{what} file too large ({size}, limit {limit}): save it as .xlsx"),
        ("what", "size", "limit"),
        "CSV 或网页表格文件超过文本上限。what：CSV 或 HTML；size、limit：大小与上限。",
        {"what": "CSV", "size": "60 MB", "limit": "50 MB"},
        _FILE,
    ),
    Code(
        "unpacked-too-large",
        N_(
            "the file unpacks too large ({size}, limit {limit}, see --max-unpacked): possibly "
            "damaged or malicious (zip bomb)"
        ),
        ("size", "limit"),
        "xlsx/ods 压缩包解压后超过上限（疑似压缩炸弹）。size、limit：解压后大小与上限。",
        {"size": "300 MB", "limit": "256 MB"},
        _FILE,
    ),
    Code(
        "too-many-cells",
        N_(
            "{what} too large (about {cells} cells, limit {limit}): possibly damaged or "
            "malicious; delete the extra rows and columns and save again"
        ),
        ("what", "cells", "limit"),
        "表格（或一个工作表）的单元格数超过上限；一个工作表超限时只跳过该表。"
        "what：哪一部分；cells、limit：单元格数与上限。",
        {"what": "工作表", "cells": "500 万", "limit": "300 万"},
        _FILE,
    ),
    Code(
        "dimension-too-large",
        N_(
            "the sheet declares too large a range (dimension {ref}, about {cells} cells, limit "
            "{limit}): possibly damaged or malicious"
        ),
        ("ref", "cells", "limit"),
        "工作表声明的范围超过单元格上限，该表不读取。ref：声明的范围；cells、limit：单元格数与上限。",
        {"ref": "A1:XFD1048576", "cells": "171 亿", "limit": "300 万"},
        _FILE,
    ),
    Code(
        "oversized-part",
        N_("unusual file structure ({part} holds {size}): possibly damaged or malicious"),
        ("part", "size"),
        "压缩包中某一部分大得异常。part：部分名；size：大小。",
        {"part": "xl/styles.xml", "size": "200 MB"},
        _FILE,
    ),
    Code(
        "xml-entities",
        N_(
            "the file declares XML entities (DOCTYPE/ENTITY, in {part}): possibly malicious, "
            "not read; open it in Excel or WPS and save it again"
        ),
        ("part",),
        "表格内部的 XML 含有实体声明（疑似恶意文件）。part：所在部分。",
        {"part": "xl/worksheets/sheet1.xml"},
        _FILE,
    ),
    Code(
        "invalid-xml",
        N_("the file is damaged (invalid XML): export it again"),
        (),
        "表格内部的 XML 结构无效。",
        {},
        _FILE,
    ),
    Code(
        "empty-file",
        N_("the file is empty (0 bytes)"),
        (),
        "文件是 0 字节。",
        {},
        _FILE,
    ),
    Code(
        "blank-file",
        N_("the file is empty (only blanks)"),
        (),
        "文件只有空白字符。",
        {},
        _FILE,
    ),
    Code(
        "encrypted",
        N_("the file is password-protected: remove the password and save it again"),
        (),
        "文件设有打开密码。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-zip",
        N_("the file is damaged (corrupt or truncated zip): export it again"),
        (),
        "xlsx/ods 文件的压缩结构无效或被截断。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-zip-data",
        N_("the file is damaged (corrupt zip: {detail}): export it again"),
        ("detail",),
        "xlsx/ods 文件中的压缩数据无效。detail：读取库给出的原因。",
        {"detail": "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"},
        _FILE,
    ),
    Code(
        "unsupported-compression",
        N_("the file is damaged or uses an unsupported compression ({detail})"),
        ("detail",),
        "压缩数据无法解开。detail：读取库给出的原因。",
        {"detail": "compression type 99"},
        _FILE,
    ),
    Code(
        "zip-not-workbook",
        N_("a zip archive, but not an Excel or ODS workbook"),
        (),
        "文件是 ZIP 压缩包，但其中不是表格。",
        {},
        _FILE,
    ),
    Code(
        "ole-not-workbook",
        N_("an Office document (OLE2), but not an Excel workbook (a Word document, say)"),
        (),
        "文件是旧版 Office 文档，但不是 Excel 工作簿。",
        {},
        _FILE,
    ),
    Code(
        "xml-spreadsheet",
        N_("an XML file (an Excel 2003 XML spreadsheet, say): save it as .xlsx"),
        (),
        "文件是 XML（如 Excel 2003 XML 表格），不支持。",
        {},
        _FILE,
    ),
    Code(
        "unknown-binary",
        N_("not a spreadsheet (unknown binary content)"),
        (),
        "文件内容不是任何表格格式。",
        {},
        _FILE,
    ),
    Code(
        "corrupt-format",
        N_(
            "the file is damaged or not a valid {format} workbook (corrupt file: {detail}): "
            "export it again"
        ),
        ("format", "detail"),
        "读取库打不开文件。format：按内容判断的格式；detail：读取库给出的原因。",
        {"format": "xlsx", "detail": "invalid sheet"},
        _FILE,
    ),
    Code(
        "corrupt-file",
        N_("the file is damaged (corrupt file: {detail}): export it again"),
        ("detail",),
        "读取文件时出错。detail：读取库给出的原因。",
        {"detail": "unexpected end of data"},
        _FILE,
    ),
    Code(
        "corrupt-sheet",
        N_("sheet {sheet!r} is damaged and cannot be read (corrupt sheet: {detail})"),
        ("sheet", "detail"),
        "一个工作表读不出来。sheet：工作表名；detail：读取库给出的原因。",
        {"sheet": "Sheet1", "detail": "invalid cell reference"},
        _FILE,
    ),
    Code(
        "no-such-sheet",
        N_("no sheet named {wanted} (this file's sheets: {names})"),
        ("wanted", "names"),
        "指定的工作表在文件中都不存在。wanted：指定的工作表；names：文件中的工作表。",
        {"wanted": "四月", "names": "Sheet1、Sheet2"},
        _FILE,
    ),
    Code(
        "undecodable",
        N_("cannot decode with encoding {encoding} (at byte {at}): check --encoding"),
        ("encoding", "at"),
        "CSV/网页文件不能按指定的编码解码。encoding：编码；at：出错的字节位置。",
        {"encoding": "gbk", "at": 120},
        _FILE,
    ),
    Code(
        "bad-utf8-bom",
        N_("the file is marked UTF-8 (with a BOM), but its content is not UTF-8"),
        (),
        "文件以 UTF-8 标记开头，内容却不是 UTF-8。",
        {},
        _FILE,
    ),
    Code(
        "bad-utf16",
        N_("the file is marked UTF-16, but its content cannot be decoded"),
        (),
        "文件以 UTF-16 标记开头，内容却不能解码。",
        {},
        _FILE,
    ),
    Code(
        "unknown-encoding",
        N_(
            "the file's encoding is not recognised (tried UTF-8, GB18030): name it with "
            "--encoding, e.g. --encoding big5"
        ),
        (),
        "CSV/网页文件的编码既不是 UTF-8 也不是 GB18030。",
        {},
        _FILE,
    ),
    Code(
        "csv-malformed",
        N_("malformed CSV: {detail}"),
        ("detail",),
        "CSV 文件格式错误。detail：读取库给出的原因。",
        {"detail": "field larger than field limit"},
        _FILE,
    ),
    Code(
        "no-content", N_("the file has no content"), (), "CSV 文件读出来没有任何内容。", {}, _FILE
    ),
    Code(
        "html-no-table",
        N_("a web page (HTML), but it holds no table"),
        (),
        "网页文件中没有表格。",
        {},
        _FILE,
    ),
    Code(
        "no-sheets",
        N_("no sheet to read (all hidden, blank or not selected)"),
        (),
        "文件中的工作表都是隐藏、空白或未被选中的。",
        {},
        _FILE,
    ),
    Code(
        "no-header",
        N_("no header found: {missing}"),
        ("missing",),
        "文件中没有一个工作表找得到表头。missing：缺少的必需列及最接近的列名，以“；”分隔。",
        {"missing": "缺少必需列「警号」，最接近的是「警 号码」（Sheet1 第2行）"},
        _FILE,
    ),
    Code(
        "no-officer-rows",
        N_("no officer rows in the file ({found}): check that the sheet exported is not empty"),
        ("found",),
        "文件有表头，但没有一行民警数据（所有行仍计为跳过）。found：表头下是什么。",
        {"found": "只有表头"},
        _FILE,
    ),
    Code(
        "no-month-column",
        N_("this sheet has no 月份 column: every row is taken as of the month evaluated, {month}"),
        ("month",),
        "说明，不是拒绝：表中没有月份列，各行照常评估，都算作评选月份的数据。month：评选月份。",
        {"month": "2014-04"},
        _FILE,
    ),
    Code(
        "no-role-column",
        N_("this sheet has no 岗位 column: every row is evaluated as {role}"),
        ("role",),
        "说明，不是拒绝：表中没有岗位列，各行照常评估，都按社区民警评选。role：所按的岗位。",
        {"role": "社区民警"},
        _FILE,
    ),
    Code(
        "no-veto-column",
        N_(
            "this sheet has no {column} column: the veto ({vetoes}) cannot be judged "
            "for its rows, and none is vetoed"
        ),
        ("column", "vetoes"),
        "说明，不是拒绝：规则为一票否决声明的列在表中没有，本表各行照常评估，"
        "但这些否决对他们无从适用。column：规则中的列名；vetoes：读这一列的否决，以“、”分隔。",
        {"column": "有效投诉数", "vetoes": "有效投诉"},
        _FILE,
    ),
    Code(
        "read-failed",
        N_("cannot read the file ({detail})"),
        ("detail",),
        "读取文件时发生未预料的错误。detail：错误的类型与说明。",
        {"detail": "ValueError: bad value"},
        _FILE,
    ),
    Code(
        "reader-crashed",
        N_(
            "the reading process ended abnormally (the file may be damaged or malicious): open "
            "it in Excel or WPS and save it again"
        ),
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
    """A code with its parameters; `text` (and `str()`) is the Chinese text rendered from the
    template, `render()` the text in the session's language (or the one asked for)."""

    code: str
    # a plain dict: a worker process sends its issues back pickled
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        entry = CATALOGUE.get(self.code)
        if entry is None:
            raise KeyError(f"unknown issue code {self.code!r}")
        if set(self.params) - {CUT, CUT_SHOWN} != set(entry.params):
            raise TypeError(f"issue code {self.code}: params {sorted(self.params)}")

    def render(self, lang: str | None = None) -> str:
        def said(text: str) -> str:
            return translate(text, lang) if lang else _(text)

        params = dict(self.params)
        for name in _TRANSLATED_PARAMS.get(self.code, ()):
            if params.get(name):
                params[name] = said(str(params[name]))
        text = said(CATALOGUE[self.code].template).format_map(params)
        if CUT in params:  # a value too long to quote whole (fivestar.io.cell_limit.bounded)
            text += said(CUT_NOTE).format(length=params[CUT], shown=params.get(CUT_SHOWN, ""))
        return text

    @property
    def text(self) -> str:
        return self.render(ZH)

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
        "and its `params`; `reason` is the Chinese text rendered from the code's template",
        "(under `--lang en`, `--json` gives the English). Scripts should key on `code` and",
        "`params`, never on the text.",
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
            f"- 模板：`{translate(c.template, ZH)}`",
            f"- Template: `{c.template}`",
            f"- 示例：{Message(c.code, c.example).text}",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(docs(), end="")
