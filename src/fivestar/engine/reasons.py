"""Why an officer is not named for a star, as data: a stable code and its parameters.

The engine gives every officer × star the reasons that kept the officer from it — a
criterion not met, the eligibility gate, the role, a veto, an exclusion, the cool-down, the
bureau cap — each a `Reason`: a code of the catalogue below and the parameters its wording
needs. The store keeps them as JSON (outcomes.reasons); they are worded only where they are
shown, from the templates here: the workbooks in Chinese, the terminal and `--json` in the
session's language. One wording everywhere: "入户走访户数 76，还差 4 户".

docs/REASONS.md is made from this catalogue (`docs()`; the command is in that file) and a
test keeps the two the same. Building the reasons of many officers
at once is `fivestar.engine.reason_columns`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from fivestar.columns import BY_KEY, METRIC_KEYS
from fivestar.engine.figures import TOLERANCE, figure_decimal
from fivestar.engine.notes import code_entry
from fivestar.i18n import N_, _, translate
from fivestar.rules import RuleSet

# The codes (docs/REASONS.md says what each means, with its parameters).
THRESHOLD = "threshold-not-met"
MISSING = "value-missing"
NOT_COMPUTABLE = "not-computable"
NO_OPTION = "no-option-met"
GATE = "gate"
NOT_ELIGIBLE = "not-eligible"
VETO = "veto"
EXCLUDED = "excluded"
COOLDOWN = "cooldown"
BUREAU_CAP = "bureau-cap"
LEGACY = "legacy-text"

# The reasons that say how far an officer is from a star's criteria (the gaps), as opposed
# to what passed a qualifying officer over (a bar, the fairness options).
GAP_CODES = frozenset({THRESHOLD, MISSING, NOT_COMPUTABLE, NO_OPTION, GATE, NOT_ELIGIBLE})


@dataclass(frozen=True)
class Reason:
    """One reason: a code of the catalogue and its parameters (JSON values; `options` of
    no-option-met is a tuple of reasons, `reason` of gate one reason)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: _json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        params = dict(data.get("params") or {})
        if isinstance(params.get("reason"), Mapping):
            params["reason"] = cls.from_json(params["reason"])
        if isinstance(params.get("options"), list):
            params["options"] = tuple(cls.from_json(o) for o in params["options"])
        return cls(str(data["code"]), params)


def _json(value: Any) -> Any:
    if isinstance(value, Reason):
        return value.to_json()
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


# ---- the store's JSON ----------------------------------------------------------------------


def dumps(reason: Reason) -> str:
    return json.dumps(reason.to_json(), ensure_ascii=False, separators=(",", ":"))


def encode(reasons: Iterable[Reason]) -> str:
    """An officer's reasons for a star as the store keeps them: a JSON array."""
    return "[" + ",".join(dumps(r) for r in reasons) + "]"


def decode(text: str | None) -> tuple[Reason, ...]:
    """The reasons a stored JSON array holds ("" or None: none). Text that is not JSON (only
    a reason written by hand: every store is migrated) is one legacy-text reason."""
    if not text:
        return ()
    if not text.startswith("["):
        return legacy(text)
    # strict=False: a clerk's exclusion reason may hold a control character
    found = [Reason.from_json(item) for item in json.loads(text, strict=False)]
    # a migrated "a；；b" leaves an empty part: nothing to say
    return tuple(r for r in found if r.code != LEGACY or r.params.get("text"))


def legacy(text: str) -> tuple[Reason, ...]:
    """An older fivestar's reasons text ("…；…") as legacy-text reasons, one per part."""
    return tuple(Reason(LEGACY, {"text": part}) for part in text.split("；") if part)


def _per_distinct(
    cells: Iterable[tuple[Reason, ...]], say: Callable[[tuple[Reason, ...]], str]
) -> list[str]:
    """`say` of each cell, called once per distinct cell object: the engine shares one tuple
    among the officers with the same reasons, so the work is per distinct tuple (the cells
    are told apart by identity in C, not by a Python loop over officers)."""
    objects = np.fromiter(cells, dtype=object)
    if not len(objects):
        return []
    ids = np.fromiter(map(id, objects), dtype=np.int64, count=len(objects))
    codes, distinct = pd.factorize(ids)
    first = np.empty(len(distinct), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    said = np.array([say(cell) for cell in objects[first].tolist()], dtype=object)
    out: list[str] = said[codes].tolist()
    return out


def _per_reason(
    cells: Iterable[tuple[Reason, ...]],
    each: Callable[[Reason], str],
    join: Callable[[list[str]], str],
) -> list[str]:
    """`join` of `each` reason of every cell: each distinct tuple and each distinct reason
    object (told apart by identity: the engine shares them) made into text once."""
    parts: dict[int, tuple[Reason, str]] = {}  # each reason kept: its id stays its own

    def one(cell: tuple[Reason, ...]) -> str:
        texts = []
        for reason in cell:
            part = parts.get(id(reason))
            if part is None:
                part = parts[id(reason)] = (reason, each(reason))
            texts.append(part[1])
        return join(texts)

    return _per_distinct(cells, one)


def encode_column(cells: Iterable[tuple[Reason, ...]]) -> list[str]:
    """`encode` of many officers' reasons, each distinct tuple and reason encoded once."""
    return _per_reason(cells, dumps, lambda texts: "[" + ",".join(texts) + "]")


# ---- words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """The names a reason's wording needs from the rules: metric and star labels."""

    metrics: Mapping[str, str]
    stars: Mapping[str, str]

    @classmethod
    def of(cls, rules: RuleSet) -> Words:
        keys = [*METRIC_KEYS, *rules.model.derived, *rules.model.input_columns]
        return cls({k: rules.label(k) for k in keys}, {s.key: s.label for s in rules.stars})

    def metric(self, key: str) -> str:
        return self.metrics.get(key, key)

    def star(self, key: str) -> str:
        return self.stars.get(key, key)


# What a count is counted in ("还差 4 户"), singular and plural in English; Chinese has one.
COUNTED_IN: Mapping[str, tuple[str, str]] = {
    "visits": (N_("household"), N_("households")),
    "mediations": (N_("dispute"), N_("disputes")),
    "mediations_ok": (N_("dispute"), N_("disputes")),
    "followups_ok": (N_("dispute"), N_("disputes")),
    "case_leads": (N_("lead"), N_("leads")),
    "info_leads": (N_("lead"), N_("leads")),
    "suspects": (N_("person"), N_("people")),
    "fugitives": (N_("person"), N_("people")),
    "services": (N_("service"), N_("services")),
    "services_ok": (N_("service"), N_("services")),
}

Say = Callable[[str], str]

_SHORT = {
    "counted": N_("{label} {value}, {amount} {counted} short"),
    "rate": N_("{label} {value}, {amount} percentage points short"),
    "plain": N_("{label} {value}, {amount} short"),
}
_OVER = {
    "counted": N_("{label} {value}, {amount} {counted} over"),
    "rate": N_("{label} {value}, {amount} percentage points over"),
    "plain": N_("{label} {value}, {amount} over"),
}
_NEED = {
    ">": N_("{label} {value}, must be above {threshold}"),
    "<": N_("{label} {value}, must be below {threshold}"),
    "==": N_("{label} {value}, must be {threshold}"),
}


def figure(value: float, unit: str, against: float | None = None) -> str:
    """A stored figure as the reasons write it: 72, 100%, 98.5%; never shown as the whole
    number or the threshold `against` it is not (99.99999%, not 100%)."""
    if unit == "count":
        return str(round(value))
    text = figure_decimal(value, unit, against)
    return text + "%" if unit == "rate" else text


def _limit(threshold: Any, unit: str) -> str:
    """A veto's threshold: a figure, or a yes-no column's answer (是) as the rules write it."""
    return threshold if isinstance(threshold, str) else figure(float(threshold), unit)


def _gap(p: Mapping[str, Any], words: Words, say: Say) -> str:
    """How far a failed comparison is from holding: 还差 8 户, 超出 2 次, 须高于 50%."""
    unit, op = str(p["unit"]), str(p["op"])
    v, t = float(p["value"]), float(p["threshold"])
    fields = {"label": words.metric(str(p["metric"])), "value": figure(v, unit, t)}
    step = 1 if unit == "count" else 0  # a count above 3 is at least 4
    if op in (">=", ">") and (op == ">=" or step):
        amount, templates = t - v + (step if op == ">" else 0), _SHORT
    elif op in ("<=", "<") and (op == "<=" or step):
        amount, templates = v - t + (step if op == "<" else 0), _OVER
    else:
        return say(_NEED[op]).format(threshold=figure(t, unit), **fields)
    # a failed comparison is off by more than TOLERANCE: never "还差 0 个百分点"
    if unit == "rate":
        return say(templates["rate"]).format(amount=figure_decimal(amount, unit), **fields)
    if unit != "count":
        return say(templates["plain"]).format(amount=figure_decimal(amount, unit), **fields)
    whole = math.ceil(amount - TOLERANCE)
    counted = COUNTED_IN.get(str(p["metric"]))
    if counted is None:
        return say(templates["plain"]).format(amount=whole, **fields)
    word = say(counted[0] if whole == 1 else counted[1])
    return say(templates["counted"]).format(amount=whole, counted=word, **fields)


def _options(p: Mapping[str, Any], words: Words, say: Say) -> str:
    texts = [_render(o, words, say) for o in p["options"]]
    joined = texts[0] if texts else ""
    for text in texts[1:]:
        joined = say(N_("{options}; or {option}")).format(options=joined, option=text)
    return say(N_("(any one will do) {options}")).format(options=joined)


def _excluded(p: Mapping[str, Any], words: Words, say: Say) -> str:
    when = datetime.fromisoformat(str(p["at"])).astimezone().strftime("%Y-%m-%d %H:%M")
    fields = {"reason": p["reason"], "author": p["author"], "time": when}
    if p["star"]:
        template = N_("excluded from {star} because of {reason} ({author}, {time})")
        return say(template).format(star=words.star(str(p["star"])), **fields)
    return say(N_("excluded from every star because of {reason} ({author}, {time})")).format(
        **fields
    )


_RENDER: dict[str, Callable[[Mapping[str, Any], Words, Say], str]] = {
    THRESHOLD: _gap,
    MISSING: lambda p, w, say: say(N_("{label} missing")).format(label=w.metric(p["metric"])),
    NOT_COMPUTABLE: lambda p, w, say: say(N_("{label} cannot be computed")).format(
        label=w.metric(p["metric"])
    ),
    NO_OPTION: _options,
    GATE: lambda p, w, say: say(N_("eligibility: {reason}")).format(
        reason=_render(p["reason"], w, say)
    ),
    NOT_ELIGIBLE: lambda p, w, say: say(N_("not eligible: the role is {role}")).format(
        role=p["role"]
    ),
    VETO: lambda p, w, say: say(N_("veto: {veto} ({metric} {op} {threshold})")).format(
        veto=p["label"],
        metric=w.metric(p["metric"]),
        op=p["op"],
        threshold=_limit(p["threshold"], str(p["unit"])),
    ),
    EXCLUDED: _excluded,
    COOLDOWN: lambda p, w, say: say(
        N_(
            "cool-down: named {star} in the previous {months} months ({month}), "
            "not ranked for it this month"
        )
    ).format(star=w.star(p["star"]), months=p["months"], month=p["month"]),
    BUREAU_CAP: lambda p, w, say: say(
        N_(
            "at most {cap} per bureau for each star: {bureau} already has {cap} ranked "
            "ahead, not ranked for this star"
        )
    ).format(cap=p["cap"], bureau=p["bureau"]),
    LEGACY: lambda p, w, say: str(p["text"]),
}


def _render(reason: Reason, words: Words, say: Say) -> str:
    return _RENDER[reason.code](reason.params, words, say)


def _speaker(lang: str | None) -> Say:
    if lang is None:
        return _
    return lambda message: translate(message, lang)


def render(reason: Reason, words: Words, lang: str | None = None) -> str:
    """One reason in words: in `lang` ("zh" for a workbook), else the session's language."""
    return _render(reason, words, _speaker(lang))


def render_all(reasons: Iterable[Reason], words: Words, lang: str | None = None) -> tuple[str, ...]:
    say = _speaker(lang)
    return tuple(_render(r, words, say) for r in reasons)


def joined(texts: Sequence[str], lang: str | None = None) -> str:
    """Several reasons' words in one cell: "a；b" (Chinese), "a; b" (English)."""
    return _joiner(lang)(texts)


def _joiner(lang: str | None) -> Callable[[Sequence[str]], str]:
    """`joined` in `lang`, its template translated once for a whole column."""
    template = _speaker(lang)(N_("{reasons}; {reason}"))

    def join(texts: Sequence[str]) -> str:
        out = texts[0] if texts else ""
        for text in texts[1:]:
            out = template.format(reasons=out, reason=text)
        return out

    return join


def render_column(
    cells: Iterable[tuple[Reason, ...]], words: Words, lang: str | None = None
) -> list[str]:
    """Many officers' reasons, each officer's in one cell ("" for none). Each distinct tuple
    (the engine shares them) and each distinct reason is worded once."""
    say = _speaker(lang)
    return _per_reason(cells, lambda reason: _render(reason, words, say), _joiner(lang))


def to_json(reasons: Iterable[Reason], words: Words) -> list[dict[str, Any]]:
    """`--json`'s reason_codes: each reason's code, parameters and words (session language)."""
    return [{**r.to_json(), "text": render(r, words)} for r in reasons]


# ---- the catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """One reason code: the parameters it carries, what it means, an example."""

    code: str
    params: tuple[str, ...]
    meaning: str
    example: Reason


def _short(metric: str, value: float, threshold: float, unit: str = "count") -> Reason:
    params = {"metric": metric, "value": value, "op": ">=", "threshold": threshold, "unit": unit}
    return Reason(THRESHOLD, params)


def _absent(code: str, metric: str) -> Reason:
    return Reason(code, {"metric": metric, "op": ">=", "threshold": 1.0, "unit": "rate"})


_VETO = {"label": "服务投诉", "metric": "services", "value": 60, "op": ">=", "threshold": 50}
# stored with its offset; without one here, the example reads the same in any time zone
_AT = "2014-05-06T09:12:00"

CODES: tuple[Code, ...] = (
    Code(
        THRESHOLD,
        ("metric", "value", "op", "threshold", "unit"),
        "一项条件未达到。metric：指标键（如 visits）；value：民警的数值；"
        "op：比较（>=、>、<=、<、==）；threshold：规则的门槛；"
        "unit：count（计数）、rate（比率，value 与 threshold 均为小数，1 即 100%）或 number。"
        "文字写出还差多少。",
        _short("visits", 76, 80),
    ),
    Code(
        MISSING,
        ("metric", "op", "threshold", "unit"),
        "条件所用的比率为空（缺失），条件不成立。参数同 threshold-not-met（没有 value）。",
        _absent(MISSING, "satisfaction"),
    ),
    Code(
        NOT_COMPUTABLE,
        ("metric", "op", "threshold", "unit"),
        "条件所用的派生指标无法计算（如调解数为 0 时的调解成功率），条件不成立。"
        "参数同 threshold-not-met（没有 value）。",
        _absent(NOT_COMPUTABLE, "mediation_success"),
    ),
    Code(
        NO_OPTION,
        ("options",),
        "“任一即可”的条件一项也未达到。options：每一项的原因（threshold-not-met 等）。",
        Reason(NO_OPTION, {"options": (_short("case_leads", 0, 1), _short("suspects", 0, 1))}),
    ),
    Code(
        GATE,
        ("reason",),
        "未通过“五星”评选资格（规则的 gate）中的一项。reason：那一项的原因。",
        Reason(GATE, {"reason": _short("visits", 72, 80)}),
    ),
    Code(
        NOT_ELIGIBLE,
        ("role",),
        "民警的岗位不在本星的参评岗位之中。role：民警的岗位。",
        Reason(NOT_ELIGIBLE, {"role": "六进业务警种民警"}),
    ),
    Code(
        VETO,
        ("label", "metric", "value", "op", "threshold", "unit"),
        "规则的一票否决：民警满足其条件，各星均不参评。label：否决项的名称；"
        "其余参数同 threshold-not-met（value 为民警的数值）。",
        Reason(VETO, {**_VETO, "unit": "count"}),
    ),
    Code(
        EXCLUDED,
        ("reason", "author", "at", "star"),
        "县局取消了民警的评选资格（fivestar exclude）。reason：原因；author：操作人；"
        "at：时间（ISO 8601，文字中为本地时间）；star：所取消的星，空为全部。",
        Reason(EXCLUDED, {"reason": "违纪", "author": "张三", "at": _AT, "star": "mediation"}),
    ),
    Code(
        COOLDOWN,
        ("star", "months", "month"),
        "规则的冷却期：前几个月内已获评本星，本月不参与本星排名（仍符合条件）。star：星；"
        "months：冷却期月数；month：上次获评的月份。",
        Reason(COOLDOWN, {"star": "visits", "months": 2, "month": "2014-03"}),
    ),
    Code(
        BUREAU_CAP,
        ("cap", "bureau"),
        "规则的县局限额：本县局已有 cap 名排名在前，本人不参与本星排名（仍符合条件）。"
        "cap：每个县局每项的名额；bureau：民警的县局。",
        Reason(BUREAU_CAP, {"cap": 1, "bureau": "武城县局"}),
    ),
    Code(
        LEGACY,
        ("text",),
        "旧版 fivestar 记录的原因（结果库中只有文字）。text：当时的文字。",
        Reason(LEGACY, {"text": "入户走访户数 76 < 80"}),
    ),
)

CATALOGUE: Mapping[str, Code] = {c.code: c for c in CODES}


def _example_words() -> Words:
    metrics = {key: BY_KEY[key].header for key in METRIC_KEYS}
    metrics["mediation_success"] = "调解成功率"
    return Words(metrics, {"visits": "入户走访之星", "mediation": "纠纷调解之星"})


def docs() -> str:
    """docs/REASONS.md: every reason code, its meaning, its parameters and an example."""
    words = _example_words()
    lines = [
        "# 未当选原因代码 / Star reason codes",
        "",
        "<!-- Made from src/fivestar/engine/reasons.py by its docs(): python -c",
        "'import fivestar.engine.reasons as r; print(r.docs(), end=\"\")' > docs/REASONS.md -->",
        "",
        "Why an officer is not named for a star (`fivestar explain`, `fivestar report`, the",
        "report's 全员明细 and star sheets) is a list of reasons, each a stable `code` and its",
        "`params`. `--json` gives them as `reason_codes` (and `gap_codes`): `code`, `params`",
        "and `text`, the words in the session's language, beside the text fields `reasons` and",
        "`gaps`. Scripts should key on `code` and `params`, never on the text. The results",
        "store keeps them as a JSON array (outcomes.reasons).",
        "每个未当选原因都有一个固定的代码（code）和参数（params）；文字由模板生成，"
        "报告中为中文，终端与 `--json` 随界面语言。",
        "",
        "A new reason kind: add its code and template here (`_RENDER`, `CODES`), make it in the",
        "engine as a `Reason`, translate the template (docs/TRANSLATING.md) and rewrite this",
        "file.",
        "",
    ]
    for c in CODES:
        worded = (render(c.example, words, "zh"), render(c.example, words, "en"))
        lines += code_entry(c.code, c.meaning, c.params, c.example.to_json(), worded)
    return "\n".join(lines)
