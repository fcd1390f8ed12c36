"""Derived metrics: a tiny arithmetic language over metric keys, parsed here, never `eval`ed.

Grammar:  expr := term (("+"|"-") term)* ;  term := factor (("*"|"/") factor)* ;
          factor := NUMBER | NAME | "(" expr ")" | "-" factor
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from fivestar.errors import Invalid
from fivestar.i18n import N_

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))")
_OPS = {"+", "-", "*", "/", "×", "÷", "(", ")"}
_CANON = {"×": "*", "÷": "/"}

Array: TypeAlias = npt.NDArray[np.float64]


class ExprError(Invalid):
    """An expression that does not parse, with the position and what was expected."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node: TypeAlias = Num | Var | Neg | BinOp


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # only trailing spaces left
            break
        number, name, other = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        elif other in _OPS:
            tokens.append(("op", _CANON.get(other, other)))
        else:
            raise ExprError(
                N_("unexpected character {char!r} at position {at}"),
                char=other,
                at=match.start(3) + 1,
            )
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExprError(N_("expression ends too early: expected a number, a metric or '('"))
        self.pos += 1
        return token

    def expr(self) -> Node:
        node = self.term()
        while (token := self.peek()) is not None and token[1] in {"+", "-"} and token[0] == "op":
            self.pos += 1
            node = BinOp(token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) is not None and token[1] in {"*", "/"} and token[0] == "op":
            self.pos += 1
            node = BinOp(token[1], node, self.factor())
        return node

    def factor(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):  # the bound a rules `value` has (a finite number)
                raise ExprError(
                    N_("number {value}… is too large: expected a finite number"), value=value[:12]
                )
            return Num(number)
        if kind == "name":
            return Var(value)
        if value == "-":
            return Neg(self.factor())
        if value == "(":
            node = self.expr()
            if self.take() != ("op", ")"):
                raise ExprError(N_("expected ')'"))
            return node
        raise ExprError(N_("expected a number, a metric or '(' but found {value!r}"), value=value)


def parse_expr(text: str) -> Node:
    """Parse an arithmetic expression; raise ExprError when it does not parse."""
    parser = _Parser(text)
    node = parser.expr()
    rest = parser.peek()
    if rest is not None:
        raise ExprError(N_("unexpected {token!r} after a complete expression"), token=rest[1])
    return node


def names_in(node: Node) -> set[str]:
    """The metric keys an expression reads."""
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Neg):
        return names_in(node.operand)
    if isinstance(node, BinOp):
        return names_in(node.left) | names_in(node.right)
    return set()


def evaluate(node: Node, columns: Mapping[str, Array]) -> Array:
    """Evaluate over whole columns at once. Division by zero, or a result too large for a
    float, gives NaN (not computable)."""
    if isinstance(node, Num):
        size = len(next(iter(columns.values()))) if columns else 1
        return np.full(size, node.value, dtype=np.float64)
    if isinstance(node, Var):
        return np.asarray(columns[node.name], dtype=np.float64)
    if isinstance(node, Neg):
        return -evaluate(node.operand, columns)
    left, right = evaluate(node.left, columns), evaluate(node.right, columns)
    # Every floating-point fault ends non-finite and is made NaN below: numpy's warning about
    # it would only be noise on stderr (the one-line rule), never news.
    with np.errstate(all="ignore"):
        result: Array = _ARITHMETIC[node.op](left, right)
    result[~np.isfinite(result)] = np.nan
    return result


_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
