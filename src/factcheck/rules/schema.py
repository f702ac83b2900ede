"""Rule files: one YAML file per rule, validated by a pydantic schema when loaded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factcheck.rules.errors import RuleError  # noqa: F401  (re-exported)
from factcheck.rules.formula import Formula, FormulaError, parse_formula

KINDS = ("breakdown", "share", "rate", "growth", "pp_diff", "average", "repeat", "conflict")
from factcheck.rules.schema_names import KIND_NAMES  # noqa: E402  (the names each kind binds)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DocsText(Strict):
    """The documentation of a rule in another language (docs.zh): each key it lacks is the docs' own."""

    title: str = ""
    what: str = ""
    why: str = ""


class Docs(Strict):
    title: str = ""  # a short title (`factcheck rules`, SARIF); the rule's name when not given
    what: str = Field(min_length=1)
    why: str = Field(min_length=1)
    zh: DocsText | None = None  # the same in Chinese (shown with --lang zh, the default)


class Examples(Strict):
    fail: list[str] = Field(min_length=1)
    pass_: list[str] = Field(alias="pass", min_length=1)


class BreakdownParams(Strict):
    markers: list[str] = Field(min_length=1)
    list_markers: list[str] = []
    exhaustive_min_parts: int = Field(2, ge=2)
    exhaustive_min_coverage: float = Field(0.5, gt=0, le=1)
    partial_formula: str = "total >= sum(parts)"


class ShareParams(Strict):
    patterns: list[str] = Field(min_length=1)
    generic_wholes: list[str] = []


class RateParams(Strict):
    rate_words: list[str] = []
    rate_pattern: str = ""  # a regex instead of rate_words (the generic rate)
    exclude_words: list[str] = []  # rate words left to other rules
    numerator_words: list[str] = []  # empty: the nearest figure in the rate's sentence
    denominator_words: list[str] = []  # empty: the nearest earlier figure of the same unit, not smaller
    numerator_exclude: list[str] = []
    max_sentences_back: int = Field(3, ge=0)


class GrowthParams(Strict):
    up_words: list[str] = Field(min_length=1)
    down_words: list[str] = Field(min_length=1)
    previous_words: list[str] = Field(min_length=1)
    delta_formula: str = "pct == 100 * delta / (current - delta)"


class PpParams(Strict):
    up_words: list[str] = Field(min_length=1)
    down_words: list[str] = Field(min_length=1)


class AverageParams(Strict):
    average_words: list[str] = Field(min_length=1)


class RepeatParams(Strict):
    min_subject_length: int = Field(2, ge=1)
    max_ratio: float = Field(1.5, gt=1)


class ConflictParams(Strict):
    min_subject_length: int = Field(2, ge=1)
    max_ratio: float = Field(1.5, gt=1)
    set_properties: list[str] = []


PARAMS: dict[str, type[BaseModel]] = {"breakdown": BreakdownParams, "share": ShareParams, "rate": RateParams, "growth": GrowthParams,
          "pp_diff": PpParams, "average": AverageParams, "repeat": RepeatParams, "conflict": ConflictParams}


class Rule(Strict):
    id: str = Field(pattern=r"^FC\d{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    kind: Literal[KINDS]  # type: ignore[valid-type]
    severity: Literal["error", "warning", "info"]
    window: Literal["clause", "sentence", "paragraph", "article", "corpus"] = "sentence"
    params: dict = {}
    formula: str
    # a message template of the rule's own, in the language the rule is written in, for every --lang;
    # without one, a finding reads as its kind's note in the run's language (factcheck.i18n.message)
    message: str = ""
    ok_message: str = ""
    # a recomputed value more than this factor away from the stated one means the figures bound to
    # the rule are not its operands: the check is reported as unverifiable, not as a discrepancy
    plausible_ratio: float = Field(2.0, gt=1)
    docs: Docs
    examples: Examples
    path: str = ""

    @field_validator("params", mode="before")
    @classmethod
    def _params(cls, v):
        return v or {}

    def model_post_init(self, _ctx) -> None:
        object.__setattr__(self, "_compiled", {})

    @property
    def p(self):
        return self._compiled["params"]  # type: ignore[attr-defined]  # set in model_post_init

    @property
    def compiled(self) -> Formula:
        return self._compiled["formula"]  # type: ignore[attr-defined]

    def extra_formula(self, key: str) -> Formula:
        return self._compiled[key]  # type: ignore[attr-defined]


def _line_of(root, loc: tuple) -> int | None:
    """The line of a key path in a composed YAML node tree."""
    node = root
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# re.compile raises more than re.error: RecursionError (deep groups), OverflowError (a{4294967296})
PATTERN_ERRORS = (re.error, RecursionError, OverflowError, ValueError, MemoryError)
MAX_YAML_DEPTH = 50  # a rule file nests three levels; libyaml's composer recurses in C (a deep file crashes it)


def _check_nesting(text: str, Loader, path: str) -> None:
    """Refuse deeply nested YAML from the event stream (iterative) before anything recursive sees it."""
    depth = 0
    for ev in yaml.parse(text, Loader=Loader):
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise RuleError(path, "", f"invalid YAML: nested more than {MAX_YAML_DEPTH} levels deep",
                                ev.start_mark.line + 1 if ev.start_mark else None)
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


MAX_YAML_VALUES = 100_000


def _check_size(root, path: str) -> None:
    """Refuse a file whose aliases expand to more values than a rule can hold ("billion laughs")."""
    sizes: dict[int, int] = {}

    def size(node) -> int:
        if id(node) in sizes:
            if sizes[id(node)] < 0:  # an alias inside its own anchor (&a [*a])
                raise RuleError(path, "", "invalid YAML: a recursive alias", node.start_mark.line + 1)
            return sizes[id(node)]
        sizes[id(node)] = -1
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v) for v in node.value)
        else:
            n = 1
        sizes[id(node)] = n
        return n

    if root is not None and size(root) > MAX_YAML_VALUES:
        raise RuleError(path, "", f"invalid YAML: its aliases expand to more than {MAX_YAML_VALUES} values")


def _check_pattern(pat: str) -> None:
    """A rule's pattern compiles in both engines (re for the built-in rules, regex for others: see
    rules/patterns.py) and has no shape that backtracks catastrophically."""
    from factcheck.rules.patterns import nested_repeat

    re.compile(pat)
    problem = nested_repeat(pat)
    if problem:
        raise ValueError(problem)
    import regex

    try:
        regex.compile(pat)
    except regex.error as e:
        raise ValueError(f"the regex engine refuses it: {e}") from None


def _check_duplicate_keys(root, path: str) -> None:
    """A key given twice in one mapping is an error (YAML would keep the last one silently)."""
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    line = k.start_mark.line + 1
                    if k.value in first:
                        raise RuleError(path, str(k.value), f"given twice (first at line {first[k.value]})", line)
                    first[k.value] = line
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


MESSAGE_FIELDS = {"arithmetic", "stated", "recomputed", "miss", "relation"}


def _message_problem(message: str, roles) -> str | None:
    """A message may only name the engine's values ({arithmetic}, {stated}, … and the kind's roles):
    no attribute or index access ({stated.__class__}), no conversion or format spec ({miss:>999999999})."""
    import string

    allowed = MESSAGE_FIELDS | set(roles)
    try:
        fields = list(string.Formatter().parse(message))
    except ValueError as e:
        return f"not a valid message template: {e}"
    for _, name, spec, conv in fields:
        if name is None:
            continue
        if name not in allowed:
            return f"unknown placeholder {{{name}}}; a message may use {', '.join('{' + n + '}' for n in sorted(allowed))}"
        if spec or conv:
            return f"placeholder {{{name}}} may not have a conversion or format spec"
    return None


def load_rule_file(path: Path) -> Rule:
    sp = str(path)
    from factcheck.rules.cache import read_rule_file

    raw = read_rule_file(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RuleError(sp, "", f"cannot read: not UTF-8 (invalid byte at offset {e.start})") from None
    Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_nesting(text, Loader, sp)
        root = yaml.compose(text, Loader=Loader)
        _check_size(root, sp)
        _check_duplicate_keys(root, sp)
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        if "nesting depth" in problem:  # PyYAML 6.0.4 and later stop a deep file themselves: the same error
            problem = f"nested more than {MAX_YAML_DEPTH} levels deep"
        raise RuleError(sp, "", f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise RuleError(sp, "", "a rule file must be a mapping of keys (id, name, kind, …)")
    try:
        rule = Rule.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(x for x in err["loc"])
        key = ".".join(str(x) for x in loc) or "(top)"
        reason = err["msg"]
        if err["type"] == "extra_forbidden":
            reason = "unknown key"
        elif err["type"] == "literal_error":
            import reprlib

            reason = f"{err['msg']} (got {reprlib.repr(err.get('input'))})"  # short, whatever the file holds
        raise RuleError(sp, key, reason, _line_of(root, loc)) from None
    object.__setattr__(rule, "path", sp)
    try:
        params: Any = PARAMS[rule.kind].model_validate(rule.params)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ("params",) + tuple(err["loc"])
        reason = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise RuleError(sp, ".".join(map(str, loc)), reason, _line_of(root, loc)) from None
    for key in ("message", "ok_message"):
        problem = _message_problem(getattr(rule, key), KIND_NAMES[rule.kind])
        if problem:
            raise RuleError(sp, key, problem, _line_of(root, (key,)))
    if rule.kind == "rate" and not (params.rate_words or params.rate_pattern):
        raise RuleError(sp, "params.rate_words", "a rate rule needs rate_words or rate_pattern", _line_of(root, ("params",)))
    if rule.kind == "rate" and params.rate_pattern:
        try:
            _check_pattern(params.rate_pattern)
        except PATTERN_ERRORS as e:
            raise RuleError(sp, "params.rate_pattern", f"invalid pattern: {e}", _line_of(root, ("params", "rate_pattern"))) from None
    for key in ("markers", "list_markers", "patterns"):
        pats = getattr(params, key, []) or []
        for i, pat in enumerate(pats):
            try:
                _check_pattern(pat)
            except PATTERN_ERRORS as e:
                raise RuleError(sp, f"params.{key}.{i}", f"invalid pattern: {e or type(e).__name__}",
                                _line_of(root, ("params", key, i))) from None
        try:  # the breakdown kind joins its markers into one alternation
            if key != "patterns":
                re.compile("|".join(f"(?:{pat})" for pat in pats))
        except PATTERN_ERRORS as e:
            raise RuleError(sp, f"params.{key}", f"the patterns cannot be joined into one: {e}",
                            _line_of(root, ("params", key))) from None
    compiled: dict[str, Any] = {"params": params}
    names = KIND_NAMES[rule.kind]
    formulas: list[tuple[str, Any, tuple[str, ...]]] = [("formula", rule.formula, ("formula",))]
    for extra in ("partial_formula", "delta_formula"):
        if hasattr(params, extra):
            formulas.append((extra, getattr(params, extra), ("params", extra)))
    for key, src, loc in formulas:
        try:
            compiled[key] = parse_formula(src, names)
        except FormulaError as e:
            raise RuleError(sp, ".".join(loc), str(e), _line_of(root, loc)) from None
    rule._compiled.update(compiled)  # type: ignore[attr-defined]
    return rule


def load_rules(dirs) -> list[Rule]:
    """Every rule file (*.yaml, *.yml) in the folders, sorted by id; duplicated ids are errors."""
    from factcheck.rules.cache import rule_files

    rules: dict[str, Rule] = {}
    for d in dirs:
        d = Path(d)
        if not d.is_dir():
            what = "is not a folder (give the folder that holds the rule files)" if d.exists() else "rule folder not found"
            raise RuleError(str(d), "", what)
        for path in rule_files([d]):
            if path.name == "lexicon.yaml":
                continue
            rule = load_rule_file(path)
            if rule.id in rules:
                raise RuleError(str(path), "id", f"duplicated rule id {rule.id} (also in {rules[rule.id].path})")
            rules[rule.id] = rule
    return [rules[k] for k in sorted(rules)]
