"""Claims golden test: every numeric claim of seeds 000 and 004, listed by hand in
tests/data/claims_gold/*.yaml, against what extraction finds.

A gold entry is `at: "context[raw]context"`, a string that occurs once in the article once its line
breaks are removed (located the way /work/shared/eval/score.py's locate() does), with its value, unit
and optional qualifier. Extracted claims are matched to gold entries by span overlap (one to one);
extracted claims that overlap a `doubtful:` entry count neither way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from factcheck.documents import read_document
from factcheck.extract import extract
from factcheck.units import unit_info

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "claims_gold"
SEEDS = ROOT / "seeds"
MIN_RECALL = 0.97
MIN_PRECISION = 0.97

# gold qualifiers name a kind; the extractor distinguishes 余/多 (lower_bounded: 20余 = 20 … 29)
# from an open lower bound (lower: 不低于, 以上)
KIND = {None: None, "approx": "approx", "lower": "lower", "lower_bounded": "lower", "upper": "upper",
        "range": "range"}
# dimensions where the classifier is part of the claim (家 is not 个, 人 is not 名): units must match
# as written; for measures (小时 / 个小时, 天) the same unit under two spellings is the same unit
CLASSIFIER_DIMS = {"[count]", "[person]"}


def locate(text: str, operand: str, file: str) -> tuple[int, int]:
    """Find 'context [number] context' in text whose line breaks are ignored (as score.py locate())."""
    plain = operand.replace("[", "").replace("]", "")
    joined, index = [], []
    for i, ch in enumerate(text):
        if ch not in "\r\n":
            joined.append(ch)
            index.append(i)
    joined_s = "".join(joined)
    at = joined_s.find(plain)
    assert at >= 0, f"gold entry not found in {file}: {operand!r}"
    assert joined_s.find(plain, at + 1) < 0, f"gold entry occurs twice in {file}: {operand!r}"
    m = re.search(r"\[(.*?)\]", operand)
    lo = operand.index("[") if m else 0
    hi = lo + len(m.group(1)) if m else len(plain)
    return index[at + lo], index[at + hi - 1] + 1


def same_unit(gold: str, got: str) -> bool:
    if gold == got:
        return True
    a, b = unit_info(gold), unit_info(got)
    return (a is not None and b is not None and a.dim not in CLASSIFIER_DIMS
            and (a.dim, a.base, a.factor) == (b.dim, b.base, b.factor))


@dataclass
class Result:
    file: str
    gold: int = 0
    matched: int = 0
    extracted: int = 0  # not overlapping a doubtful entry
    correct: int = 0
    misses: list[str] = field(default_factory=list)  # gold entries not found
    extras: list[str] = field(default_factory=list)  # extracted claims that match no gold entry
    wrong: list[str] = field(default_factory=list)  # matched, but value, unit or qualifier differ


def score_file(gold_path: Path) -> Result:
    g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    doc = read_document(str(SEEDS / g["file"]))
    claims = extract(doc)
    gold = [(locate(doc.text, e["at"], g["file"]), e) for e in g["claims"]]
    doubtful = [locate(doc.text, e["at"], g["file"]) for e in g.get("doubtful") or []]
    res = Result(g["file"], gold=len(gold))

    def overlaps(span, c) -> bool:
        return span[0] < c.end and c.start < span[1]

    considered = [c for c in claims if not any(overlaps(d, c) for d in doubtful)]
    res.extracted = len(considered)
    used: set[int] = set()
    for span, entry in gold:
        cands = [c for c in considered if overlaps(span, c) and id(c) not in used]
        where = f"{g['file']}:{doc.text.count(chr(10), 0, span[0]) + 1}"
        if not cands:
            res.misses.append(f"{where} {entry['at']!r} ({entry['value']} {entry['unit']})")
            continue
        c = cands[0]
        used.add(id(c))
        res.matched += 1
        want_q = entry.get("qualifier")
        if c.value != Decimal(str(entry["value"])) or not same_unit(entry["unit"], c.unit) \
                or KIND.get(c.qualifier, c.qualifier) != want_q:
            res.wrong.append(f"{where} {entry['at']!r}: gold {entry['value']} {entry['unit']} {want_q or ''}, "
                             f"got {c.value} {c.unit} {c.qualifier or ''}")
    res.correct = len(used)
    for c in considered:
        if id(c) not in used:
            res.extras.append(f"{g['file']}:{c.line}:{c.column} {c.text!r} ({c.value} {c.unit})")
    return res


@pytest.fixture(scope="module")
def results() -> list[Result]:
    files = sorted(GOLD_DIR.glob("*.yaml"))
    assert [p.stem[:3] for p in files] == ["000", "004"]
    out = [score_file(p) for p in files]
    for r in out:
        print(f"\n{r.file}: recall {r.matched}/{r.gold}, precision {r.correct}/{r.extracted}")
        for line in r.misses:
            print("  miss   ", line)
        for line in r.extras:
            print("  extra  ", line)
        for line in r.wrong:
            print("  wrong  ", line)
    return out


def totals(results):
    gold = sum(r.gold for r in results)
    matched = sum(r.matched for r in results)
    extracted = sum(r.extracted for r in results)
    correct = sum(r.correct for r in results)
    return matched / gold, correct / extracted, (matched, gold, correct, extracted)


def test_gold_files_are_well_formed():
    for p in sorted(GOLD_DIR.glob("*.yaml")):
        g = yaml.safe_load(p.read_text(encoding="utf-8"))
        assert (SEEDS / g["file"]).is_file()
        assert len(g["claims"]) >= 50
        for e in g["claims"] + (g.get("doubtful") or []):
            assert e["at"].count("[") == 1 and e["at"].count("]") == 1, e
            Decimal(str(e["value"]))
            assert e.get("qualifier") in (None, "approx", "lower", "upper", "range"), e


def test_recall(results):
    recall, _, (matched, gold, _, _) = totals(results)
    print(f"\nclaims recall {matched}/{gold} = {recall:.4f}")
    misses = [m for r in results for m in r.misses]
    assert recall >= MIN_RECALL, "missed:\n" + "\n".join(misses)


def test_precision(results):
    _, precision, (_, _, correct, extracted) = totals(results)
    print(f"\nclaims precision {correct}/{extracted} = {precision:.4f}")
    extras = [m for r in results for m in r.extras]
    assert precision >= MIN_PRECISION, "not in the gold:\n" + "\n".join(extras)


def test_matched_claims_have_the_gold_value_unit_and_qualifier(results):
    wrong = [w for r in results for w in r.wrong]
    assert not wrong, "\n".join(wrong)
