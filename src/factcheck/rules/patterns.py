"""The regular expressions of rule files, run so that none can hang a run.

A pattern in a rule file (params.markers, list_markers, patterns, rate_pattern) is code from whoever
wrote the rule folder, which can come from the checked repository's configuration. Python's `re`
backtracks: `(x+x+)+y` takes exponential time. So:

- at load, a pattern is refused when a repetition holds another unbounded one (`(a+)+`, `(x+x+)+y`,
  `(a*)*`): the classic catastrophic shape (`nested_repeat`);
- every pattern of a rule outside the built-in folder runs in the `regex` engine with a time budget
  per checked file (`pattern_budget`): past it, the file is an error that names the rule, not a hang.

The built-in rules' patterns are part of factcheck and run with `re`, as they always have (their cost
is covered by the linear-time tests).
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

# seconds a file's rule patterns may take in all, at least; and more for a long article
BUDGET_S = 10.0
BUDGET_PER_MCHAR_S = 10.0
CALL_TIMEOUT_S = 30.0  # one call outside a checked file (rule examples)

_deadline = [0.0]  # monotonic time; 0: no file's budget is running
_seconds = [CALL_TIMEOUT_S]  # the running budget, for the message


class PatternTimeout(Exception):
    """A rule's pattern ran past its time budget on one file."""

    def __init__(self, rule_id: str, key: str, seconds: float):
        where = f"rule {rule_id} ({key})" if key else f"rule {rule_id}"
        super().__init__(f"{where}: its regular expression ran past its time budget of {seconds:.1f} s on this "
                         "file (it backtracks catastrophically); the file is not checked")
        self.rule_id, self.key = rule_id, key


def budget_for(chars: int) -> float:
    return BUDGET_S + BUDGET_PER_MCHAR_S * chars / 1_000_000


@contextmanager
def pattern_budget(chars: int):
    """The rule patterns run inside this block share one time budget (sized for a text of chars)."""
    seconds = budget_for(chars)
    previous = _deadline[0], _seconds[0]
    _deadline[0] = time.monotonic() + seconds
    _seconds[0] = seconds
    try:
        yield
    finally:
        _deadline[0], _seconds[0] = previous


def _timeout() -> float:
    d = _deadline[0]
    if not d:
        return CALL_TIMEOUT_S
    return max(d - time.monotonic(), 0.001)


class RulePattern:
    """A compiled rule pattern with the calls kinds make (search, match, fullmatch, finditer), run by the
    regex engine within the time budget."""

    __slots__ = ("rx", "rule_id", "key", "pattern")

    def __init__(self, rx, rule_id: str, key: str):
        self.rx = rx
        self.rule_id = rule_id
        self.key = key
        self.pattern = rx.pattern

    def _call(self, fn, *args):
        try:
            return fn(*args, timeout=_timeout())
        except TimeoutError:
            raise PatternTimeout(self.rule_id, self.key, _budget_seconds()) from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._call(self.rx.search, string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._call(self.rx.match, string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._call(self.rx.fullmatch, string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None):
        # the matches are found here, in one call: the budget covers all of them
        return iter(self._call(lambda *a, timeout: list(self.rx.finditer(*a, timeout=timeout)), string, pos, endpos))

    def findall(self, string: str, pos: int = 0, endpos: int | None = None):
        return self._call(self.rx.findall, string, pos, endpos)


def _budget_seconds() -> float:
    return _seconds[0] if _deadline[0] else CALL_TIMEOUT_S


def _builtin_dir() -> Path:
    from factcheck.lexicon import builtin_rules_dir

    return builtin_rules_dir().resolve()


def is_builtin(rule) -> bool:
    path = getattr(rule, "path", "") or ""
    if not path:
        return False
    try:
        return Path(path).resolve().parent == _builtin_dir()
    except OSError:
        return False


def compile_rule_pattern(rule, pattern: str, key: str = ""):
    """A rule's pattern, compiled for the engine that runs it (see the module's docstring)."""
    trusted = rule.__dict__.get("_builtin")
    if trusted is None:
        trusted = rule.__dict__["_builtin"] = is_builtin(rule)
    if trusted:
        return re.compile(pattern)
    import regex

    return RulePattern(regex.compile(pattern), getattr(rule, "id", "?"), key)


# ------------------------------------------------------------------ the check at load

def _subpatterns(item) -> list:
    """The parsed subpatterns inside one node of re's parse tree."""
    op, av = item
    name = str(op)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [av[2]]
    if name == "SUBPATTERN":
        return [av[3]]
    if name == "ATOMIC_GROUP":
        return [av]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]
    if name == "BRANCH":
        return list(av[1])
    if name == "GROUPREF_EXISTS":
        return [x for x in av[1:] if x is not None]
    return []


def nested_repeat(pattern: str) -> str | None:
    """The shape of catastrophic backtracking in pattern, described, or None: a repetition that can
    repeat holding another one, either of them unbounded (`(a+)+`, `(x+x+)+y`, `(a{2,}b?)*`). A
    possessive repetition or an atomic group is never re-entered from outside (its inside is looked at
    on its own)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    try:
        tree = sre_parse.parse(pattern)
    except Exception:
        return None  # re.compile reports the syntax error
    maxrepeat = sre_parse.MAXREPEAT
    stack: list[tuple[object, str]] = [(tree, "")]  # (nodes, the enclosing repetition: "", "bounded", "unbounded")
    while stack:
        nodes, outer = stack.pop()
        for item in nodes:  # type: ignore[attr-defined]
            op, av = item
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT"):
                hi = av[1]
                if hi <= 1:  # a?: optional, not repeated
                    stack.append((av[2], outer))
                    continue
                kind = "unbounded" if hi == maxrepeat else "bounded"
                if outer and "unbounded" in (outer, kind):
                    return "a repetition inside a repetition, like (a+)+, which can backtrack without end"
                stack.append((av[2], "unbounded" if "unbounded" in (outer, kind) else kind))
                continue
            if name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
                stack.extend((sub, "") for sub in _subpatterns(item))
                continue
            stack.extend((sub, outer) for sub in _subpatterns(item))
    return None
