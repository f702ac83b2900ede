"""Rule formulas: parsed from a whitelist of arithmetic nodes, never eval'd, never sympify'd.

A formula is a relation `lhs OP rhs` (==, <=, >=, <, >) over the names the rule kind binds and
numeric literals, with + - * /, unary minus, parentheses and the functions sum, min, max, abs.
It compiles to a small tree evaluated over intervals; `to_sympy` gives the same formula as a sympy
expression (built node by node, for documentation and validation only).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from decimal import Decimal

from factcheck.rules.intervals import Interval

FUNCTIONS = {"sum", "min", "max", "abs"}
MAX_DEPTH = 32
MAX_LENGTH = 500
RELATIONS = {ast.Eq: "==", ast.LtE: "<=", ast.GtE: ">=", ast.Lt: "<", ast.Gt: ">"}
BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    op: str  # num, name, + - * /, neg, call
    args: tuple = ()
    value: object = None


@dataclass(frozen=True)
class Formula:
    source: str
    relation: str
    lhs: Node
    rhs: Node
    names: frozenset

    def evaluate(self, env: dict) -> tuple[bool, Interval, Interval]:
        """(holds for some values inside every interval, lhs interval, rhs interval)."""
        left, right = _eval(self.lhs, env), _eval(self.rhs, env)
        r = self.relation
        if r == "==":
            ok = left.overlaps(right)
        elif r in ("<=", "<"):
            ok = left.lo <= right.hi if r == "<=" else left.lo < right.hi
        else:
            ok = left.hi >= right.lo if r == ">=" else left.hi > right.lo
        return ok, left, right

    def value(self, side: str, env: dict) -> Decimal:
        """A side evaluated at the stated values (interval midpoints), for messages."""
        node = self.lhs if side == "lhs" else self.rhs
        return _eval(node, {k: _mid(v) for k, v in env.items()}).mid


def _mid(v):
    if isinstance(v, list):
        return [_mid(x) for x in v]
    return Interval.point(v.mid)


def parse_formula(source: str, allowed_names) -> Formula:
    if not isinstance(source, str) or not source.strip():
        raise FormulaError("the formula is empty")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    bad = next((i for i, ch in enumerate(source) if ord(ch) < 32 and ch not in " \t\n" or ord(ch) == 127), None)
    if bad is not None:
        raise FormulaError(f"the formula holds a control character (U+{ord(source[bad]):04X}) at column {bad + 1}")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        where = f" at column {e.offset}" if e.offset else ""
        raise FormulaError(f"syntax error{where}: {e.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("the formula cannot be parsed") from None
    body = tree.body
    if not isinstance(body, ast.Compare) or len(body.ops) != 1 or type(body.ops[0]) not in RELATIONS:
        raise FormulaError("a formula must be one relation: lhs == rhs (or <=, >=, <, >)")
    names: set[str] = set()
    allowed = set(allowed_names)
    lhs = _convert(body.left, allowed, names, 0)
    rhs = _convert(body.comparators[0], allowed, names, 0)
    return Formula(source, RELATIONS[type(body.ops[0])], lhs, rhs, frozenset(names))


def _convert(node, allowed: set, names: set, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels")
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = Decimal(str(node.value))
        if not value.is_finite():  # 1e999 is inf: the interval arithmetic would compute inf - inf
            raise FormulaError(f"the number {_short(node)} is not finite")
        return Node("num", value=value)
    if isinstance(node, ast.Name):
        if node.id not in allowed:
            raise FormulaError(f"unknown name {node.id!r}; this rule kind provides: {', '.join(sorted(allowed))}")
        names.add(node.id)
        return Node("name", value=node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
        left = _convert(node.left, allowed, names, depth + 1)
        right = _convert(node.right, allowed, names, depth + 1)
        if isinstance(node.op, ast.Div) and right.op == "num" and right.value == 0:
            raise FormulaError("division by zero")
        return Node(BINOPS[type(node.op)], (left, right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _convert(node.operand, allowed, names, depth + 1)
        return Node("neg", (inner,)) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__.lower()
            raise FormulaError(f"call of {what!r} is not allowed; allowed functions: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords or not node.args:
            raise FormulaError(f"{node.func.id}() takes positional arguments only")
        return Node("call", tuple(_convert(a, allowed, names, depth + 1) for a in node.args), node.func.id)
    raise FormulaError(f"{type(node).__name__} is not allowed in a formula (only numbers, names, + - * /, "
                       f"comparison and {', '.join(sorted(FUNCTIONS))})")


def _short(node) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:39] + "…"


def _eval(node: Node, env: dict):
    op = node.op
    if op == "num":
        return Interval.point(node.value)
    if op == "name":
        return env[node.value]
    if op == "neg":
        return -_eval(node.args[0], env)
    if op == "call":
        vals = [_eval(a, env) for a in node.args]
        flat: list[Interval] = []
        for v in vals:
            flat.extend(v if isinstance(v, list) else [v])
        if node.value == "sum":
            out = Interval.point(0)
            for v in flat:
                out = out + v
            return out
        if node.value == "min":
            return Interval(min(v.lo for v in flat), min(v.hi for v in flat))
        if node.value == "max":
            return Interval(max(v.lo for v in flat), max(v.hi for v in flat))
        v = flat[0]
        if v.lo >= 0:
            return v
        if v.hi <= 0:
            return -v
        return Interval(Decimal(0), max(-v.lo, v.hi))
    a, b = _eval(node.args[0], env), _eval(node.args[1], env)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b


def to_sympy(formula: Formula):
    """The formula as a sympy relation (imports sympy: used by `factcheck rule` and validation)."""
    import sympy

    def conv(node: Node):
        if node.op == "num":
            return sympy.Rational(str(node.value))
        if node.op == "name":
            return sympy.Symbol(node.value)
        if node.op == "neg":
            return -conv(node.args[0])
        if node.op == "call":
            args = [conv(a) for a in node.args]
            fn = {"sum": lambda *a: sympy.Function("sum")(*a), "min": sympy.Min, "max": sympy.Max,
                  "abs": lambda a: sympy.Abs(a)}[str(node.value)]
            return fn(*args)
        a, b = conv(node.args[0]), conv(node.args[1])
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[node.op]

    rel = {"==": sympy.Eq, "<=": sympy.Le, ">=": sympy.Ge, "<": sympy.Lt, ">": sympy.Gt}[formula.relation]
    return rel(conv(formula.lhs), conv(formula.rhs), evaluate=False)
