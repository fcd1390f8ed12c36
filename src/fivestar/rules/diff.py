"""Two rules files compared in words (`fivestar rules diff`), and the fairness options in words.

Each difference is one line a committee reads: "入户走访之星：入户走访户数 80 → 100". Keys
this module does not know by name (added to the rules model later) are still compared, by
their key path, so that no difference is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fivestar.rules.model import Comparison, RulesModel, Star

SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
TIES = {"include": "并列者均予评选", "strict": "按名额截止（按警号取前几名）"}
RANKING = {"competition": "竞争排名 1,2,2,4", "dense": "密集排名 1,2,2,3"}
# the keys read by name below; any other key is compared by its path
_TOP = {
    "schema_version", "name", "organisation", "effective_from", "selection", "gate",
    "minimum", "derived", "stars", "columns", "fairness",
}  # fmt: skip
_STAR = {"key", "label", "roles", "quota", "rank_by", "criteria", "figures", "description"}


def fairness_words(model: RulesModel) -> list[str]:
    """The fairness options in force, in words (none: an empty list)."""
    options = model.fairness
    words = []
    if options.bureau_cap is not None:
        words.append(f"每个县局每项最多 {options.bureau_cap} 名（其后由其他县局民警依次递补）")
    months = options.cooldown_months
    if months > 0:
        words.append(f"冷却期 {months} 个月：此前 {months} 个月内获评某星者，本月不再评该星")
    return words


def diff_rules(old: RulesModel, new: RulesModel) -> list[str]:
    """Every difference from `old` to `new`, one line each; [] when the rules are the same."""
    lines: list[str] = []
    for label, a, b in (
        ("名称", old.name, new.name),
        ("制定单位", old.organisation, new.organisation),
        ("施行月份", old.effective_from, new.effective_from),
        ("每月评选总人数", old.selection.total, new.selection.total),
        (
            "每人每月限一星",
            _yes(old.selection.one_star_per_officer),
            _yes(new.selection.one_star_per_officer),
        ),
        ("并列", TIES[old.selection.ties], TIES[new.selection.ties]),
        ("排名方式", RANKING[old.selection.ranking], RANKING[new.selection.ranking]),
        ("每个县局每项最多", _cap(old), _cap(new)),
        ("冷却期", _cooldown(old), _cooldown(new)),
        ("资格条件名称", old.gate.label, new.gate.label),
        (f"{new.gate.label}·参评岗位", "、".join(old.gate.roles), "、".join(new.gate.roles)),
        ("最低要求名称", old.minimum.label, new.minimum.label),
        (f"{new.minimum.label}·岗位", "、".join(old.minimum.roles), "、".join(new.minimum.roles)),
    ):
        if a != b:
            lines.append(f"{label}：{a} → {b}")
    lines += _comparisons(new.gate.label, old, new, old.gate.all, new.gate.all)
    lines += _comparisons(new.minimum.label, old, new, [old.minimum], [new.minimum])
    lines += _derived(old, new)
    lines += _stars(old, new)
    lines += _columns(old.columns, new.columns)
    lines += _unknown_keys(old.model_dump(), new.model_dump(), _TOP, "")
    return lines


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _cap(model: RulesModel) -> str:
    cap = model.fairness.bureau_cap
    return "不限" if cap is None else f"{cap} 名"


def _cooldown(model: RulesModel) -> str:
    months = model.fairness.cooldown_months
    return "无" if months <= 0 else f"{months} 个月"


def _value(model: RulesModel, comparison: Comparison) -> str:
    unit = "%" if model.unit(comparison.metric) == "rate" else ""
    return f"{comparison.value:g}{unit}"


def _said(model: RulesModel, comparison: Comparison) -> str:
    label = model.label(comparison.metric)
    return f"{label} {SYMBOL[comparison.op]} {_value(model, comparison)}"


def _keyed(comparisons: Iterable[Comparison]) -> dict[tuple[str, int], Comparison]:
    """Comparisons by (metric, which one of that metric): a metric compared twice stays two."""
    seen: dict[str, int] = {}
    keyed = {}
    for comparison in comparisons:
        n = seen.get(comparison.metric, 0)
        seen[comparison.metric] = n + 1
        keyed[(comparison.metric, n)] = comparison
    return keyed


def _comparisons(
    where: str,
    old: RulesModel,
    new: RulesModel,
    before: Iterable[Comparison],
    after: Iterable[Comparison],
) -> list[str]:
    a, b = _keyed(before), _keyed(after)
    lines = []
    for key in [*a, *(k for k in b if k not in a)]:
        if key not in b:
            lines.append(f"{where}：删去 {_said(old, a[key])}")
        elif key not in a:
            lines.append(f"{where}：新增 {_said(new, b[key])}")
        elif a[key].op != b[key].op:
            lines.append(f"{where}：{_said(old, a[key])} → {_said(new, b[key])}")
        elif a[key].value != b[key].value:
            label = new.label(key[0])
            lines.append(f"{where}：{label} {_value(old, a[key])} → {_value(new, b[key])}")
    return lines


def _derived(old: RulesModel, new: RulesModel) -> list[str]:
    lines = []
    for key in [*old.derived, *(k for k in new.derived if k not in old.derived)]:
        a, b = old.derived.get(key), new.derived.get(key)
        if b is None:
            lines.append(f"派生指标：删去 {a.label if a else key}（{key}）")
        elif a is None:
            lines.append(f"派生指标：新增 {b.label}（{key}）= {b.expr}")
        elif a != b:
            lines.append(f"派生指标 {b.label}（{key}）：{a.expr} → {b.expr}")
    return lines


def _stars(old: RulesModel, new: RulesModel) -> list[str]:
    before = {s.key: s for s in old.stars}
    after = {s.key: s for s in new.stars}
    lines = []
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(key), after.get(key)
        if b is None and a is not None:
            lines.append(f"删去评选项目 {a.label}（{key}）")
        elif a is None and b is not None:
            lines.append(f"新增评选项目 {b.label}（{key}），名额 {b.quota} 人")
        elif a is not None and b is not None:
            lines += _star(old, new, a, b)
    if [s.key for s in old.stars] != [s.key for s in new.stars] and set(before) == set(after):
        lines.append("评选项目顺序：" + "、".join(before) + " → " + "、".join(after))
    return lines


def _star(old: RulesModel, new: RulesModel, a: Star, b: Star) -> list[str]:
    where = b.label
    lines = [f"{a.label}：名称 {a.label} → {b.label}"] if a.label != b.label else []

    def labels(model: RulesModel, keys: Iterable[str]) -> str:
        return "、".join(model.label(k) for k in keys) or "无"

    for label, x, y in (
        ("名额", f"{a.quota} 人", f"{b.quota} 人"),
        ("参评岗位", "、".join(a.roles), "、".join(b.roles)),
        ("排名依据", labels(old, a.rank_by), labels(new, b.rank_by)),
        ("报表列", labels(old, a.figures), labels(new, b.figures)),
        ("说明", a.description or "无", b.description or "无"),
    ):
        if x != y:
            lines.append(f"{where}：{label} {x} → {y}")
    lines += _comparisons(where, old, new, a.criteria.all, b.criteria.all)
    lines += _comparisons(f"{where}（任一即可）", old, new, a.criteria.any, b.criteria.any)
    lines += _unknown_keys(a.model_dump(), b.model_dump(), _STAR, f"{where}：")
    return lines


def _columns(old: Mapping[str, list[str]], new: Mapping[str, list[str]]) -> list[str]:
    lines = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key, []), new.get(key, [])
        added = [x for x in b if x not in a]
        removed = [x for x in a if x not in b]
        if added:
            lines.append(f"列名别名 {key}：新增 {'、'.join(added)}")
        if removed:
            lines.append(f"列名别名 {key}：删去 {'、'.join(removed)}")
    return lines


def _unknown_keys(
    a: Mapping[str, Any], b: Mapping[str, Any], known: set[str], where: str
) -> list[str]:
    """Keys not read by name above (say, options added to the rules later), by their path."""
    return [
        f"{where}{key}：{a.get(key)!r} → {b.get(key)!r}"
        for key in sorted((set(a) | set(b)) - known)
        if a.get(key) != b.get(key)
    ]
