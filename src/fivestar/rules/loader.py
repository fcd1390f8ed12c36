"""Loading rules files: TOML → validated RuleSet, or one RulesError naming file, line and key."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from fivestar.errors import Invalid, RulesError, Said, UnknownStar, said
from fivestar.i18n import N_
from fivestar.rules.inputs import OptionalColumn, optional_columns
from fivestar.rules.model import Loc, RuleReferenceError, RulesModel, Star, check_references
from fivestar.safe_text import first_unsafe


@dataclass(frozen=True)
class RuleSet:
    """A validated rules file, with where it came from."""

    model: RulesModel
    path: str
    sha256: str

    @property
    def stars(self) -> list[Star]:
        return self.model.stars

    @property
    def star_keys(self) -> list[str]:
        return [star.key for star in self.model.stars]

    def star(self, key: str) -> Star:
        for star in self.model.stars:
            if star.key == key:
                return star
        raise RulesError(
            N_("no star {key!r} in {path}: stars are {keys}"),
            key=key,
            path=self.path,
            keys=self.star_keys,
        )

    def find_star(self, text: str, context: str | Said | None = None) -> Star:
        """The star a person named: its key (mediation), label (纠纷调解之星) or short name
        (调解, the label without 之星). UnknownStar, with the near names, otherwise."""
        given = text.strip()
        names: dict[str, Star] = {}
        for star in self.model.stars:
            for name in (star.key, star.label, short_name(star.label)):
                names.setdefault(name, star)
        folded = {name.casefold(): star for name, star in names.items()}
        if given.casefold() in folded:
            return folded[given.casefold()]
        # 调解: part of one star's label and of no other's
        within = [s for s in self.model.stars if len(given) >= 2 and given in short_name(s.label)]
        if len(within) == 1:
            return within[0]
        close = [s.label for s in within] or difflib.get_close_matches(
            given, list(names), n=3, cutoff=0.6
        )
        known = [f"{star.key} ({star.label})" for star in self.model.stars]
        raise UnknownStar(given, known, close, context or self.path)

    @property
    def aliases(self) -> Mapping[str, Sequence[str]]:
        return self.model.columns

    @property
    def optional_columns(self) -> tuple[OptionalColumn, ...]:
        """The optional input columns the rules declare, for the reader."""
        vetoes = [(veto.label, veto.metric) for veto in self.model.vetoes]
        return optional_columns(self.model.input_columns, vetoes)

    def label(self, metric: str) -> str:
        return self.model.label(metric)

    def unit(self, metric: str) -> str:
        return self.model.unit(metric)


def short_name(label: str) -> str:
    """纠纷调解之星 → 纠纷调解 (and 调解, a part of one label only, is found too)."""
    return label.removesuffix("之星") or label


def load_rules(path: Path) -> RuleSet:
    """Load and validate one rules file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise RulesError(
            N_("{path}: cannot read rules file ({reason})"),
            path=path,
            reason=err.strerror or str(err),
        ) from None
    return parse_rules(data, str(path))


def parse_rules(data: bytes, name: str) -> RuleSet:
    """Validate a rules file's bytes; any fault is one RulesError, on one line, naming it."""
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise RulesError(N_("{name}: a rules file must be UTF-8 text"), name=name) from None
    except tomllib.TOMLDecodeError as err:
        raise RulesError(
            N_("{name}: not valid TOML: {reason}"), name=_one_line(name), reason=_one_line(str(err))
        ) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise RulesError(
            N_("{name}: not valid TOML: arrays or tables nested too deep"), name=name
        ) from None
    try:
        _refuse_controls(raw, ())
        model = RulesModel.model_validate(raw)
        check_references(model)
    except ValidationError as err:
        first = err.errors()[0]
        loc: Loc = tuple(first["loc"])
        raise RulesError(_message(name, text, loc, _expected(first))) from None
    except RuleReferenceError as err:
        raise RulesError(_message(name, text, err.loc, err.expected)) from None
    except RecursionError:
        raise RulesError(N_("{name}: values nested too deep"), name=name) from None
    return RuleSet(model=model, path=name, sha256=hashlib.sha256(data).hexdigest())


# Fields whose text may run over several lines (a TOML multi-line string): a line break only.
_MULTI_LINE = frozenset({"description"})


def _refuse_controls(value: object, loc: Loc) -> None:
    """Every text of a rules file (keys too) reaches output somewhere: a control or bidi
    character in one (an ESC retitling the terminal, a raw 0x1B in a sheet name that makes
    the workbook unreadable, U+202E reversing a label) is refused here, with its key path."""
    if isinstance(value, str):
        keep = "\n" if loc and loc[-1] in _MULTI_LINE else ""
        found = first_unsafe(value, keep)
        if found is not None:
            expected = said(
                N_("text without control or bidi characters, found U+{code:04X}"), code=ord(found)
            )
            raise RuleReferenceError(loc, expected)
    elif isinstance(value, dict):
        for key, item in value.items():
            found = first_unsafe(key)
            if found is not None:
                raise RuleReferenceError(
                    loc,
                    said(
                        N_("keys without control or bidi characters, found U+{code:04X} in a key"),
                        code=ord(found),
                    ),
                )
            _refuse_controls(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_controls(item, (*loc, i))


def _one_line(message: str) -> str:
    """Errors print as one line: line breaks and other controls quoted from the file go."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in message).split())


def _expected(error: Mapping[str, object]) -> Said:
    kind, msg = str(error.get("type")), str(error.get("msg"))
    if kind == "extra_forbidden":
        return said(N_("no such key here (unknown key)"))
    if kind == "missing":
        return said(N_("this key, which is required"))
    context = error.get("ctx")
    refused = context.get("error") if isinstance(context, Mapping) else None
    if isinstance(refused, Invalid):  # our own validator's words, translatable
        return refused.said
    return Said(_one_line(msg.removeprefix("Value error, ")))  # pydantic's own words


def _message(name: str, text: str, loc: Loc, expected: Said) -> Said:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    key: Said | str = path.lstrip(".") or said(N_("(top level)"))
    line = _line_of(text, loc)
    if line:
        template = N_("{name}, line {line}: {key}: {expected}")
        return said(template, name=_one_line(name), line=line, key=key, expected=expected)
    return said(N_("{name}: {key}: {expected}"), name=_one_line(name), key=key, expected=expected)


def _line_of(text: str, loc: Loc) -> int | None:
    """Best-effort line of a key path: walk the text forward, one path part at a time."""
    lines = text.splitlines()
    pos, found = 0, None
    for i, part in enumerate(loc):
        if isinstance(part, int):
            prev = loc[i - 1] if i else ""
            table = re.compile(rf"^\s*\[\[\s*(?:\w+\.)*{re.escape(str(prev))}\s*\]\]")
            hits = [n for n in range(len(lines)) if table.match(lines[n])]
            if len(hits) > part:
                pos = found = hits[part]
            continue
        key = re.compile(rf"^\s*(\[+\s*)?(?:[\w\"]+\.)*\"?{re.escape(part)}\"?\s*(=|\]|\.)")
        inline = re.compile(rf"[{{,]\s*{re.escape(part)}\s*=")
        for n in range(pos, len(lines)):
            if key.match(lines[n]) or inline.search(lines[n]):
                pos = found = n
                break
    return found + 1 if found is not None else None


# How a rules file shipped with the tool is named (runs, reports, JSON, messages): not a path,
# so that it is never taken for a local rules/ file of the same name (which is named as given).
BUILT_IN = "built-in:"


def built_in_label(name: str) -> str:
    """The label of a packaged rules file: "built-in:dezhou-2014.toml"."""
    return f"{BUILT_IN}{name}"


def _packaged_rules() -> list[tuple[str, bytes]]:
    """The rules shipped with the tool (the project's rules/ folder, installed as data)."""
    try:
        folder = resources.files("fivestar.default_rules")
    except ModuleNotFoundError:  # running from a source checkout, not installed
        checkout = Path(__file__).resolve().parents[3] / "rules"
        return [(built_in_label(p.name), p.read_bytes()) for p in sorted(checkout.glob("*.toml"))]
    return sorted(
        (built_in_label(item.name), item.read_bytes())
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    )


def rules_for_month(month: str, path: Path | None = None) -> RuleSet:
    """The rules in force for `month`: the latest `effective_from` ≤ month.

    `path` is a rules file or a folder of them. Without it, `./rules/` is used when it
    exists (a bureau's own, named by their paths), else the rules shipped with the tool
    (named "built-in:FILE").
    """
    candidates = all_rules(path)
    in_force = [r for r in candidates if r.model.effective_from <= month]
    if not in_force:
        first = min(candidates, key=lambda r: r.model.effective_from)
        raise RulesError(
            N_("no rules in force for {month}: the earliest, {path}, applies from {start}"),
            month=month,
            path=first.path,
            start=first.model.effective_from,
        )
    return max(in_force, key=lambda r: r.model.effective_from)


def all_rules(path: Path | None = None) -> list[RuleSet]:
    """Every rules file at `path` (a file or a folder), or the default rules, validated."""
    if path is None:
        local = Path("rules")
        if local.is_dir() and any(local.glob("*.toml")):
            path = local
        else:
            return _one_per_month([parse_rules(data, name) for name, data in _packaged_rules()])
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise RulesError(N_("{path}: no rules files (*.toml) in this folder"), path=path)
        return _one_per_month([load_rules(file) for file in files])
    if not path.exists():
        raise RulesError(N_("{path}: no such rules file or folder"), path=path)
    return [load_rules(path)]


def _one_per_month(loaded: list[RuleSet]) -> list[RuleSet]:
    """Two files in force from the same month would make the choice arbitrary: refuse them."""
    first: dict[str, RuleSet] = {}
    for rules in loaded:
        month = rules.model.effective_from
        if month in first:
            raise RulesError(
                N_(
                    "{path}: effective_from {month} is also the month of {other}: only one "
                    "rules file may come into force in a month"
                ),
                path=rules.path,
                month=month,
                other=first[month].path,
            )
        first[month] = rules
    return loaded
