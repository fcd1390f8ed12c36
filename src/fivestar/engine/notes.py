"""What a reader of a run must know, as data: a stable code and its parameters.

The engine notes what a bare list of winners would not say — a tie that names more than a
star's quota, a star short of candidates, the month's total exceeded, the cool-down not
applied or applied on a partial history, the bureau cap — each a `Note`: a code of the
catalogue below and the parameters its wording needs. A note names its star by key (for
scripts) and by the label the rules gave it (for the words), so it is worded without the
rules. The store keeps a run's notes as a JSON list (runs.notes); they are worded only where
shown, from the templates here: the workbooks in Chinese, the terminal and `--json` in the
session's language. A store written before notes were data holds their Chinese text: read
back, each is a legacy-text note shown as stored.

docs/NOTES.md is made from this catalogue (`docs()`; the command is in that file) and a test
keeps the two the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fivestar.errors import said
from fivestar.i18n import EN, N_, ZH

# The codes (docs/NOTES.md says what each means, with its parameters).
TIE_OVER_QUOTA = "tie-over-quota"
TIE_CUT_STRICT = "tie-cut-strict"
SHORT_OF_QUOTA = "short-of-quota"
OVER_TOTAL = "over-total"
COOLDOWN_NOT_APPLIED = "cooldown-not-applied"
COOLDOWN_PARTIAL = "cooldown-partial-history"
COOLDOWN_PASSED_OVER = "cooldown-passed-over"
BUREAU_CAP_TIE = "bureau-cap-tie"
BUREAU_CAP = "bureau-cap"
LEGACY = "legacy-text"

TEMPLATES: Mapping[str, str] = {
    TIE_OVER_QUOTA: N_("{label}: tied, quota {quota}, {count} named"),
    TIE_CUT_STRICT: N_(
        "{label}: a tie at the last place, the rules take only {quota} (in police ID order)"
    ),
    SHORT_OF_QUOTA: N_("{label}: quota {quota}, only {count} qualified"),
    OVER_TOTAL: N_(
        "{named} officers named this month, more than {total}: all those tied are named"
    ),
    COOLDOWN_NOT_APPLIED: N_(
        "cool-down (no one named for the same star again within {months} months) not applied: "
        "this run did not read the results store's history"
    ),
    COOLDOWN_PARTIAL: N_(
        "cool-down: the results store holds no record of {missing}; those months' winners "
        "are not counted"
    ),
    COOLDOWN_PASSED_OVER: N_(
        "{label}: {count} in the cool-down, not ranked for this star this month"
    ),
    BUREAU_CAP_TIE: N_(
        "{label}: a tie within one county bureau at its cap, the first {cap} taken in police "
        "ID order"
    ),
    BUREAU_CAP: N_(
        "{label}: at most {cap} per county bureau, {count} not ranked as their bureau's places "
        "are taken"
    ),
}


@dataclass(frozen=True)
class Note:
    """One note: a code of the catalogue and its parameters (JSON values; a list of
    months is a tuple)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        """The note in words: in `lang` ("zh" for a workbook), else the session's language."""
        if self.code == LEGACY:
            return str(self.params.get("text", ""))
        return said(TEMPLATES[self.code], **self.params).render(lang)

    @property
    def text(self) -> str:
        """The note in Chinese, as the workbooks write it."""
        return self.render(ZH)

    def to_json(self) -> dict[str, Any]:
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"code": self.code, "params": params}

    @classmethod
    def from_json(cls, data: Any) -> Note:
        """A stored note; a plain string (a store written before notes were codes) is a
        legacy-text note."""
        if isinstance(data, str):
            return cls(LEGACY, {"text": data})
        params = {
            k: tuple(v) if isinstance(v, list) else v for k, v in (data.get("params") or {}).items()
        }
        return cls(str(data["code"]), params)


def star_note(code: str, key: str, label: str, **params: Any) -> Note:
    """A note about one star: its key for scripts, its label for the words."""
    return Note(code, {"star": key, "label": label, **params})


# ---- the store's JSON and --json -----------------------------------------------------------


def encode(notes: Iterable[Note]) -> str:
    """A run's notes as the store keeps them (runs.notes): a JSON list of {code, params}."""
    return json.dumps([n.to_json() for n in notes], ensure_ascii=False)


def decode(text: str | None) -> tuple[Note, ...]:
    """The notes a stored runs.notes holds: {code, params} objects, or (a store written
    before) plain strings, each a legacy-text note."""
    if not text:
        return ()
    return tuple(Note.from_json(item) for item in json.loads(text, strict=False))


def render_all(notes: Iterable[Note], lang: str | None = None) -> list[str]:
    return [n.render(lang) for n in notes]


def to_json(notes: Iterable[Note]) -> list[dict[str, Any]]:
    """`--json`'s note_codes: each note's code, parameters and words (session language)."""
    return [{**n.to_json(), "text": n.render()} for n in notes]


# ---- the catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """One note code: the parameters it carries, what it means (Chinese), an example."""

    code: str
    params: tuple[str, ...]
    meaning: str
    example: Note


_STAR = "star：星的键；label：星的名称（按规则文件的写法）"


def _star(code: str, **params: Any) -> Note:
    return star_note(code, "information", "信息采集之星", **params)


CODES: tuple[Code, ...] = (
    Code(
        TIE_OVER_QUOTA,
        ("star", "label", "quota", "count"),
        f"名额最后一位有并列，并列者均予评选，评出的人数多于名额。{_STAR}；quota：名额；"
        "count：评出人数。",
        _star(TIE_OVER_QUOTA, quota=2, count=3),
    ),
    Code(
        TIE_CUT_STRICT,
        ("star", "label", "quota"),
        f"名额最后一位有并列，规则（ties = strict）只取名额数，按警号顺序。{_STAR}；quota：名额。",
        _star(TIE_CUT_STRICT, quota=2),
    ),
    Code(
        SHORT_OF_QUOTA,
        ("star", "label", "count", "quota"),
        f"符合条件的候选人少于名额，本星评出的人数不足。{_STAR}；count：候选人数；quota：名额。",
        _star(SHORT_OF_QUOTA, count=1, quota=2),
    ),
    Code(
        OVER_TOTAL,
        ("named", "total"),
        "因并列，本月评出的总人数多于规则的每月总数。named：评出人数；total：规则的总数。",
        Note(OVER_TOTAL, {"named": 11, "total": 10}),
    ),
    Code(
        COOLDOWN_NOT_APPLIED,
        ("months",),
        "规则设有冷却期，但本次运行没有读取结果库的历史记录（不记录到结果库的运行），冷却期未执行。"
        "months：冷却期月数。",
        Note(COOLDOWN_NOT_APPLIED, {"months": 2}),
    ),
    Code(
        COOLDOWN_PARTIAL,
        ("missing",),
        "结果库中缺少冷却期内某些月份的记录，这些月份的获评者未计入冷却期。"
        "missing：缺少的月份（列表）。",
        Note(COOLDOWN_PARTIAL, {"missing": ("2014-02", "2014-03")}),
    ),
    Code(
        COOLDOWN_PASSED_OVER,
        ("star", "label", "count"),
        f"本星有民警在冷却期内，不参与本月排名（原因代码 cooldown）。{_STAR}；count：人数。",
        _star(COOLDOWN_PASSED_OVER, count=2),
    ),
    Code(
        BUREAU_CAP_TIE,
        ("star", "label", "cap"),
        f"同一县局的候选人并列于县局限额处，按警号顺序取前 cap 名。{_STAR}；cap：每个县局的名额。",
        _star(BUREAU_CAP_TIE, cap=1),
    ),
    Code(
        BUREAU_CAP,
        ("star", "label", "cap", "count"),
        f"规则的县局限额：县局名额已满的民警未参与本星排名（原因代码 bureau-cap）。{_STAR}；"
        "cap：每个县局的名额；count：人数。",
        _star(BUREAU_CAP, cap=1, count=3),
    ),
    Code(
        LEGACY,
        ("text",),
        "旧版 fivestar 记录的说明（结果库中只有文字）。text：当时的文字，原样显示。",
        Note(LEGACY, {"text": "信息采集之星：并列，名额 2 人，评出 3 人"}),
    ),
)

CATALOGUE: Mapping[str, Code] = {c.code: c for c in CODES}


def docs() -> str:
    """docs/NOTES.md: every note code, its meaning, its parameters and an example."""
    lines = [
        "# 运行说明代码 / Run note codes",
        "",
        "<!-- Made from src/fivestar/engine/notes.py by its docs(): python -c",
        "'import fivestar.engine.notes as n; print(n.docs(), end=\"\")' > docs/NOTES.md -->",
        "",
        "What a reader of a run must know beside its winners (a tie beyond a quota, a star",
        "short of candidates, the cool-down, the bureau cap) is a list of notes, each a stable",
        "`code` and its `params`: the terminal prints them after the counts, the report's",
        "评选结果 sheet below the winners. `--json` (`evaluate`, `runs`) gives them as `notes`,",
        "the words in the session's language, and `note_codes`: `code`, `params` and `text`.",
        "Scripts should key on `code` and `params`, never on the text. The results store keeps",
        "them as a JSON list (runs.notes); a store written by an older fivestar holds only the",
        "text, read back as `legacy-text`.",
        "每条运行说明都有一个固定的代码（code）和参数（params）；文字由模板生成，"
        "报告中为中文，终端与 `--json` 随界面语言。",
        "",
        "A new note: add its code and template here (`TEMPLATES`, `CODES`), make it in the",
        "engine as a `Note`, translate the template (docs/TRANSLATING.md) and rewrite this",
        "file.",
        "",
    ]
    for c in CODES:
        worded = (c.example.render(ZH), c.example.render(EN))
        lines += code_entry(c.code, c.meaning, c.params, c.example.to_json(), worded)
    return "\n".join(lines)


def code_entry(
    code: str, meaning: str, params: Sequence[str], example: object, worded: tuple[str, str]
) -> list[str]:
    """One code's section of a docs page of codes (REASONS.md, NOTES.md): its meaning, its
    parameters, an example as JSON and as words (Chinese, English)."""
    shown = json.dumps(example, ensure_ascii=False)
    return [
        f"## `{code}`",
        "",
        meaning,
        "",
        "- 参数：" + "、".join(f"`{p}`" for p in params),
        f"- 示例：`{shown}`",
        f"- 文字：{worded[0]}",
        f"- Text: {worded[1]}",
        "",
    ]
