"""Conflicts across articles: the same fact with different figures.

Claims are grouped by a hashed fact key (place, subject, the identified set, unit, modality), so the
cost grows with the number of claims, never with its square: within a group, one representative per
file is compared with the group's first.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache

from factcheck import i18n
from factcheck.extract import Claim
from factcheck.lexicon import lexicon
from factcheck.rules.engine import Check, evaluate
from factcheck.rules.kinds import Group
from factcheck.subjects import fact_key, readable_key
from factcheck.timescope import claim_period


def article_place(text: str) -> str:
    """The place an article is about: the most frequent name ending in 区/县/市 in its text."""
    not_places, suffix = _place_words()
    counts: Counter = Counter()
    taken = 0  # names do not overlap: 金水区县 is 金水区, then 县 starts nothing
    for m in suffix.finditer(text):
        e = m.end()
        if e - 3 < taken:
            continue
        w = text[e - 3:e]
        taken = e
        if w not in not_places and w[-2:] not in not_places:
            counts[w] += 1
    return counts.most_common(1)[0][0] if counts else ""


@lru_cache(maxsize=1)
def _place_words():
    """The words that are not places, and a pattern finding each suffix (区, 县, 市) after two Chinese
    characters: the engine looks for the rare suffix, not at every Chinese character."""
    lx = lexicon()
    suffixes = re.escape("".join(lx["place_suffixes"]))
    return set(lx["not_places"]), re.compile(f"[{suffixes}](?<=[\u4e00-\u9fff]{{2}}[{suffixes}])")


def same_fact(a: Claim, b: Claim, max_ratio: float) -> bool:
    """Two mentions whose figures differ by more than max_ratio are taken as different facts."""
    return _within(abs(a.base_value()), abs(b.base_value()), _decimal(max_ratio))


def _within(x: Decimal, y: Decimal, ratio: Decimal) -> bool:
    lo, hi = min(x, y), max(x, y)
    return lo > 0 and hi / lo <= ratio


@lru_cache(maxsize=64)
def _decimal(x: float) -> Decimal:
    return Decimal(str(x))


Fact = tuple[tuple, int, str | None, bool, str]  # (group key, claim index, period, identified set?, readable key)
Member = tuple[Claim, str | None, bool, str]  # (claim, period, identified set?, readable key)


def article_facts(rule, res) -> list[Fact]:
    """The facts one article states that another may contradict: (group key, claim index, period,
    identified set?, readable key). Computed with the article (in its worker), grouped afterwards."""
    set_props = set(rule.p.set_properties)
    out: list[Fact] = []
    seen_here: set[tuple] = set()
    for c in res.claims:
        k = fact_key(c, res.claims, rule.p.min_subject_length)
        if k is None:
            continue
        is_set = k[4] == "set" and k[0] in set_props
        if k[4] == "set" and not is_set:
            continue
        gk = (res.place,) + k
        if gk in seen_here:
            continue  # later mentions in the same article are the repeat rule's concern
        seen_here.add(gk)
        shown = "/".join(x for x in (res.place, readable_key(c, res.claims)) if x)
        period = claim_period(c, res.article_time)
        if period and not period[0].isdigit():
            period = None  # 今年 in an undated article: across articles, an unknown period
        out.append((gk, c.index, period, is_set, shown))
    return out


SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


def _capped(severity: str, ceiling: str) -> str:
    """The lower of two severities: a rule's own severity is the most its findings get."""
    return severity if SEVERITY_RANK.get(severity, 2) <= SEVERITY_RANK.get(ceiling, 2) else ceiling


def find_conflicts(rules, results, approx) -> list[Check]:
    """The cross-article checks of every conflict rule in rules (each with its own parameters and
    severity), in the order of the rules."""
    checks: list[Check] = []
    for rule in rules:
        checks.extend(_conflicts_of(rule, results, approx))
    return checks


def facts_of(rule, res) -> list[Fact]:
    """The article's facts for this rule: made with the article (FileResult.facts, by rule id), else now."""
    made = res.facts
    if isinstance(made, dict):
        got = made.get(rule.id)
        if got is not None:
            return got
    return article_facts(rule, res)


def _conflicts_of(rule, results, approx) -> list[Check]:
    groups: dict[tuple, list[Member]] = {}
    for res in results:
        claims: list[Claim] = res.claims
        if res.error or not claims:
            continue
        facts: list[Fact] = facts_of(rule, res)
        for fact in facts:
            gk = fact[0]
            member: Member = (claims[fact[1]], fact[2], fact[3], fact[4])
            got = groups.get(gk)
            if got is None:
                groups[gk] = [member]
            else:
                got.append(member)
    checks: list[Check] = []
    ratio = _decimal(rule.p.max_ratio)
    dated = {res.path: res.article_time is not None for res in results}
    for gk, members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[0].path, m[0].start))  # the same pairs whatever the order of the paths
        first: Member = members[0]
        ref_size = abs(first[0].base_value())
        note = f"subject key {first[3]}"
        for k in range(1, len(members)):
            chk = compare_members(rule, first, members[k], approx, ratio, ref_size, note, dated)
            if chk is not None:
                checks.append(chk)
    return checks


def compare_members(rule, first: Member, other: Member, approx: Decimal, ratio: Decimal,
                    ref_size: Decimal | None = None, note: str | None = None,
                    dated: dict[str, bool] | None = None) -> Check | None:
    """The cross-article check of two statements of one fact: `first` (whose period, identified-set flag
    and readable key the check reports) against `other`; None when they are not compared (the same
    file, figures too far apart to be one fact, or a discrepancy between flows of different periods).
    A discrepancy between flows whose period is unknown on one side is unverifiable, naming the
    article without a date (dated: path → whether its article has a date; a path not in it counts as
    dated). ref_size and note: first's size and note, when the caller works them out once per group.
    The message is in the run's language (i18n)."""
    ref, ref_period, is_set, shown = first[0], first[1], first[2], first[3]
    c, period = other[0], other[1]
    if ref_size is None:
        ref_size = abs(ref.base_value())
    if c.path == ref.path or not _within(ref_size, abs(c.base_value()), ratio):  # same_fact
        return None
    chk = evaluate(rule, Group({"first": ref, "second": c}, note=note or f"subject key {shown}"), approx)
    if chk is None:
        return None
    same = ref_period is not None and ref_period == period and ref_period[0].isdigit()
    scope = (f"same period ({period})" if same else
             f"periods differ ({ref_period} vs {period})" if ref_period and period else "period unknown")
    chk.details.update({"subject_key": shown, "time_scope": scope,
                        "identified_set": bool(is_set)})
    said = _scope_text(same, ref_period, period, bool(is_set), i18n.language())
    if chk.status == "discrepancy":
        if is_set:
            chk.severity = _capped("error" if same else "warning", rule.severity)
        elif same:
            chk.severity = _capped("error", rule.severity)
        elif ref_period and period:
            return None  # flows over different periods do not conflict
        else:  # a flow needs its period: without one, the comparison cannot be made
            undated = next((m.path for m in (ref, c) if not (dated or {}).get(m.path, True)), None)
            reason = (i18n.message("reason_no_date", path=undated) if undated else
                      i18n.message("reason_period_unknown", figure=(c if ref_period else ref).display()))
            chk.status = "unverifiable"
            chk.details.pop("difference", None)
            chk.message = i18n.message("unverifiable", figures=i18n.listing([ref.display(), c.display()]),
                                       reason=reason)
            chk.miss = None
            chk.note = f"subject key {shown}; {scope}"
            return chk
        diff = i18n.difference(ref.value, _in_unit(c, ref), ref.unit, max(_places(ref), _places(c)))
        chk.details["difference"] = diff.as_json()
        chk.message = i18n.message("conflict_mismatch", first=ref.display(), first_path=ref.path,
                                   second=c.display(), second_path=c.path, difference=diff, scope=said)
    else:
        chk.message = i18n.message("conflict_ok", first=ref.display(), first_path=ref.path,
                                   second=c.display(), second_path=c.path, scope=said)
    chk.note = f"subject key {shown}; {scope}"
    return chk


@lru_cache(maxsize=4096)
def _scope_text(same: bool, ref_period: str | None, period: str | None, is_set: bool, lang: str) -> str:
    """The time scope of a comparison as a reader says it (the scope argument of conflict_*); the same
    few recur across a corpus: each is worded once."""
    if same:
        said = i18n.message("scope_same_period", lang, period=i18n.period_text(period, lang))
    elif ref_period and period:
        said = i18n.message("scope_periods_differ", lang, first=i18n.period_text(ref_period, lang),
                            second=i18n.period_text(period, lang))
    else:
        said = i18n.message("scope_period_unknown", lang)
    return i18n.message("scope_same_set", lang, period=said) if is_set else said


def _in_unit(c: Claim, ref: Claim) -> Decimal:
    """c's value in the unit ref is stated in."""
    if ref.unit in ("%", "‰"):
        return c.base_value() * (100 if ref.unit == "%" else 1000)
    return c.base_value() / ref.info.factor


def _places(c: Claim) -> int:
    return max(0, -c.exp)
