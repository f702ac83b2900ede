"""What the rule kinds of engine.py say, through factcheck.i18n: a thin layer over their arithmetic.

engine._evaluate works out a check; this module words it as an editor's note in the run's language
(i18n.message) with the plain difference (i18n.difference) and, where the rounding of the stated
figures could explain part of it, says how much. A rule file's own `message` / `ok_message` template,
when it has one, is used instead (in the language it is written in).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from factcheck import i18n
from factcheck.i18n import N_

# the figure whose value the text states and the others recompute, per kind (the formula's left side)
STATED_ROLE: Final = {"breakdown": "total", "share": "pct", "rate": "pct", "growth": "pct", "pp_diff": "diff",
                      "average": "avg", "repeat": "second", "conflict": "second"}


def stated_claim(rule, g):
    """The claim of a check whose value the text states (the total, the percentage …), or None."""
    role = STATED_ROLE.get(rule.kind)
    got = g.roles.get(role) if role else None
    return got if got is not None and not isinstance(got, list) else None


def _fmt(d: Decimal, places: int) -> str:
    return i18n.number(d, places) if places >= 0 else i18n.number(d)


def _places(cs) -> int:
    return max(max(0, -c.exp) for c in cs)


def _exact(c) -> Decimal:
    """A claim's value in its own unit (percentages in percent)."""
    return c.value


def _in_unit(base: Decimal, c) -> Decimal:
    """A base-unit value in c's unit (a percentage's base value is a fraction: in percent)."""
    if c.unit in ("%", "‰"):
        return base * (100 if c.unit == "%" else 1000)
    return base / c.info.factor


def _shown(d: Decimal, places: int) -> Decimal:
    """d as shown with places decimals."""
    return Decimal(i18n.number(d, places)) if d.is_finite() else d


def compose(rule, g, ok: bool, arith: str, miss: Decimal | None) -> tuple[str, i18n.Difference | None]:
    """(message, plain difference or None) of a check of one of the engine's kinds. miss: how far the
    stated figure is beyond the rounding of all the figures, in the stated figure's unit (None when ok)."""
    r = g.roles
    kind = rule.kind
    if ok:
        return i18n.message("ok", arithmetic=arith), None
    diff: i18n.Difference | None = None
    msg: str
    if kind == "breakdown":
        total, parts = r["total"], r["parts"]
        units = {c.unit for c in parts}
        ref = parts[0] if len(units) == 1 and parts[0].unit != total.unit else total
        pl = _places(parts)
        vals = [_in_unit(c.base_value(), ref) for c in parts]
        s = sum(vals, Decimal(0))
        in_total = _in_unit(sum((c.base_value() for c in parts), Decimal(0)), total)
        diff = i18n.difference(_exact(total), in_total, total.unit, max(pl, _places([total])))
        key = "breakdown_mismatch" if g.formula == "formula" else "partial_exceeds"
        msg = i18n.message(key, parts=[_fmt(v, pl) for v in vals], sum=f"{_fmt(s, pl)}{ref.unit}",
                           total=total.display(), difference=diff)
    elif kind in ("share", "rate"):
        a, b = (r["part"], r["whole"]) if kind == "share" else (r["numerator"], r["denominator"])
        pct = r["pct"]
        val = a.base_value() / b.base_value() * (100 if pct.unit == "%" else 1000)
        pl = _places([pct]) + 1
        diff = i18n.difference(_exact(pct), _shown(val, pl), pct.unit, pl)
        computed = f"{_fmt(val, pl)}{pct.unit}"
        if kind == "share":
            msg = i18n.message("share_mismatch", stated=pct.display(), part=a.display(), whole=b.display(),
                               computed=computed, difference=diff)
        else:
            m = re.match(r"rate (\S+)", g.note or "")
            msg = i18n.message("rate_mismatch", rate=m.group(1) if m else i18n.pgettext("rate", "rate"),
                               stated=pct.display(), numerator=a.display(), denominator=b.display(),
                               computed=computed, difference=diff)
    elif kind == "growth":
        pct, cur = r["pct"], r["current"]
        pl = _places([pct]) + 1
        if "previous" in r:
            prev = r["previous"]
            val = (cur.base_value() - prev.base_value()) / prev.base_value() * 100
            expr = f"({cur.display()} − {prev.display()}) / {prev.display()}"
        else:
            d = r["delta"]
            sign = -1 if g.note == "down" else 1
            val = d.base_value() / (cur.base_value() - sign * d.base_value()) * 100
            expr = f"{d.display()} / ({cur.display()} {'+' if sign < 0 else '−'} {d.display()})"
        val = abs(val)
        diff = i18n.difference(_exact(pct), _shown(val, pl), pct.unit, pl)
        msg = i18n.message("growth_mismatch", stated=pct.display(), expression=expr,
                           computed=f"{_fmt(val, pl)}%", difference=diff)
    elif kind == "pp_diff":
        a, b, d = r["a"], r["b"], r["diff"]
        val = abs(_in_unit(b.base_value(), b) - _in_unit(a.base_value(), a))
        pl = _places([a, b, d])
        diff = i18n.difference(_exact(d), _shown(val, pl), d.unit, pl)
        msg = i18n.message("pp_mismatch", stated=d.display(), earlier=a.display(), later=b.display(),
                           computed=f"{_fmt(val, pl)}个百分点", difference=diff)
    elif kind == "average":
        t, n, a = r["total"], r["count"], r["avg"]
        val = _in_unit(t.base_value() / n.base_value(), a)
        pl = _places([a]) + 1
        diff = i18n.difference(_exact(a), _shown(val, pl), a.unit, pl)
        msg = i18n.message("average_mismatch", stated=a.display(), total=t.display(), count=n.display(),
                           computed=f"{_fmt(val, pl)}{a.unit}", difference=diff)
    elif kind in ("repeat", "conflict"):
        first, second = r["first"], r["second"]
        diff = i18n.difference(_exact(second), _in_unit(first.base_value(), second), second.unit,
                               _places([first, second]))
        msg = i18n.message("repeat_mismatch", first=first.display(), second=second.display(), difference=diff)
    else:  # a kind this module does not know: its arithmetic
        return arith, None
    note = rounding_note(diff, miss)
    return (msg + sentence_gap() + note if note else msg), diff


def rounding_note(diff: i18n.Difference | None, miss: Decimal | None, lang: str | None = None) -> str:
    """'文中数字的四舍五入至多能解释其中的0.5个百分点。' where the rounding of the stated figures could
    account for a good part of the difference (a third or more) but not all of it; else ''."""
    if diff is None or miss is None or not miss.is_finite() or diff.value <= 0:
        return ""
    allowance = diff.value - miss
    if allowance <= 0 or allowance * 3 < diff.value:
        return ""
    places = max(i18n.places_of(diff.value), 1) + 1
    shown = Decimal(i18n.number(allowance, places))
    if shown <= 0:
        return ""
    return i18n.message("rounding_note", lang, allowance=i18n.Difference(shown.normalize(), diff.unit))


def sentence_gap(lang: str | None = None) -> str:
    """What separates two sentences: nothing in Chinese, a space in English."""
    return "" if (lang or i18n.language()) == "zh" else " "


def figures(g) -> str:
    """The figures of a check, as the text gives them: '7%', '120亿元，7%'."""
    return i18n.listing([c.display() for v in g.roles.values() for c in (v if isinstance(v, list) else [v])])


def unverifiable(g, reason: str) -> str:
    """The message of a check that cannot be made: its figures and the reason (translated where it is one
    of the reasons the kinds give)."""
    return i18n.message("unverifiable", figures=figures(g), reason=translate_reason(reason))


# the reasons the rule kinds give for a check they cannot make (kinds.py), with their parts
REASONS: Final = (
    (re.compile(r"the figures of the share of “(?P<ref>.*)” are not both stated"),
     N_("the figures of the share of “{ref}” are not both stated")),
    (re.compile(r"the figure the share is of is not stated in its sentence"),
     N_("the figure the share is of is not stated in its sentence")),
    (re.compile(r"“(?P<ref>.*)” is not stated as a figure in the article"),
     N_("“{ref}” is not stated as a figure in the article")),
    (re.compile(r"the whole is not stated as a figure in the article"),
     N_("the whole is not stated as a figure in the article")),
    (re.compile(r"the rate's numerator is not stated in its sentence"),
     N_("the rate's numerator is not stated in its sentence")),
    (re.compile(r"the rate's numerator is not stated in the article"),
     N_("the rate's numerator is not stated in the article")),
    (re.compile(r"the rate's denominator is not stated in the article"),
     N_("the rate's denominator is not stated in the article")),
    (re.compile(r"“(?P<ref>.*)” is not stated as a figure in its sentence"),
     N_("“{ref}” is not stated as a figure in its sentence")),
    (re.compile(r"the figure that grew is not stated in its sentence"),
     N_("the figure that grew is not stated in its sentence")),
    (re.compile(r"neither the earlier figure nor the change is stated"),
     N_("neither the earlier figure nor the change is stated")),
    (re.compile(r"the two percentages are not both stated in the sentence"),
     N_("the two percentages are not both stated in the sentence")),
    (re.compile(r"the total or the count the average divides is not stated"),
     N_("the total or the count the average divides is not stated")),
)


def translate_reason(reason: str, lang: str | None = None) -> str:
    """A reason of the kinds in lang; one it does not know, as it is."""
    for pattern, msgid in REASONS:
        m = pattern.fullmatch(reason)
        if m:
            return i18n.gettext(msgid, lang).format(**m.groupdict())
    return reason
