"""Issue 6: the whole pipeline runs in time linear in its input on adversarial texts.

Each case is a file of 1,000,000 characters (up to 3 MB of UTF-8) built to make a regular expression
backtrack or a scan go quadratic: long runs of digits, 亿, Chinese numerals, `1.1.1.…`, `%%%`, digits
alternating with units, `，`, unclosed “ and （, no line break at all, and 1 MB of newlines.
pipeline.process runs on the file (read, normalize, extract, every built-in rule) in a child process,
so that a blow-up fails the test after TIMEOUT seconds instead of hanging the suite. The bound asserted
is loose (BOUND seconds) so that only a real blow-up fails; the measured times are printed
(`pytest -s` shows them) and, when FACTCHECK_ADVERSARIAL_TIMINGS names a file, written there as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.documents import MAX_FIGURES

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1_000_000  # characters; one line stays under documents.MAX_LINE_CHARS, so it is checked, not refused
BOUND = 20.0  # seconds: the asserted bound
TIMEOUT = 90  # seconds: the child is killed after this (a blow-up)


def rep(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


CASES = {
    "digits": rep("1234567890"),
    "digits-one-run-then-unit": "9" * (SIZE - 2) + "亿元",
    "yi-run": rep("亿"),
    "wan-yi-alternating": rep("万亿"),
    "chinese-numerals-jumbled": rep("一二三四五六七八九十百千万亿"),
    "chinese-numerals-valid": rep("三千五百万"),
    "chinese-numerals-with-unit": rep("三千五百万元"),
    "dotted-1.1.1": rep("1."),
    "percent-run": rep("%"),
    "digit-percent-alternating": rep("5%"),
    "digit-unit-alternating": rep("1个"),
    "digit-yiyuan-alternating": rep("3亿元"),
    "digit-newline-unit": rep("7\n个"),
    "fullwidth-comma-run": rep("，"),
    "digit-fullwidth-comma": rep("1，"),
    "thousands-commas": rep("1,234,"),
    "open-quote-run": rep("“"),
    "open-quote-digits": rep("“12个"),
    "open-paren-run": rep("（"),
    "open-paren-digits": rep("（3个"),
    "percent-words-run": rep("百分之"),
    "qualifiers-run": rep("约近超逾"),
    "range-dashes": rep("1-"),
    "no-line-breaks-article": rep("全区共有项目69个其中甲类项目22个乙类项目29个丙类项目18个"),
    "one-line-real-sentences": rep("全区共有项目69个，其中甲类项目22个，乙类项目29个，丙类项目18个。"),
    "newlines-only": "\n" * SIZE,
    "one-char-lines": rep("一\n"),
    "digit-lines": rep("1\n"),
    "short-sentence-lines": rep("项目3个。\n"),
    "blank-line-between-number-and-unit": rep("311.2\n\n亿元，"),
    "spaces-between": rep(" 1 个 "),
    "front-matter-fences": "---\n" + rep("---\n", SIZE - 8) + "---\n",
}

CHILD = r"""
import json, sys, time
from factcheck.pipeline import process
from factcheck.rules.loader import rules_for_run
rules = rules_for_run()
t = time.perf_counter()
r = process(sys.argv[1], rules)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": round(elapsed, 3), "claims": len(r.claims), "checks": len(r.checks),
                  "error": r.error, "chars": r.chars}))
"""

TIMINGS: dict[str, object] = {}


@pytest.fixture(scope="module", autouse=True)
def record_timings():
    yield
    if TIMINGS:
        target = os.environ.get("FACTCHECK_ADVERSARIAL_TIMINGS")
        if target:
            Path(target).write_text(json.dumps(TIMINGS, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        width = max(map(len, TIMINGS))
        print("\nadversarial timings (pipeline.process on 1,000,000 characters):")
        for name in sorted(TIMINGS):
            print(f"  {name:<{width}}  {TIMINGS[name]}")


@pytest.mark.parametrize("case", list(CASES))
def test_pipeline_is_linear_on_adversarial_text(tmp_path, case):
    text = CASES[case]
    assert len(text) == SIZE
    path = tmp_path / f"{case}.txt"
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, FACTCHECK_CACHE_DIR=str(tmp_path / "cache"))
    start = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                           timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        TIMINGS[case] = f"> {TIMEOUT} s (killed)"
        pytest.fail(f"{case}: pipeline.process did not finish in {TIMEOUT} s on {SIZE} characters")
    wall = time.perf_counter() - start
    assert r.returncode == 0, r.stderr[-3000:]
    result = json.loads(r.stdout.strip().splitlines()[-1])
    TIMINGS[case] = f"{result['seconds']:.2f} s ({result['claims']} claims, {result['checks']} checks; " \
                    f"child wall {wall:.1f} s)"
    print(f"{case}: {TIMINGS[case]}")
    # checked to the end, not crashed; a text of more figures than an article has (documents.MAX_FIGURES)
    # is refused once extraction has read that many: its cost is bounded by that limit
    assert result["error"] is None or result["error"].startswith(f"more than {MAX_FIGURES} figures"), result["error"]
    assert result["claims"] <= MAX_FIGURES
    assert result["chars"] == len(text)
    assert result["seconds"] < BOUND, f"{case}: {result['seconds']} s for {SIZE} characters"
