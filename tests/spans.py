"""What a claim's span must be, whatever the code that cuts it: shared by the span tests.

Claim.text is cut as doc.text[start:end], so comparing the two proves nothing. These checks look at the
characters of the span instead: it opens with the figure's first digit or numeral, closes with the last
character of its unit (the last numeral of 百分之三十), has no space or line break at either edge, and the
normalized text of the claim maps back to exactly this span and reads as the span's own characters.
"""

from __future__ import annotations

from factcheck.extract import CN_NUM
from factcheck.normalize import FOLD, WS_CHARS, normalize

DIGITS = set("0123456789０１２３４５６７８９")
NUMERALS = DIGITS | set(CN_NUM)
EDGE_SPACE = set(WS_CHARS) | {"\n", "\r", "\u2028", "\u2029"}


def _squash(s: str) -> str:
    """Folded (full-width to ASCII) with spaces and line breaks dropped: what normalization keeps of a figure."""
    s = s.translate(FOLD).replace("，", ",")
    return "".join(ch for ch in s if ch not in EDGE_SPACE and not ch.isspace())


def span_problems(text: str, claim, norm=None, body_start: int = 0) -> list[str]:
    """Why claim's span in text (the document's text) is not the figure's own span; [] when it is."""
    c = claim
    if not (body_start <= c.start < c.end <= len(text)):
        return [f"span {c.start}:{c.end} outside the text (body from {body_start}, {len(text)} characters)"]
    raw = text[c.start:c.end]
    out = []
    first, last = raw[0], raw[-1]
    if first in EDGE_SPACE or first.isspace():
        out.append(f"{raw!r} starts with a space or line break")
    if last in EDGE_SPACE or last.isspace():
        out.append(f"{raw!r} ends with a space or line break")
    if first not in NUMERALS:
        out.append(f"{raw!r} does not start with the figure's first digit or numeral")
    folded_last = last.translate(FOLD)
    if raw.startswith("百分之"):
        if folded_last not in NUMERALS | {"点"}:
            out.append(f"{raw!r} does not end with the numeral of its 百分之 figure")
    elif folded_last != c.unit[-1:]:
        out.append(f"{raw!r} does not end with the last character of its unit {c.unit!r}")
    if c.text != raw:
        out.append(f"claim text {c.text!r} is not the span {raw!r}")
    norm = norm if norm is not None else normalize(text, body_start)
    if not (0 <= c.nstart < c.nend <= len(norm.text)):
        out.append(f"normalized span {c.nstart}:{c.nend} outside the normalized text")
        return out
    if norm.span(c.nstart, c.nend) != (c.start, c.end):
        out.append(f"normalized span {c.nstart}:{c.nend} maps back to {norm.span(c.nstart, c.nend)}, "
                   f"not to the claim's {c.start}:{c.end}")
    shown = norm.text[c.nstart:c.nend]
    if _squash(shown) != _squash(raw):
        out.append(f"normalized figure {shown!r} is not the span's own characters {raw!r}")
    return out


def assert_spans(text: str, claims, norm=None, body_start: int = 0) -> None:
    """Every claim's span is its figure's (see span_problems)."""
    norm = norm if norm is not None else normalize(text, body_start)
    bad = {f"{c.line}:{c.column} {c.text!r}": p for c in claims if (p := span_problems(text, c, norm, body_start))}
    assert not bad, "spans that are not their figure's:\n" + "\n".join(f"  {k}: {'; '.join(v)}" for k, v in bad.items())
