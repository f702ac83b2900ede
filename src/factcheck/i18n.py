"""Language of everything factcheck says: gettext catalogs (made with Babel), Chinese by default.

The English text is in the code, as gettext message ids; the Chinese text is in the catalog
`locale/zh/LC_MESSAGES/factcheck.po`, compiled to the `.mo` file beside it, which ships in the package
and which the standard library's `gettext` reads (Babel is needed only to extract, update and compile
the catalogs: see README, Design). A run has one language, chosen by `--lang` or `lang` in the
configuration and set with `use()` in the process that makes the checks (worker processes included,
pipeline.run passes it on); a function that composes text takes `lang=None` for that language.

For check messages, `message(key, lang, **args)` composes a finding from structured data (see its
docstring for the keys and their arguments), and `difference()` gives the plain difference as a
reader computes it, in the stated figure's unit.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"
DOMAIN: Final = "factcheck"
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"

_state = {"lang": DEFAULT_LANGUAGE}


def N_(msgid: str) -> str:
    """Marks a message id for extraction (pybabel extract) without translating it here."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks the two forms of a plural message for extraction (pybabel extract -k NP_:1,2)."""
    return singular, plural


def use(lang: str | None) -> str:
    """Make lang the language of this process's run; returns the language set. None keeps it."""
    if lang is not None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        _state["lang"] = lang
    return _state["lang"]


def language() -> str:
    """The language of this process's run."""
    return _state["lang"]


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of a language (English is the language of the message ids: no catalog)."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])


def _t(lang: str | None) -> _gettext.NullTranslations:
    return translations(lang or _state["lang"])


def gettext(msgid: str, lang: str | None = None) -> str:
    return _t(lang).gettext(msgid)


_ = gettext


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    return _t(lang).ngettext(singular, plural, n)


def pgettext(context: str, msgid: str, lang: str | None = None) -> str:
    return _t(lang).pgettext(context, msgid)


# ------------------------------------------------------------------ words

SEVERITIES: Final = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
STATUSES: Final = {"ok": N_("ok"), "discrepancy": N_("discrepancy"), "unverifiable": N_("unverifiable")}


def severity_word(severity: str, lang: str | None = None) -> str:
    """error → 错误, warning → 警告, info → 提示."""
    return gettext(SEVERITIES[severity], lang) if severity in SEVERITIES else severity


def status_word(status: str, lang: str | None = None) -> str:
    """ok → 无误, discrepancy → 不符, unverifiable → 无法核对."""
    return gettext(STATUSES[status], lang) if status in STATUSES else status


ROLES: Final = {
    "total": N_("total"), "part": N_("part"), "whole": N_("whole"), "pct": N_("percentage"),
    "numerator": N_("numerator"), "denominator": N_("denominator"), "current": N_("current figure"),
    "previous": N_("earlier figure"), "delta": N_("change"), "a": N_("earlier percentage"),
    "b": N_("later percentage"), "diff": N_("difference"), "avg": N_("average"), "count": N_("count"),
    "first": N_("first statement"), "second": N_("second statement"),
}
# an indexed role: parts[0] → part 1
INDEXED_ROLES: Final = {"parts": N_("part {n}")}


def role_word(role: str, lang: str | None = None) -> str:
    """A formula name as a reader says it: total → 合计, parts[0] → 分项1, first → 前一处."""
    base, _, rest = role.partition("[")
    if rest and base in INDEXED_ROLES:
        try:
            n = int(rest.rstrip("]")) + 1
        except ValueError:
            return role
        return gettext(INDEXED_ROLES[base], lang).format(n=n)
    if base in ROLES and not rest:
        return gettext(ROLES[base], lang)
    if rest:  # another kind's list (numbers[2] → number 3)
        try:
            return f"{base[:-1] if base.endswith('s') else base} {int(rest.rstrip(']')) + 1}"
        except ValueError:
            return role
    return role


def count(n: int, what: str, lang: str | None = None) -> str:
    """'5 files' / '5 个文件': a number and what it counts, in the language's plural."""
    forms = COUNTED[what]
    return ngettext(forms[0], forms[1], n, lang).format(n=n)


COUNTED: Final = {
    "file": NP_("{n} file", "{n} files"),
    "claim": NP_("{n} claim", "{n} claims"),
    "check": NP_("{n} check", "{n} checks"),
    "discrepancy": NP_("{n} discrepancy", "{n} discrepancies"),
    "error": NP_("{n} error", "{n} errors"),
    "warning": NP_("{n} warning", "{n} warnings"),
    "info": NP_("{n} info", "{n} info"),
    "unverifiable": NP_("{n} unverifiable", "{n} unverifiable"),
    "ok": NP_("{n} ok", "{n} ok"),
    "input error": NP_("{n} input error", "{n} input errors"),
    "suppressed": NP_("{n} suppressed", "{n} suppressed"),
    "rule": NP_("{n} rule file valid", "{n} rule files valid"),
}


def listing(items: list[str], lang: str | None = None) -> str:
    """Items of a list in a sentence: 'a, b, c' / 'a，b，c'."""
    return gettext(", ", lang).join(items)


def summary_line(summary, lang: str | None = None) -> str:
    """The run in one line: '5 个文件，208 个数字，42 项核对，2 处不符（2 个错误，0 个警告，0 个提示），…'."""
    d = summary.discrepancies
    total = sum(d.values())
    sev = listing([count(d.get(k, 0), k, lang) for k in ("error", "warning", "info")], lang)
    parts = [count(summary.files, "file", lang), count(summary.claims, "claim", lang),
             count(summary.checks, "check", lang),
             gettext("{discrepancies} ({by_severity})", lang).format(
                 discrepancies=count(total, "discrepancy", lang), by_severity=sev),
             count(summary.unverifiable, "unverifiable", lang), count(summary.ok, "ok", lang)]
    if summary.errors:
        parts.append(count(summary.errors, "input error", lang))
    if summary.suppressed:
        parts.append(count(summary.suppressed, "suppressed", lang))
    return listing(parts, lang)


# ------------------------------------------------------------------ periods

_PARTS: Final = {"H1": N_("first half of {year}"), "H2": N_("second half of {year}"),
                 "Q1-3": N_("first three quarters of {year}"), "Q1": N_("first quarter of {year}"),
                 "Q2": N_("second quarter of {year}"), "Q3": N_("third quarter of {year}"),
                 "Q4": N_("fourth quarter of {year}"), "todate": N_("{year} to date")}


def period_text(period: str | None, lang: str | None = None) -> str:
    """A period key of timescope.claim_period as a reader says it: 2024 → 2024年, 2024-H1 → 2024年上半年,
    2024-M1-6 → 2024年1—6月, 2024-D7-23 → 2024年截至7月23日; None → period unknown."""
    if not period:
        return gettext("period unknown", lang)
    year, _, part = period.partition("-")
    if not year.isdigit():
        return period
    if not part:
        return gettext("{year}", lang).format(year=year)
    if part in _PARTS:
        return gettext(_PARTS[part], lang).format(year=year)
    if part.startswith("D") and "-" in part:
        m, _, d = part[1:].partition("-")
        return gettext("{year} up to {month}/{day}", lang).format(year=year, month=m, day=d)
    if part.startswith("M") and "-" in part:
        a, _, b = part[1:].partition("-")
        return gettext("months {first}–{last} of {year}", lang).format(first=a, last=b, year=year)
    return period


# ------------------------------------------------------------------ numbers and differences

PERCENT_UNITS: Final = {"%": "个百分点", "‰": "个千分点"}


def number(d: Decimal, places: int | None = None) -> str:
    """A decimal as a reader writes it: rounded to places (half up, as figures are rounded), no exponent,
    no trailing zeros when places is None; ∞ for infinity."""
    if not d.is_finite():
        return "∞" if d > 0 else "-∞"
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP", context=_wide(d, places))
        return format(d, "f")
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _wide(d: Decimal, places: int):
    from decimal import Context, getcontext

    need = max(d.adjusted(), 0) + max(places, 0) + 2
    ctx = getcontext()
    return ctx if need <= ctx.prec else Context(prec=need, rounding=ctx.rounding, Emax=ctx.Emax, Emin=ctx.Emin)


def places_of(d: Decimal) -> int:
    """Decimal places a figure is written with (12.50 → 2, 600 → 0)."""
    e = d.as_tuple().exponent
    return max(0, -e) if isinstance(e, int) else 0


@dataclass(frozen=True)
class Difference:
    """The plain difference between a stated figure and what the text's other figures give: what a
    reader gets by subtracting the two numbers shown, in the stated figure's unit (个百分点 for shares
    and rates)."""

    value: Decimal  # never negative
    unit: str

    def text(self, lang: str | None = None) -> str:
        """'9亿元', '0.4个百分点' (English: '0.4 percentage points')."""
        v = number(self.value)
        if self.unit in ("个百分点", "个千分点") and (lang or _state["lang"]) == "en":
            word = "percentage point" if self.unit == "个百分点" else "per-mille point"
            return f"{v} {word}{'' if self.value == 1 else 's'}"
        return f"{v}{self.unit}"

    def as_json(self) -> dict:
        """{'value': '9', 'unit': '亿元', 'text': '9亿元'}: the report's form (language-neutral)."""
        return {"value": number(self.value), "unit": self.unit, "text": f"{number(self.value)}{self.unit}"}


def difference_unit(unit: str) -> str:
    """The unit a difference of figures in unit is stated in: % → 个百分点, ‰ → 个千分点, else unit."""
    return PERCENT_UNITS.get(unit, unit)


def difference(stated: Decimal, computed: Decimal, unit: str, places: int | None = None) -> Difference:
    """The plain difference between a stated figure and the value recomputed for it, both in the stated
    figure's unit (percentages in percent), as a reader subtracts the numbers shown: to the larger number
    of decimal places of the two (or places), trailing zeros dropped. 632 and 623 (亿元) → 9亿元;
    16 and 10.2 (%) → 5.8个百分点."""
    if places is None:
        places = max(places_of(stated), places_of(computed))
    gap = abs(stated - computed)
    if gap.is_finite():
        gap = gap.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP", context=_wide(gap, places))
    return Difference(gap.normalize() if gap.is_finite() and gap != 0 else (gap if not gap.is_finite() else Decimal(0)),
                      difference_unit(unit))


# ------------------------------------------------------------------ messages

MESSAGES: Final = {
    # discrepancies
    "breakdown_mismatch": N_("The parts do not add up to the total: {parts} = {sum}, the text gives {total}, "
                             "a difference of {difference}."),
    "partial_exceeds": N_("The parts listed add up to more than their total: {parts} = {sum}, the text gives "
                          "{total}, {difference} too many."),
    "share_mismatch": N_("The share does not match its figures: the text gives {stated}, {part} / {whole} = "
                         "{computed}, a difference of {difference}."),
    "rate_mismatch": N_("The {rate} does not match its figures: the text gives {stated}, {numerator} / "
                        "{denominator} = {computed}, a difference of {difference}."),
    "growth_mismatch": N_("The growth rate does not match its figures: the text gives {stated}, {expression} = "
                          "{computed}, a difference of {difference}."),
    "pp_mismatch": N_("The change in percentage points does not match: the text gives {stated}, {later} − "
                      "{earlier} = {computed}, a difference of {difference}."),
    "average_mismatch": N_("The average does not match its figures: the text gives {stated}, {total} / {count} = "
                           "{computed}, a difference of {difference}."),
    "repeat_mismatch": N_("The same figure is given twice with different values: {first} before, {second} here, "
                          "a difference of {difference}."),
    "conflict_mismatch": N_("Two articles give the same fact different values: {first} in {first_path}, {second} "
                            "in {second_path}, a difference of {difference} ({scope})."),
    # passing and unverifiable checks
    "ok": N_("Checked: {arithmetic}."),
    "conflict_ok": N_("Two articles agree on the same fact: {first} in {first_path}, {second} in {second_path} "
                      "({scope})."),
    "unverifiable": N_("Cannot check {figures}: {reason}."),
    # what is said besides the difference
    "rounding_note": N_("The rounding of the stated figures accounts for at most {allowance} of it."),
    "slip_truncated": N_("{stated} looks like {computed} cut off rather than rounded."),
    "slip_decimal_point": N_("{stated} looks like {intended} with its decimal point lost."),
    "slip_magnitude": N_("{stated} looks like {intended} with its {magnitude} dropped."),
    "slip_other_total": N_("{stated} is the share of another total: {part} / {other_total} = {computed}."),
    "slip_carried_over": N_("{stated} is the figure of the line above ({source}), carried over."),
    "slip_other_sum": N_("The parts add up to another figure of the text: {sum}, the {other} ({where})."),
    # the time scope of a cross-article comparison
    "scope_same_set": N_("the same identified set; {period}"),
    "scope_same_period": N_("the same period: {period}"),
    "scope_periods_differ": N_("different periods: {first} and {second}"),
    "scope_period_unknown": N_("period unknown"),
    # reasons a check cannot be made
    "reason_no_date": N_("{path} has no date and no reference date was given (--date, date in the "
                         "configuration, or date: in the article's front matter), so the period is unknown"),
    "reason_period_unknown": N_("the period of {figure} is unknown"),
    "reason_implausible": N_("the figures found for it give {computed} against the stated {stated}, too far apart "
                             "to be its operands"),
    "reason_arithmetic": N_("the arithmetic cannot be done ({error})"),
}


def _arg(v, lang: str | None) -> str:
    if isinstance(v, Difference):
        return v.text(lang)
    if isinstance(v, Decimal):
        return number(v)
    if isinstance(v, (list, tuple)):
        return " + ".join(_arg(x, lang) for x in v)
    return str(v)


def message(kind_key: str, lang: str | None = None, **args) -> str:
    """A check's message (an editor's note) composed from structured data, in lang (None: the run's).

    Each argument is a str (a figure as the text gives it, '69个', '27.36亿元'), a Decimal (written
    without exponent or trailing zeros), a Difference (from difference(); its text in lang) or, where
    said, a list (joined with ' + '). A missing argument is a KeyError: every key needs all of its own.

    Discrepancies (each ends with the plain difference; add 'rounding_note' where rounding matters):
      breakdown_mismatch   parts (list), sum, total, difference
                           分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。
      partial_exceeds      parts (list), sum, total, difference      (a partial list exceeds its total)
      share_mismatch       stated, part, whole, computed, difference
                           占比与数字不符：文中为16%，27.36亿元 / 267.37亿元 = 10.2%，相差5.8个百分点。
      rate_mismatch        rate (its name in the text: 开工率), stated, numerator, denominator, computed, difference
      growth_mismatch      stated, expression ('(120亿元 − 100亿元) / 100亿元'), computed, difference
      pp_mismatch          stated, earlier, later, computed, difference   (percentage-point change)
      average_mismatch     stated, total, count, computed, difference
      repeat_mismatch      first, second, difference                 (the same figure restated differently)
      conflict_mismatch    first, first_path, second, second_path, difference, scope
                           (cross-article; scope: a scope_* text)
    Passing and unverifiable checks:
      ok                   arithmetic ('103亿元 / 350亿元 = 29.43% ≈ 29.4%')
      conflict_ok          first, first_path, second, second_path, scope
      unverifiable         figures ('7%', or '120亿元，7%': i18n.listing), reason (a reason_* text)
    Said besides the difference:
      rounding_note        allowance (what rounding of the stated figures can account for, a Difference)
      slip_truncated       stated, computed         (a percentage truncated rather than rounded)
      slip_decimal_point   stated, intended         (a decimal point lost)
      slip_magnitude       stated, intended, magnitude ('万', '亿': a magnitude dropped)
      slip_other_total     stated, part, other_total, computed   (a share computed on another total)
      slip_carried_over    stated, source           (a figure carried over from the line above)
      slip_other_sum       sum, other, where        (the parts add up to another stated figure)
    Time scopes of a cross-article comparison (the scope argument of conflict_*):
      scope_same_set       period (period_text())
      scope_same_period    period
      scope_periods_differ first, second
      scope_period_unknown (none)
    Reasons (the reason argument of unverifiable):
      reason_no_date       path (the article without a date)
      reason_period_unknown figure
      reason_implausible   computed, stated
      reason_arithmetic    error
    """
    template = gettext(MESSAGES[kind_key], lang)
    return template.format(**{k: _arg(v, lang) for k, v in args.items()})


def rule_title(rule, lang: str | None = None) -> str:
    """A rule's title in lang: the rule file's docs.title (docs.zh.title in Chinese), else its name."""
    d = rule_docs(rule, lang)
    return d.get("title") or rule.name


def rule_docs(rule, lang: str | None = None) -> dict:
    """{'title', 'what', 'why'} of a rule in lang: the rule file's docs, and docs.zh for Chinese (each
    key that docs.zh lacks is the docs' own)."""
    docs = rule.docs
    base = {"title": getattr(docs, "title", "") or "", "what": docs.what, "why": docs.why}
    zh = getattr(docs, "zh", None) if (lang or _state["lang"]) == "zh" else None
    if zh is not None:  # a dict (rules read from the cache) or the schema's DocsText
        for k in ("title", "what", "why"):
            v = zh.get(k) if isinstance(zh, dict) else getattr(zh, k, "")
            if v:
                base[k] = v
    return base


WINDOWS: Final = {"clause": N_("clause"), "sentence": N_("sentence"), "paragraph": N_("paragraph"),
                   "article": N_("article"), "corpus": N_("across articles")}


def window_word(window: str, lang: str | None = None) -> str:
    """Where a rule's figures may be: sentence → 句子, corpus → 跨稿件."""
    return gettext(WINDOWS[window], lang) if window in WINDOWS else window


META_KEYS: Final = {"title": N_("title"), "date": N_("date"), "source": N_("source")}


def meta_key(key: str, lang: str | None = None) -> str:
    """A front-matter key as a reader says it: title → 标题."""
    return gettext(META_KEYS[key], lang) if key in META_KEYS else key


QUALIFIERS: Final = {"approx": N_("approx"), "lower": N_("at least"), "lower_bounded": N_("more than"),
                     "upper": N_("at most"), "range": N_("range")}
MODALITIES: Final = {"actual": N_("actual"), "target": N_("target")}


def qualifier_word(q: str | None, lang: str | None = None) -> str:
    """A claim's qualifier as a reader says it (approx → 约数); '' for none."""
    if not q:
        return ""
    return gettext(QUALIFIERS[q], lang) if q in QUALIFIERS else q


def modality_word(m: str, lang: str | None = None) -> str:
    """actual → 实绩, target → 目标."""
    return gettext(MODALITIES[m], lang) if m in MODALITIES else m
