"""Issue 6, hostile input: rule formulas never run code, YAML is loaded safely, the HTML report escapes
everything that comes from articles, rules and configuration."""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from factcheck.rules.formula import FormulaError, parse_formula
from factcheck.rules.schema import RuleError, load_rule_file, load_rules

import rulefixtures

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"


def cli(args, tmp_path, env=None, timeout=120):
    e = dict(os.environ, FACTCHECK_CACHE_DIR=str(tmp_path / "cache"), **(env or {}))
    return subprocess.run([sys.executable, "-m", "factcheck", *map(str, args)], capture_output=True, text=True,
                          env=e, timeout=timeout)


def write_rule(folder: Path, formula=None, **changes) -> Path:
    """The fixture breakdown rule (tests/data/rules/breakdown.yaml, FC901) with a formula or keys of its own."""
    if formula is not None:
        changes["formula"] = formula
    return rulefixtures.write_rule(folder, rulefixtures.rule_data("breakdown", **changes), "FC901.yaml")


# --- formulas never run code ----------------------------------------------------------------------------------

HOSTILE_FORMULAS = {
    "import": "__import__('os').system('touch {marker}') == total",
    "import-name-only": "total == __import__",
    "builtins": "total == __builtins__",
    "attribute": "total.real == sum(parts)",
    "dunder-attribute": "().__class__.__base__.__subclasses__() == total",
    "method-on-whitelisted": "sum.__call__(parts) == total",
    "eval-call": "eval('1') == total",
    "exec-call": "exec('import os') == total",
    "open-call": "len(open('/etc/passwd').read()) == total",
    "call-of-call": "sum(parts)(1) == total",
    "keyword-argument": "total == sum(parts, start=1)",
    "starred": "total == sum(*parts)",
    "lambda": "(lambda: 1)() == total",
    "lambda-value": "total == (lambda x: x)",
    "list-comprehension": "total == sum([p for p in parts])",
    "generator": "total == sum(p for p in parts)",
    "set-comprehension": "total == sum({p for p in parts})",
    "dict-comprehension": "total == sum({p: p for p in parts})",
    "subscript": "total == parts[0]",
    "slice": "total == sum(parts[1:])",
    "string": "total == 'abc'",
    "bytes": "total == b'abc'",
    "f-string": "total == f'{total}'",
    "f-string-code": "f\"{__import__('os').system('touch {marker}')}\" == total",
    "walrus": "(x := total) == sum(parts)",
    "ternary": "total == (1 if total else 2)",
    "boolean-op": "total == sum(parts) and total == 1",
    "not": "not total == sum(parts)",
    "chained-comparison": "0 <= total <= sum(parts)",
    "in": "total in parts",
    "is": "total is sum(parts)",
    "power": "total == 9 ** 9 ** 9 ** 9",
    "floor-division": "total == sum(parts) // 1",
    "modulo": "total == sum(parts) % 7",
    "shift": "total == 1 << 10 ** 9",
    "bitwise-invert": "total == ~sum(parts)",
    "tuple": "total == (1, 2)",
    "list": "total == [1, 2]",
    "dict": "total == {1: 2}",
    "set": "total == {1, 2}",
    "ellipsis": "total == ...",
    "none": "total == None",
    "bool": "total == True",
    "complex": "total == 1j",
    "infinite-literal": "total == sum(parts) + 1e999",
    "division-by-literal-zero": "total == sum(parts) / 0",
    "unknown-name": "total == sum(parts) + os",
    "semicolon-statement": "total == sum(parts); import os",
    "newline-statement": "total == sum(parts)\nimport os",
    "yield": "total == (yield)",
    "await": "total == (await parts)",
    "no-relation": "sum(parts)",
    "assignment": "total = sum(parts)",
    "two-relations": "total == sum(parts) == 1",
    "nul-byte": "total == sum(parts)\x00",
    "10000-nested-parentheses": "(" * 10_000 + "total" + ")" * 10_000 + " == sum(parts)",
    "300-nested-parentheses-short": "(" * 240 + "total" + ")" * 240 + "==1",
    "deep-unary-minus": "-" * 480 + "total == sum(parts)",
    "deep-calls": "abs(" * 90 + "total" + ")" * 90 + " == 1",
    "long-sum-chain": "total == " + " + ".join(["1"] * 240),
    "100k-characters": "total == " + " + ".join(["sum(parts)"] * 8_000),
    "100k-nested-parentheses": "(" * 50_000 + "total" + ")" * 50_000 + " == 1",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FORMULAS))
def test_hostile_formula_is_refused_at_load(tmp_path, case):
    marker = tmp_path / "PWNED"
    formula = HOSTILE_FORMULAS[case].replace("{marker}", str(marker))
    path = write_rule(tmp_path / "rules", formula)
    with pytest.raises(RuleError) as e:
        load_rule_file(path)
    assert e.value.path == str(path)
    assert e.value.key == "formula", str(e.value)
    assert str(e.value).count("\n") == 0 and len(str(e.value)) < 600  # one short line, not the formula echoed
    assert not marker.exists()


@pytest.mark.parametrize("case", ["10000-nested-parentheses", "100k-characters", "100k-nested-parentheses",
                                  "deep-unary-minus", "deep-calls", "long-sum-chain"])
def test_deep_formulas_are_refused_even_without_the_length_limit(monkeypatch, case):
    """The length limit is one guard; the parser's and the converter's depth limits are the other: with the
    length limit lifted, deep nesting is still a FormulaError, never a RecursionError or a crash."""
    import factcheck.rules.formula as formula

    monkeypatch.setattr(formula, "MAX_LENGTH", 10**7)
    with pytest.raises(FormulaError):
        parse_formula(HOSTILE_FORMULAS[case], {"total", "parts"})


def test_hostile_formula_in_a_run_and_in_validate(tmp_path):
    marker = tmp_path / "PWNED"
    folder = tmp_path / "rules"
    write_rule(folder, HOSTILE_FORMULAS["import"].replace("{marker}", str(marker)))
    for args in ([SEEDS, "--rules", folder], ["rules", "--validate", folder]):
        r = cli(args, tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert "FC901.yaml" in r.stderr and "formula" in r.stderr and "not allowed" in r.stderr
    assert not marker.exists()


def test_allowed_formulas_still_load(tmp_path):
    """The whitelist refuses the above and nothing an honest rule needs."""
    for f in ["total == sum(parts)", "total >= sum(parts)", "-total <= -sum(parts)", "total == max(parts) + min(parts)",
              "abs(total - sum(parts)) <= 0.5", "100 * total / 3 == 2.5", "total == +sum(parts)",
              "(((total))) == (sum(parts))", "total == " + " + ".join(["1"] * 20)]:
        rule = load_rule_file(write_rule(tmp_path / "rules", f))
        assert rule.compiled.source == f


# --- YAML is loaded safely -----------------------------------------------------------------------------------

UNSAFE_TAGS = {
    "object-apply": '!!python/object/apply:os.system ["touch {marker}"]',
    "object-new": '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "object": "!!python/object:argparse.Namespace {x: 1}",
}


@pytest.mark.parametrize("case", sorted(UNSAFE_TAGS))
def test_unsafe_yaml_tag_in_a_rule_is_refused_and_not_run(tmp_path, case):
    marker = tmp_path / "PWNED"
    text = rulefixtures.with_block(rulefixtures.rule_text(rulefixtures.rule_data("breakdown")), "severity",
                                   "severity: " + UNSAFE_TAGS[case].replace("{marker}", str(marker)))
    line = rulefixtures.line_of(text, "severity:")
    folder = tmp_path / "rules"
    rulefixtures.write_rule(folder, text, "FC901.yaml")
    with pytest.raises(RuleError) as e:
        load_rules([folder])
    assert "FC901.yaml" in str(e.value) and "constructor" in str(e.value)
    for args in ([SEEDS, "--rules", folder], ["rules", "--validate", folder]):
        r = cli(args, tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr and f"FC901.yaml:{line}:" in r.stderr
    assert not marker.exists()


def test_the_pwned_rule_file_is_refused_and_does_not_run(tmp_path):
    """tests/data/hostile/pwned_rule/FC990.yaml: `!!python/object/apply:os.system ["echo pwned > …"]`."""
    marker = tmp_path / "PWNED"
    env = {"FACTCHECK_PWNED_MARKER": str(marker)}
    folder = HOSTILE / "pwned_rule"
    r1 = cli(["rules", "--validate", folder], tmp_path, env)
    r2 = cli([SEEDS, "--rules", folder, "--format", "json"], tmp_path, env)
    for r in (r1, r2):
        assert r.returncode == 2, r.stderr
        assert "FC990.yaml:6:" in r.stderr and "could not determine a constructor" in r.stderr
        assert "Traceback" not in r.stderr and "pwned" not in r.stdout
    assert r2.stdout == ""
    assert not marker.exists()
    # the same file through an unsafe loader would have run the command: the test can detect a regression
    os.environ["FACTCHECK_PWNED_MARKER"] = str(marker)
    try:
        yaml.unsafe_load((folder / "FC990.yaml").read_text(encoding="utf-8"))
    finally:
        del os.environ["FACTCHECK_PWNED_MARKER"]
    assert marker.exists()


def test_unsafe_yaml_in_front_matter_is_not_run(tmp_path):
    marker = tmp_path / "PWNED"
    art = tmp_path / "a.md"
    art.write_text(f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
                   "全区共有项目69个，其中甲类项目22个，乙类项目29个，丙类项目19个。\n", encoding="utf-8")
    r = cli([art, "--format", "json"], tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr  # the article is still checked
    assert '"discrepancy"' in r.stdout
    assert not marker.exists()


def test_no_unsafe_evaluation_in_the_source():
    """No eval/exec, no sympify of rule text, no unsafe YAML loader, no pickle anywhere in the package."""
    bad = re.compile(r"(?<![\w.])(eval|exec)\(|sympify\(|parse_expr\(|yaml\.unsafe_load|yaml\.full_load|"
                     r"Loader=yaml\.(Loader|FullLoader|UnsafeLoader)|import (pickle|marshal)|(pickle|marshal)\.load")
    hits = []
    for p in sorted((ROOT / "src" / "factcheck").rglob("*.py")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if bad.search(code) and "mode=\"eval\"" not in code:
                hits.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()}")
    assert hits == []


# --- the HTML report escapes everything -------------------------------------------------------------------

class _Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.script_text, self.text = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.script_text if self._in_script else self.text).append(data)


PAYLOADS = {
    "article": "<script>alert('fc-article')</script>",
    "article-attr": '"><img src=x onerror=alert(\'fc-attr\')>',
    "path": "<b onmouseover=alert('fc-path')>",
    "rule-message": "<iframe src=javascript:alert('fc-msg')>",
    "rule-docs": "<svg onload=alert('fc-docs')>",
    "config": "<a href=javascript:alert('fc-config')>",
}


def test_html_report_escapes_articles_rules_and_configuration(tmp_path):
    folder = tmp_path / f"articles{PAYLOADS['path']}"
    folder.mkdir()
    article = folder / f"x{PAYLOADS['path']}.txt"
    article.write_text(f"标题{PAYLOADS['article']}\n\n全区共有项目69个{PAYLOADS['article-attr']}，其中甲类项目22个，"
                       f"乙类项目29个，丙类项目19个。\n", encoding="utf-8")
    rules = tmp_path / "rules"
    write_rule(rules, message=PAYLOADS["rule-message"] + " {arithmetic}",
               docs={"what": PAYLOADS["rule-docs"], "why": PAYLOADS["rule-docs"]})
    cfg = tmp_path / "factcheck.toml"
    cfg.write_text(f'[per-file-ignores]\n"{PAYLOADS["config"]}" = ["FC701"]\n', encoding="utf-8")
    r = cli([folder, "--rules", rules, "--config", cfg, "--format", "html"], tmp_path)
    assert r.returncode == 1, r.stderr
    page = r.stdout
    assert page.lstrip().lower().startswith("<!doctype html") and "<html" in page.lower()
    scan = _Scan()
    scan.feed(page)
    text = "".join(scan.text)
    # every payload reached the page as text (so the test is not vacuous) …
    for name in ("article", "path", "rule-message"):
        assert PAYLOADS[name] in text, f"{name} payload not shown on the page"
    # … and none of it became markup: no element, attribute or script came from the inputs
    assert "iframe" not in scan.tags and "img" not in scan.tags and "svg" not in scan.tags
    assert not [a for a in scan.attrs if a[1].startswith("on")], [a for a in scan.attrs if a[1].startswith("on")]
    assert not [a for a in scan.attrs if "javascript:" in a[2].lower()]
    assert not any("alert(" in s for s in scan.script_text)
    for p in PAYLOADS.values():
        assert p not in page  # never verbatim in the markup
