"""Evaluate rules over articles: bind claims to formula names, compare intervals, write checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final
from decimal import Context, Decimal, getcontext

from factcheck import i18n
from factcheck.extract import DEFAULT_APPROX, Claim
from factcheck.rules.intervals import INF, Interval
from factcheck.rules.kinds import KINDS, Article, Group, is_pct, repeat
from factcheck.rules import wording
from factcheck.subjects import fact_key


@dataclass
class Check:
    rule: str
    name: str
    kind: str
    severity: str
    status: str  # ok / discrepancy / unverifiable
    message: str
    claims: list[tuple[str, Claim]]  # (role, claim)
    stated: str | None = None
    recomputed: str | None = None
    tolerance: str | None = None
    miss: str | None = None
    note: str = ""
    details: dict = field(default_factory=dict)

    def __reduce__(self):
        """Pickled as the tuple of its fields (see Claim.__reduce__)."""
        return (Check, (self.rule, self.name, self.kind, self.severity, self.status, self.message, self.claims,
                        self.stated, self.recomputed, self.tolerance, self.miss, self.note, self.details))

    @property
    def path(self) -> str:
        return self.claims[0][1].path if self.claims else ""

    def sort_key(self):
        c = min((c for _, c in self.claims), key=lambda c: (c.path, c.start), default=None)
        return (c.path, c.start, c.end) if c else ("", 0, 0), self.rule, tuple((r, x.path, x.start) for r, x in self.claims)


def natural(c: Claim, approx: Decimal, as_stated: bool = False) -> Interval:
    """A claim's interval in the unit its formula reads: base units, percentages in percent.

    as_stated: a bound (超500亿元, 82个以上) counts as its stated figure: a restatement of a bound
    must restate the same figure."""
    key = ("natural", approx, as_stated)  # a figure takes part in several checks: worked out once
    got = c.extra.get(key)
    if got is not None:
        return got
    lo, hi = c.interval(approx, as_stated)
    if is_pct(c):  # shares and rates in percent, as the formulas read them (12‰ is 1.2)
        scale = Decimal(100)
        lo, hi = lo * scale, (hi * scale if hi != INF else INF)
    got = c.extra[key] = Interval(lo, hi)
    return got


def rounded(d: Decimal, places: int) -> Decimal:
    """d rounded to places decimal places, in a context wide enough for the result (a quantize beyond the
    context's precision would raise InvalidOperation: a figure of 40 digits, a constant such as 1e30)."""
    if not d.is_finite():
        return d
    need = max(d.adjusted(), 0) + places + 2
    ctx = getcontext()
    if need > ctx.prec:
        ctx = Context(prec=need, rounding=ctx.rounding, Emax=ctx.Emax, Emin=ctx.Emin)
    return d.quantize(Decimal(1).scaleb(-places), context=ctx)


def fmt(d: Decimal, places: int | None = None) -> str:
    if d.is_infinite():
        return "∞"
    if places is not None:
        d = rounded(d, places) if places >= 0 else d
    s = format(d.normalize(), "f") if places is None else format(d, "f")
    if "." in s and places is None:
        s = s.rstrip("0").rstrip(".")
    return s


def in_unit(v: Decimal, c: Claim) -> Decimal:
    """A base-unit value expressed in the claim's stated unit."""
    if is_pct(c):
        return v
    return v / c.info.factor


def places_of(cs: list[Claim]) -> int:
    return max(max(0, -c.exp) for c in cs)


def check_article(rules, art: Article, approx: Decimal = DEFAULT_APPROX) -> list[Check]:
    checks: list[Check] = []
    for rule in rules:
        if rule.kind == "conflict":
            continue
        if rule.kind == "repeat":
            groups = repeat(rule, art, lambda c, a: fact_key(c, a.claims, rule.p.min_subject_length, False))
        else:
            groups = KINDS[rule.kind](rule, art)
        window = rule.window
        for g in groups:
            if not within_window(window, g):
                continue
            chk = evaluate(rule, g, approx)
            if chk is not None:
                checks.append(chk)
    return checks


def within_window(window: str, g: Group) -> bool:
    """Whether a group's figures lie within the rule's window: one clause, one sentence or one paragraph
    of the article (article and corpus: anywhere in it; corpus also across articles, for the
    cross-article rule). The kinds look for figures no farther than their window allows."""
    if window in ("article", "corpus"):
        return True
    cs = [c for v in g.roles.values() for c in (v if isinstance(v, list) else [v]) if c is not None]
    if len(cs) < 2:
        return True
    if window == "paragraph":
        return len({c.para for c in cs}) == 1
    if window == "sentence":
        return len({c.sent for c in cs}) == 1
    return len({(c.sent, c.clause_start) for c in cs}) == 1  # clause


MEMO_KINDS: tuple[str, ...] = ("repeat", "conflict")  # a figure restated in many places: the same comparison many times
MEMO_SIZE: Final = 4096


def _stated(c: Claim) -> tuple:
    """Everything of a figure that its check reads: two figures alike in these check alike. (The unit's
    fields rather than the UnitInfo: they compare the same, and hash without a call into Python.)"""
    i = c.info
    return c.value, c.exp, c.unit, i.unit, i.dim, i.base, i.factor, c.qualifier, c.value_high, c.text


def evaluate(rule, g: Group, approx: Decimal) -> Check | None:
    claims: list[tuple[str, Claim]] = []
    for role, v in g.roles.items():
        if isinstance(v, list):
            claims.extend((f"{role}[{i}]", c) for i, c in enumerate(v))
        else:
            claims.append((role, v))
    if rule.kind not in MEMO_KINDS or g.unverifiable:
        return _evaluate(rule, g, approx, claims)
    # The same fact stated alike in many articles is compared with its first statement many times: the
    # outcome is worked out once per rule and per pair of stated figures, and each check gets its own
    # figures and its own copy of the details (the cross-article step adds to them).
    memo = rule.__dict__.setdefault("_memo", {})
    key = (approx, i18n.language(), g.formula, g.note, tuple((role, _stated(v)) for role, v in g.roles.items()))
    done = memo.get(key)
    if done is None:
        done = _evaluate(rule, g, approx, claims)
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = done
    if done is None:
        return None
    return Check(done.rule, done.name, done.kind, done.severity, done.status, done.message, claims,
                 stated=done.stated, recomputed=done.recomputed, tolerance=done.tolerance, miss=done.miss,
                 note=done.note, details=dict(done.details))


def _evaluate(rule, g: Group, approx: Decimal, claims: list) -> Check | None:
    if g.unverifiable:
        msg = wording.unverifiable(g, g.unverifiable)
        return Check(rule.id, rule.name, rule.kind, rule.severity, "unverifiable", msg, claims, note=g.note)
    # a restated bound must restate the same figure (超500亿元 / 500亿元以上); a bound and a figure
    # agree when the figure lies within the bound (突破15万户 / 15.86万户)
    quals = {v.qualifier for v in g.roles.values() if not isinstance(v, list)}
    st = rule.kind in ("repeat", "conflict") and len(quals) == 1 and quals <= {"lower", "upper"}
    env: dict[str, Any] = {k: ([natural(c, approx, st) for c in v] if isinstance(v, list)
                               else natural(v, approx, st)) for k, v in g.roles.items()}
    formula = rule.compiled if g.formula == "formula" else rule.extra_formula(g.formula)
    if rule.kind == "growth" and g.note == "down":
        env = dict(env)
        env["pct"] = -env["pct"]
        if "delta" in env:
            env["delta"] = -env["delta"]
    try:
        ok, left, right = formula.evaluate(env)
    except (ZeroDivisionError, ArithmeticError) as e:
        msg = wording.unverifiable(g, i18n.message("reason_arithmetic", error=str(e)))
        return Check(rule.id, rule.name, rule.kind, rule.severity, "unverifiable", msg, claims, note=g.note)
    if not ok and rule.kind not in ("repeat", "conflict") and not _plausible(left, right, rule.plausible_ratio):
        reason = i18n.message("reason_implausible", computed=fmt(rounded(right.mid, 2)), stated=fmt(left.mid))
        return Check(rule.id, rule.name, rule.kind, rule.severity, "unverifiable", wording.unverifiable(g, reason),
                     claims, note=g.note, details={"formula": formula.source, "implausible": True})
    arith, stated, recomputed = arithmetic(rule, g, formula, env, ok)
    # the stated figure: the total, the percentage … (the formula's left side), whose unit the
    # difference and the tolerance are given in
    ref = wording.stated_claim(rule, g) or next(c for _, c in claims)
    miss = None
    gap_in_unit: Decimal | None = None
    if not ok and not left.gap(right).is_infinite():
        gap_in_unit = _in_unit_of(left.gap(right), ref)
        miss = f"{fmt(rounded(gap_in_unit, _places_for(gap_in_unit, ref)))}{_unit_of_gap(ref)}"
    custom = rule.message if not ok else rule.ok_message
    details: dict = {"formula": formula.source}
    if custom:  # the rule file's own wording
        values = {"arithmetic": arith, "stated": stated, "recomputed": recomputed, "miss": miss or "0",
                  "relation": formula.source}
        for role, v in g.roles.items():
            values[role] = ", ".join(c.display() for c in v) if isinstance(v, list) else v.display()
        try:
            message = custom.format(**values)
        except (KeyError, IndexError, ValueError):
            message = arith
    else:
        message, diff = wording.compose(rule, g, ok, arith, gap_in_unit)
        if diff is not None:
            details["difference"] = diff.as_json()
    unit = "%" if is_pct(ref) and ref.unit not in ("%", "‰") else ref.unit
    places = max(0, -ref.exp) + 2
    tol = (f"[{fmt(rounded(_in_unit_of(left.lo, ref), places))}, {fmt(rounded(_in_unit_of(left.hi, ref), places))}]{unit} vs "
           f"[{fmt(rounded(_in_unit_of(right.lo, ref), places))}, {fmt(rounded(_in_unit_of(right.hi, ref), places))}]{unit}")
    return Check(rule.id, rule.name, rule.kind, rule.severity, "ok" if ok else "discrepancy", message, claims,
                 stated=stated, recomputed=recomputed, tolerance=tol, miss=miss, note=g.note,
                 details=details)


def _in_unit_of(v: Decimal, ref: Claim) -> Decimal:
    """A value of a formula (base units; percentages in percent) in the unit ref is stated in (per mille:
    ten times the percent)."""
    if not v.is_finite() or ref.info.dim == "[percentage_point]":
        return v
    if is_pct(ref):
        return v * 10 if ref.unit == "‰" else v
    return v / ref.info.factor


def _unit_of_gap(ref: Claim) -> str:
    """The unit a gap between figures like ref is given in: percentage points for percentages."""
    return i18n.difference_unit(ref.unit) if is_pct(ref) else ref.unit


def _places_for(gap: Decimal, ref: Claim) -> int:
    """Decimal places of a gap: one more than the stated figure's, and enough to show a small gap."""
    places = max(0, -ref.exp) + 1
    while places < 8 and gap != 0 and rounded(gap, places) == 0:
        places += 1
    return places


def _plausible(stated: Interval, recomputed: Interval, ratio) -> bool:
    """Whether a failing relation is a slip in a figure rather than figures that do not belong together."""
    if stated.hi == INF:
        return True
    a = abs(stated.mid)
    # the nearest value the recomputed side admits (38 / 82个以上 admits anything up to 46.3%)
    b = abs(min(max(stated.mid, recomputed.lo), recomputed.hi))
    if a == 0 or b == 0:
        return True
    r = Decimal(str(ratio))
    return a / r <= b <= a * r


def arithmetic(rule, g: Group, formula, env, ok: bool) -> tuple[str, str, str]:
    """The one-line arithmetic a reader can check: '22 + 29 + 19 = 70 ≠ 69个'."""
    r = g.roles
    neq = "≠" if not ok else "="
    if rule.kind == "breakdown":
        total, parts = r["total"], r["parts"]
        units = {c.unit for c in parts}
        # the parts in their own unit when they share one (2万元 + 1万元 = 3万元 ≠ 0.0004亿元)
        ref = parts[0] if len(units) == 1 and parts[0].unit != total.unit else total
        pl = places_of(parts)
        vals = [in_unit(c.base_value(), ref) for c in parts]
        s = sum(vals, Decimal(0))
        expr = " + ".join(fmt(v, pl) for v in vals)
        if g.formula == "formula":
            return f"{expr} = {fmt(s, pl)}{ref.unit} {neq} {total.display()}", total.display(), f"{fmt(s, pl)}{ref.unit}"
        rel = "≤" if ok else ">"
        partial = i18n.gettext("(the parts of a partial breakdown)")
        return f"{expr} = {fmt(s, pl)}{ref.unit} {rel} {total.display()} {partial}", \
            total.display(), f"{fmt(s, pl)}{ref.unit}"
    if rule.kind in ("share", "rate"):
        a, b = (r["part"], r["whole"]) if rule.kind == "share" else (r["numerator"], r["denominator"])
        pct = r["pct"]
        val = a.base_value() / b.base_value() * (100 if pct.unit == "%" else 1000)
        pl = max(places_of([pct]), 1) + 1
        return (f"{a.display()} / {b.display()} = {fmt(val, pl)}{pct.unit} {neq if not ok else '≈'} {pct.display()}",
                pct.display(), f"{fmt(val, pl)}{pct.unit}")
    if rule.kind == "growth":
        pct, cur = r["pct"], r["current"]
        pl = max(places_of([pct]), 1) + 1
        if "previous" in r:
            prev = r["previous"]
            val = (cur.base_value() - prev.base_value()) / prev.base_value() * 100
            expr = f"({cur.display()} − {prev.display()}) / {prev.display()}"
        else:
            d = r["delta"]
            sign = -1 if g.note == "down" else 1
            val = d.base_value() / (cur.base_value() - sign * d.base_value()) * 100
            expr = f"{d.display()} / ({cur.display()} {'+' if sign < 0 else '−'} {d.display()})"
        shown = abs(val)
        return f"{expr} = {fmt(shown, pl)}% {neq if not ok else '≈'} {pct.display()}", pct.display(), f"{fmt(shown, pl)}%"
    if rule.kind == "pp_diff":
        a, b, d = r["a"], r["b"], r["diff"]
        val = abs(natural(b, DEFAULT_APPROX).mid - natural(a, DEFAULT_APPROX).mid)
        pl = places_of([a, b, d])
        return (f"{b.display()} − {a.display()} = {fmt(val, pl)}个百分点 {neq} {d.display()}", d.display(),
                f"{fmt(val, pl)}个百分点")
    if rule.kind == "average":
        t, n, a = r["total"], r["count"], r["avg"]
        val = in_unit(t.base_value() / n.base_value(), a)
        pl = places_of([a]) + 1
        return f"{t.display()} / {n.display()} = {fmt(val, pl)}{a.unit} {neq if not ok else '≈'} {a.display()}", \
            a.display(), f"{fmt(val, pl)}{a.unit}"
    if rule.kind in ("repeat", "conflict"):
        a, b = r["first"], r["second"]
        return f"{a.display()} {neq} {b.display()}", b.display(), a.display()
    lhs = formula.value("lhs", env)
    rhs = formula.value("rhs", env)
    return f"{fmt(lhs)} {neq} {fmt(rhs)}", fmt(lhs), fmt(rhs)
