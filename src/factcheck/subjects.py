"""Subject keys: which fact a figure states, normalized so that two mentions of it hash alike."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from factcheck.extract import Claim
from factcheck.lexicon import lexicon, strip_affixes, word_suffix


class _Tables:
    """The lexicon's subject word lists, read once."""

    def __init__(self, lx: dict) -> None:
        syn: dict[str, str] = {}
        for group in lx["synonyms"]:
            for w in group:
                syn[w] = group[0]
        self.syn = syn  # a synonym → the first word of its group
        self.syn_re: re.Pattern[str] | None = \
            re.compile("|".join(sorted(map(re.escape, syn), key=len, reverse=True))) if syn else None
        verbs = sorted(lx["subject_split_verbs"], key=len, reverse=True)
        self.verb_re: re.Pattern[str] = re.compile("^.*(?:" + "|".join(map(re.escape, verbs)) + ")")
        self.strip_left: re.Pattern[str] = re.compile(
            "^(?:" + "|".join(map(re.escape, sorted(lx["subject_strip_left"], key=len, reverse=True))) + ")")
        self.strip_right: re.Pattern[str] = re.compile(
            "(?:" + "|".join(map(re.escape, sorted(lx["subject_strip_right"], key=len, reverse=True))) + ")$")
        self.generic: set[str] = set(lx["generic_subjects"])
        self.sets: set[str] = set(lx["set_subjects"])
        self.set_lengths: tuple[int, ...] = tuple(sorted({len(w) for w in self.sets if w}, reverse=True))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables(lexicon())


def _set_tail(subj: str) -> str | None:
    """The longest set word (总投资, 项目 …) the subject ends with."""
    t = _tables()
    return word_suffix(subj, t.sets, t.set_lengths) or None


# a percentage whose subject only says it is a change (比上年增长5.8%) names no fact of its own
CHANGE_ONLY: Final = re.compile(r"(?:比上年|较上年|比去年|较去年|同比|环比|比上年同期|较上年同期)?(?:增长|下降|提高|增加|减少|降低|上升|回落)?")
PLACE: Final = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:区|县|市)(?=[\u4e00-\u9fff]{2})")


@lru_cache(maxsize=65536)
def normalize_subject(s: str, threshold: str | None = None) -> str:
    t = _tables()
    syn, syn_re, verb_re, strip_left, strip_right = t.syn, t.syn_re, t.verb_re, t.strip_left, t.strip_right
    if threshold:
        s = s.replace(threshold, "")
    if syn_re is not None:
        s = syn_re.sub(lambda m: syn[m.group()], s)
    s = re.sub(r"[\d.,%]+|[‘’\"'·\s]", "", s)
    s = s.replace("以上", "").replace("以下", "")
    masked = re.sub(r"“[^”]*”", lambda m: "＿" * len(m.group()), s)  # no verb inside a quoted name
    m = verb_re.match(masked)
    if m and m.end() < len(s) - 1:
        s = s[m.end():]
    s = PLACE.sub("", s)
    s = s.replace("“", "").replace("”", "")
    s = strip_affixes(s, strip_left, strip_right) or s
    if syn_re is not None:
        s = syn_re.sub(lambda m: syn[m.group()], s)
    return s


def is_generic(s: str) -> bool:
    return s in _tables().generic


def anchor_of(c: Claim, claims: list[Claim], subj: str = "") -> Claim | None:
    """The count that identifies the set an amount belongs to (项目360个，总投资2380亿元)."""
    if c.dim == "[count]" or subj not in _tables().sets:
        return None
    prev = [x for x in claims[max(0, c.index - 3): c.index] if x.seg == c.seg and x.dim == "[count]" and not x.in_paren]
    if prev and c.nstart - prev[-1].nend <= 12:
        return prev[-1]
    nxt = claims[c.index + 1] if c.index + 1 < len(claims) else None
    if nxt is not None and nxt.dim == "[count]" and nxt.clause_start == c.nend and nxt.nstart - c.nend <= 10:
        return nxt  # 总投资1208亿元的产业项目97个
    return None


def readable_key(c: Claim, claims: list[Claim]) -> str:
    """The subject key as a reader sees it (the grouping key orders its characters)."""
    subj, anchor = _subject_and_anchor(c, claims)
    if anchor is not None:
        return f"{subj}/{format(anchor.value.normalize(), 'f')}{anchor.classifier}{normalize_subject(anchor.subject, anchor.threshold)}"
    return subj


def _subject_and_anchor(c: Claim, claims: list[Claim]) -> tuple[str, Claim | None]:
    """The normalized subject and the anchoring count of a figure (the repeat rule and the
    cross-article facts both ask: worked out once per figure)."""
    got = c.extra.get("subject_and_anchor")
    if got is None:
        subj = normalize_subject(c.subject, c.threshold)
        tail = _set_tail(subj)
        if tail:
            subj = tail  # 重点项目集中开工总投资 → 总投资 (of the set counted just before it)
        got = c.extra["subject_and_anchor"] = (subj, anchor_of(c, claims, subj))
    return got


def fact_key(c: Claim, claims: list[Claim], min_len: int = 2, anchor_subject: bool = True) -> tuple | None:
    """(subject, anchor, unit dimension, classifier, modality) or None when the subject is too vague."""
    if c.in_paren or c.threshold == "__self__" or c.subject.startswith("等"):
        return None
    if c.index > 0 and c.index < len(claims) and claims[c.index - 1] is not c:
        prev = claims[c.index - 1]
        if prev.sent == c.sent and prev.subject == c.subject and c.subject:
            return None  # the subject of the figure before it (增长8.5% of 地区生产总值): no fact of its own
    subj, anchor = _subject_and_anchor(c, claims)
    if anchor is not None:
        a_subj = normalize_subject(anchor.subject, anchor.threshold) if anchor_subject else ""
        if anchor_subject and (len(a_subj) < min_len or is_generic(a_subj) or anchor.subject.startswith("等")):
            return None
        anchor_key = f"{format(anchor.value.normalize(), 'f')}{anchor.classifier}{a_subj}"
        return (subj or "?", anchor_key, c.dim, "", "set")
    if len(subj) < min_len or is_generic(subj) or (c.unit in ("%", "‰") and CHANGE_ONLY.fullmatch(subj)):
        return None
    cls = c.classifier if c.dim == "[count]" else c.unit if c.unit in ("%", "‰") else ""
    if cls in ("个", "项", "件"):
        cls = "个"
    # the same words in another order name the same thing (城镇新增就业 / 新增城镇就业)
    return ("".join(sorted(subj)), "", c.dim, cls, c.modality)
