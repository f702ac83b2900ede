"""A rule's `window` bounds how far apart the figures of one check may lie (issue: the key had no effect)."""

from __future__ import annotations

import copy

import pytest

from factcheck.rules.loader import rules_for_run
from factcheck.rules.validate import run_example

# the total in one sentence, its parts in the next; all in one paragraph
ACROSS_SENTENCES = "项目总数69个。其中A项目22个，B项目29个，C项目19个。"
# a headline figure restated in the body: two paragraphs
RESTATED = "截至目前，已上报新签约项目11个，签约金额213亿元。\n\n前方传来捷报，目前新签约项目12个、签约金额213亿元。"


def with_window(rule_id: str, window: str):
    rule = copy.copy(next(r for r in rules_for_run() if r.id == rule_id))
    rule.window = window
    return rule


def statuses(rule_id: str, window: str, text: str) -> list[str]:
    return [c.status for c in run_example(with_window(rule_id, window), text) if c.rule == rule_id]


@pytest.mark.parametrize("window, expected", [
    ("clause", []), ("sentence", []), ("paragraph", ["discrepancy"]), ("article", ["discrepancy"])])
def test_window_bounds_a_breakdown_across_sentences(window, expected):
    assert statuses("FC101", window, ACROSS_SENTENCES) == expected


@pytest.mark.parametrize("window, expected", [("sentence", []), ("paragraph", []), ("article", ["discrepancy", "ok"])])
def test_window_bounds_a_restatement_across_paragraphs(window, expected):
    assert sorted(statuses("FC701", window, RESTATED)) == expected


def test_window_clause_keeps_a_relation_inside_one_clause():
    """A share stated inside one clause (its part, whole and percentage) passes a clause window."""
    rule = copy.copy(next(r for r in rules_for_run() if r.id == "FC201"))
    text = "完成投资103亿元，占年度计划350亿元的29.4%。"
    rule.window = "sentence"
    assert [c.status for c in run_example(rule, text) if c.rule == "FC201"] == ["ok"]
    rule.window = "clause"  # 103亿元 is in the clause before the share's
    assert [c.status for c in run_example(rule, text) if c.rule == "FC201"] == []


def test_built_in_windows_are_wide_enough_for_their_kinds():
    """Each built-in rule's window holds every relation its kind binds in the seeds (the windows are
    set to what the kinds look for, so declaring them changed no check)."""
    from factcheck.rules import engine

    narrow = {r.id: r.window for r in rules_for_run() if r.window in ("clause", "sentence", "paragraph")}
    assert narrow == {"FC401": "paragraph", "FC501": "sentence"}
    from factcheck.rules.kinds import Group

    assert engine.within_window("article", Group({})) is True
