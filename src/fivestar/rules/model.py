"""The rules model: what a rules file may say, validated on load (pydantic, extra keys refused)."""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from fivestar.columns import BY_KEY, METRIC_KEYS, RATE_KEYS, ROLES
from fivestar.errors import Invalid, Said, said
from fivestar.i18n import N_
from fivestar.rules.expr import ExprError, Node, names_in, parse_expr
from fivestar.rules.inputs import (
    YES,
    InputColumn,
    Problem,
    input_columns_problem,
    number_or_yes_no,
    veto_problem,
)

Op = Literal[">=", ">", "<=", "<", "=="]
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Comparison(_Strict):
    """`metric op value`; a rate's value is written in percent (100 means 100 %)."""

    metric: str
    op: Op
    value: Annotated[float, Field(allow_inf_nan=False)]  # as an expression's literals


class Criteria(_Strict):
    """All of `all`, and at least one of `any` when `any` is given."""

    all: list[Comparison] = Field(default_factory=list)
    any: list[Comparison] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Criteria:
        if not self.all and not self.any:
            raise Invalid(N_("criteria need at least one comparison in `all` or `any`"))
        return self


class Derived(_Strict):
    label: str
    expr: str
    unit: Literal["count", "rate", "number"] = "number"

    @field_validator("expr")
    @classmethod
    def _parses(cls, text: str) -> str:
        try:
            parse_expr(text)
        except ExprError as err:
            raise Invalid(
                N_("expression {text!r} does not parse: {reason}"), text=text, reason=err.said
            ) from None
        return text

    @property
    def node(self) -> Node:
        return parse_expr(self.expr)


class Gate(_Strict):
    label: str = "评选资格"
    roles: list[str]
    all: list[Comparison]


class Minimum(Comparison):
    label: str = "最低走访要求"
    roles: list[str]


class Veto(_Strict):
    """一票否决: an officer meeting `metric op value` is named for no star (`label` says why).

    `metric` is any metric, or an optional input column the rules declare (`input_columns`);
    a yes-no column is compared with 是 or 否 (`value = "是"`)."""

    label: str
    metric: str
    op: Op
    value: Annotated[float | str, BeforeValidator(number_or_yes_no)]

    @property
    def comparison(self) -> Comparison:
        """The veto as the engine compares it: 是 is 1 and 否 is 0."""
        value = self.value if not isinstance(self.value, str) else float(self.value == YES)
        return Comparison(metric=self.metric, op=self.op, value=value)


class Star(_Strict):
    key: str
    label: str
    roles: list[str]
    quota: Annotated[int, Field(ge=1)]
    rank_by: Annotated[list[str], Field(min_length=1)]
    criteria: Criteria
    figures: list[str] = Field(default_factory=list)  # extra columns shown in reports
    description: str = ""


class Selection(_Strict):
    total: Annotated[int, Field(ge=1)]
    one_star_per_officer: bool = True
    ties: Literal["include", "strict"] = "include"
    ranking: Literal["competition", "dense"] = "competition"


class Fairness(_Strict):
    """Options a bureau may add for fairness across counties; all off by default.

    - `bureau_cap`: at most this many officers of one county bureau (县局) per star; the next
      candidate of another bureau takes the place (每个县局每项最多 N 名).
    - `cooldown_months`: an officer named for a star in any of the previous N months is
      passed over for that star (read from the results store).
    """

    # strict: "2" or 1.0 in a rules file is a slip to name, not a number to guess
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    bureau_cap: Annotated[int, Field(ge=1)] | None = None
    cooldown_months: Annotated[int, Field(ge=0, le=120)] = 0


class Organisation(_Strict):
    """`[organisation]`: its name and, optionally, its county bureaus (县局) in the order
    reports list them. With the list, a run holding only some of them is a county's (or a
    part's) result, not the city's, and says so."""

    name: Annotated[str, Field(min_length=1)]
    bureaus: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)

    @field_validator("bureaus")
    @classmethod
    def _distinct(cls, bureaus: list[str]) -> list[str]:
        stripped = [b.strip() for b in bureaus]
        if any(not b for b in stripped):
            raise Invalid(N_("a bureau name is blank"))
        twice = sorted({b for b in stripped if stripped.count(b) > 1})
        if twice:
            raise Invalid(N_("bureau listed twice: {bureaus}"), bureaus=twice)
        return stripped


class ReportOptions(_Strict):
    """`[report]`: how the report's star sheets are cut for reading and printing."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    near_misses: Annotated[int, Field(ge=0, le=1000)] = 20  # per star, closest first


class RulesModel(_Strict):
    schema_version: Literal[1] = 1
    name: str
    organisation: str
    # from `[organisation] bureaus` (a rules file may also write `organisation = "name"`)
    bureaus: list[str] = Field(default_factory=list)
    effective_from: str
    selection: Selection
    gate: Gate
    minimum: Minimum
    derived: dict[str, Derived] = Field(default_factory=dict)
    vetoes: list[Veto] = Field(default_factory=list)  # applied before any star, like the gate
    # optional input columns read for the vetoes (有效投诉数, 违纪): see fivestar.rules.inputs
    input_columns: dict[str, InputColumn] = Field(default_factory=dict)
    stars: Annotated[list[Star], Field(min_length=1)]
    columns: dict[str, list[str]] = Field(default_factory=dict)
    fairness: Fairness = Field(default_factory=Fairness)
    report: ReportOptions = Field(default_factory=ReportOptions)

    @model_validator(mode="before")
    @classmethod
    def _organisation_table(cls, data: object) -> object:
        """`[organisation] name = …, bureaus = […]` read as `organisation` and `bureaus`."""
        if not isinstance(data, dict) or not isinstance(data.get("organisation"), dict):
            return data
        if "bureaus" in data:
            raise Invalid(N_("`bureaus` belongs in the [organisation] table"))
        try:
            table = Organisation.model_validate(data["organisation"])
        except ValidationError as err:  # named from the table, as the loader names a key
            first = err.errors()[0]
            where = ".".join(str(part) for part in ("organisation", *first["loc"]))
            raise Invalid(N_("{where}: {message}"), where=where, message=first["msg"]) from None
        return {**data, "organisation": table.name, "bureaus": table.bureaus}

    @field_validator("effective_from")
    @classmethod
    def _month(cls, value: str) -> str:
        if not _MONTH.match(value):
            raise Invalid(N_("expected a month written YYYY-MM, got {value!r}"), value=value)
        return value

    def unit(self, metric: str) -> str:
        """'rate' (a fraction, written in percent in rules), 'count' or 'number'."""
        if metric in RATE_KEYS:
            return "rate"
        if metric in self.derived:
            return self.derived[metric].unit
        if metric in self.input_columns:
            return self.input_columns[metric].kind
        return "count"

    def label(self, metric: str) -> str:
        if metric in self.derived:
            return self.derived[metric].label
        if metric in self.input_columns:
            return self.input_columns[metric].header
        return BY_KEY[metric].header


Loc = tuple[str | int, ...]


class RuleReferenceError(Invalid):
    """A name a rule uses that does not exist, with the key path where it stands."""

    def __init__(self, loc: Loc, expected: Said) -> None:
        super().__init__(expected)
        self.loc = loc
        self.expected = expected


def check_references(rules: RulesModel) -> None:
    """Every name a rule uses must exist: this is where a misspelled metric is caught.

    Raises RuleReferenceError with the key path and what was expected.
    """
    known = _check_derived(rules)
    _raise(input_columns_problem(rules.input_columns, set(rules.derived), rules.columns))
    comparisons: list[tuple[Loc, str]] = [
        (("gate", "all", i, "metric"), c.metric) for i, c in enumerate(rules.gate.all)
    ]
    comparisons.append((("minimum", "metric"), rules.minimum.metric))
    comparisons += _veto_metrics(rules)
    roles: list[tuple[Loc, str]] = [
        ((field, "roles", i), role)
        for field in ("gate", "minimum")
        for i, role in enumerate(getattr(rules, field).roles)
    ]
    seen: set[str] = set()
    for s, star in enumerate(rules.stars):
        if not _KEY.match(star.key) or star.key in seen:
            raise RuleReferenceError(("stars", s, "key"), said(N_("a unique lower-case star key")))
        seen.add(star.key)
        for group in ("all", "any"):
            comparisons += [
                (("stars", s, "criteria", group, i, "metric"), c.metric)
                for i, c in enumerate(getattr(star.criteria, group))
            ]
        for field in ("rank_by", "figures"):
            comparisons += [(("stars", s, field, i), m) for i, m in enumerate(getattr(star, field))]
        roles += [(("stars", s, "roles", i), role) for i, role in enumerate(star.roles)]
    for loc, metric in comparisons:
        if metric in rules.input_columns:
            raise RuleReferenceError(loc, _only_in_vetoes(metric))
        if metric not in known:
            raise RuleReferenceError(loc, _unknown(metric, known))
    _check_thresholds(rules)
    for loc, role in roles:
        if role not in ROLES:
            raise RuleReferenceError(
                loc, said(N_("one of {roles}, got {role!r}"), roles=ROLES, role=role)
            )
    for key in rules.columns:
        if key not in BY_KEY:
            raise RuleReferenceError(
                ("columns", key), said(N_("an input column key ({keys})"), keys=list(BY_KEY))
            )
    quotas = sum(star.quota for star in rules.stars)
    if quotas != rules.selection.total:
        raise RuleReferenceError(
            ("selection", "total"),
            said(
                N_("the sum of the stars' quotas ({quotas}), got {total}"),
                quotas=quotas,
                total=rules.selection.total,
            ),
        )


def _check_thresholds(rules: RulesModel) -> None:
    """Each threshold must be one its metric can take: a rate in percent from 0 to 100 (a
    fraction such as 0.8 is the common slip: it would mean 0.8 %), a count a whole number."""
    thresholds: list[tuple[Loc, Comparison]] = [
        (("gate", "all", i, "value"), c) for i, c in enumerate(rules.gate.all)
    ]
    thresholds.append((("minimum", "value"), rules.minimum))
    thresholds += [
        (("vetoes", i, "value"), v.comparison)
        for i, v in enumerate(rules.vetoes)
        if v.metric not in rules.input_columns  # checked by their kind (veto_problem)
    ]
    for s, star in enumerate(rules.stars):
        for group in ("all", "any"):
            thresholds += [
                (("stars", s, "criteria", group, i, "value"), c)
                for i, c in enumerate(getattr(star.criteria, group))
            ]
    for loc, comparison in thresholds:
        value, unit = comparison.value, rules.unit(comparison.metric)
        if unit == "rate" and not 0 <= value <= 100:
            raise RuleReferenceError(
                loc, said(N_("a rate in percent from 0 to 100, got {value:g}"), value=value)
            )
        if unit == "rate" and 0 < value <= 1:
            template = N_(
                "a rate in percent (100 means 100 %), got {value:g}: did you mean {hint:g}?"
            )
            raise RuleReferenceError(loc, said(template, value=value, hint=value * 100))
        if unit == "count" and (value < 0 or not float(value).is_integer()):
            raise RuleReferenceError(
                loc, said(N_("a whole number of at least 0, got {value:g}"), value=value)
            )


def _check_derived(rules: RulesModel) -> set[str]:
    """Derived metrics may use input metrics and derived metrics defined above them."""
    known = set(METRIC_KEYS)
    for key, derived in rules.derived.items():
        if not _KEY.match(key) or key in BY_KEY:
            raise RuleReferenceError(
                ("derived", key), said(N_("a new lower-case key, not an input column"))
            )
        unknown = names_in(derived.node) - known
        if unknown:
            raise RuleReferenceError(("derived", key, "expr"), _unknown(sorted(unknown)[0], known))
        known.add(key)
    return known


def _veto_metrics(rules: RulesModel) -> list[tuple[Loc, str]]:
    """The metrics the vetoes compare, to be checked as any rule's; a veto on an optional
    input column is checked against its kind here."""
    metrics: list[tuple[Loc, str]] = []
    for i, veto in enumerate(rules.vetoes):
        column = rules.input_columns.get(veto.metric)
        if column is None:
            metrics.append((("vetoes", i, "metric"), veto.metric))
        _raise(veto_problem(("vetoes", i), veto.op, veto.value, column.kind if column else None))
    return metrics


def _raise(problem: Problem) -> None:
    if problem is not None:  # already worded, in the language in use
        raise RuleReferenceError(problem[0], said("{text}", text=problem[1]))


def _only_in_vetoes(metric: str) -> Said:
    return said(
        N_("a metric key: {metric} is an optional input column, read for vetoes only"),
        metric=metric,
    )


def _unknown(metric: str, known: set[str]) -> Said:
    close = difflib.get_close_matches(metric, sorted(known), n=1)
    if close:
        return said(
            N_("a metric key, got {metric!r} (did you mean {close!r}?)"),
            metric=metric,
            close=close[0],
        )
    return said(N_("a metric key, got {metric!r}"), metric=metric)
