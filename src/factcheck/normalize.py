"""Width folding, hard-wrap joining and an offset map back to the original text.

The normalized text joins the lines of a hard-wrapped paragraph (also across a blank line that falls
inside a sentence or between a number and its unit), drops spaces around Chinese text and numbers
(`2 月 18 日` → `2月18日`), folds full-width digits and signs to ASCII, and separates real paragraphs
with a blank line. Every normalized position maps back to an original offset (piecewise, by segments).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Final

# Full-width forms folded to ASCII (length-preserving). Chinese punctuation (，：；！？（）) is kept.
_FOLD_SRC: Final = "０１２３４５６７８９．％＋－／～＝＜＞＃＆＊＠" + "".join(chr(c) for c in range(0xFF21, 0xFF3B)) + \
    "".join(chr(c) for c in range(0xFF41, 0xFF5B))
_FOLD_DST: Final = "0123456789.%+-/~=<>#&*@" + "".join(chr(c) for c in range(0x41, 0x5B)) + \
    "".join(chr(c) for c in range(0x61, 0x7B))
FOLD: Final = str.maketrans(_FOLD_SRC, _FOLD_DST)

TERMINAL: Final = set("。！？!?；;：:…—")
CLOSERS: Final = "”’」』）)】》\"' "
UNIT_START: Final = set("元万亿千百个项家户人名条件次套栋支批座所台辆场处间张份天小年月%‰亩平公吨米倍箱余多")
NUMERIC_END: Final = set("0123456789.万亿千百十余多")
MD_BLOCK: Final = re.compile(r"^\s*(#{1,6}\s|>|\||[-*+]\s|\d+[.)]\s|<!--)")
# zero-width characters (space, non-joiner, joiner, word joiner, a BOM inside the text): dropped wherever
# they are, so 6\u200b9个 reads as 69个
ZERO_WIDTH: Final = "\u200b\u200c\u200d\u2060\ufeff"
WS_CHARS: Final = " \t\u3000\u00a0\u2002\u2003\u2009\f\v" + ZERO_WIDTH
WS_RUN: Final = re.compile("[" + WS_CHARS + "]+")
_ALNUM: Final = re.compile(r"[0-9A-Za-z]")
# 1，234: a full-width comma between thousands (opens with the comma, which the engine finds quickly)
_FULLWIDTH_COMMA_IN_NUMBER: Final = re.compile(r"，(?<=[0-9０-９]，)(?=[0-9０-９]{3}(?![0-9０-９]))")
_FOLDABLE: Final = re.compile("[" + re.escape(_FOLD_SRC) + "]")
_FOLD1: Final = {a: b for a, b in zip(_FOLD_SRC, _FOLD_DST)}


def _terminal(line: str) -> bool:
    s = line.rstrip(CLOSERS)
    return bool(s) and s[-1] in TERMINAL


@dataclass
class Normalized:
    """Normalized text plus the map back to the original: segments (norm_start, orig_start, stride)."""

    text: str
    starts: list[int]  # normalized start of each segment
    origs: list[int]  # original offset of each segment's first character
    strides: list[int]  # 1 for copied text, 0 for inserted characters (paragraph breaks, spaces)
    source_len: int

    def to_orig(self, i: int) -> int:
        """Original offset of normalized position i (i == len(text) maps to the end)."""
        if i >= len(self.text):
            return self.source_len
        k = bisect.bisect_right(self.starts, i) - 1
        return self.origs[k] + (i - self.starts[k]) * self.strides[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalized span [start, end)."""
        if end <= start:
            o = self.to_orig(start)
            return o, o
        return self.to_orig(start), self.to_orig(end - 1) + 1


def normalize(text: str, start: int = 0) -> Normalized:
    """Normalize text[start:] (the article body) with an offset map into text."""
    raws = text[start:].split("\n")  # each line without its newline
    offs = list(itertools.accumulate([len(r) + 1 for r in raws[:-1]], initial=start))  # original offsets
    nlines = len(raws)
    stripped = [r.strip() for r in raws]
    blank = [not t for t in stripped]
    widths = [2 * len(t) - len(t.encode("ascii", "ignore")) for t in stripped]  # columns: non-ASCII counts two
    # blocks of consecutive non-blank lines
    wrapped = [widths[i] for i in range(nlines - 1) if not blank[i] and not blank[i + 1]]
    wrapped.sort()
    file_width = wrapped[len(wrapped) // 2] if len(wrapped) >= 3 else None

    full = [False] * nlines  # the line is as wide as the widest other line of its block, near enough
    i = 0
    while i < nlines:
        if blank[i]:
            i += 1
            continue
        j = i
        while j + 1 < nlines and not blank[j + 1]:
            j += 1
        if j > i:
            top = sorted(widths[i:j + 1], reverse=True)[:2]
            for k in range(i, j + 1):
                # the widest other line of the block (the line itself may be the widest)
                ref = top[1] if widths[k] == top[0] else top[0]
                full[k] = ref > 0 and widths[k] >= 0.8 * ref
        elif file_width:
            full[i] = widths[i] >= 0.8 * file_width
        i = j + 1

    built = _Builder()

    # widths and joins are decided on the lines as written; what is copied comes from the folded text
    # (both folds keep every character's offset)
    folded = _fold(text)
    spaces = [ch for ch in WS_CHARS if ch in folded]  # the kinds of space the text has at all
    space = spaces[0] if len(spaces) == 1 else None  # usually one: tested on each line directly
    prev = None  # index of previous non-blank line
    first = next((k for k in range(nlines) if not blank[k]), None)  # the title line
    gap_blank = False
    p_line = ""
    p_md = False
    for k in range(nlines):
        if blank[k]:
            if prev is not None:
                gap_blank = True
            continue
        raw = raws[k]
        off = offs[k]
        content = raw.rstrip()
        lead = stripped[k]
        md = (lead[0] in _MD_FIRST or lead[0].isdigit()) and MD_BLOCK.match(content) is not None
        if prev is not None:
            split = _numeric_split(p_line, content)
            title = (lead[0] in _DATELINE_FIRST and DATELINE.match(lead)) or (prev == first and _title(p_line, content))
            if title and not split:
                built.emit("\n\n", offs[prev] + len(raws[prev]), 0)  # a headline stands alone
            elif _join(p_line, content, gap_blank, full[prev], p_md, md, split):
                a, b = p_line[-1:], lead[:1]
                if a.isascii() and a.isalpha() and b.isascii() and b.isalpha():
                    built.emit(" ", off, 0)
            else:
                built.emit("\n\n", offs[prev] + len(raws[prev]), 0)
        line = folded[off:off + len(content)]
        if (space in line) if space is not None else (spaces and any(ch in line for ch in spaces)):
            _emit_line(line, off, built)
        elif line:
            built.copy_line(line, off)
        prev = k
        p_line = content
        p_md = md
        gap_blank = False
    return Normalized("".join(built.out), built.starts, built.origs, built.strides, len(text))


DATELINE: Final = re.compile(r"(?:本报讯|本报记者|本报通讯员|记者[ \u3000]|通讯员|（记者|\(记者|新华社|据[\u4e00-\u9fff]{2,6}消息)")
_DATELINE_FIRST: Final = frozenset("本记通（(新据")


def _title(line: str, nxt: str) -> bool:
    """The first line is a headline (not the start of a wrapped sentence): long enough, no sentence
    punctuation, and either a two-part headline (a space between phrases) or a body that opens with a date."""
    t = line.strip()
    if len(t) < 6 or any(ch in t for ch in "，、；：。！？,;:!?"):
        return False
    return bool(re.search(r"[\u4e00-\u9fff0-9%][ \u3000]+[\u4e00-\u9fff]", t)) or bool(DATE_OPENING.match(nxt.lstrip()))


DATE_OPENING: Final = re.compile(r"(?:(?:19|20)\d{2}年|\d{1,2}月\d{1,2}日|近日|日前|今年以来|[一二三四五六七八九十]{1,3}月)[^，,。]{0,6}[，,]")


def _numeric_split(prev: str, nxt: str) -> bool:
    """311.2亿 / 元: a number and its unit split by a line break."""
    head = nxt.lstrip()[:1]
    tail = prev.rstrip()[-1:]
    head, tail = _FOLD1.get(head, head), _FOLD1.get(tail, tail)
    return tail in NUMERIC_END and head in UNIT_START and (tail.isdigit() or tail in "万亿")


_MD_FIRST: Final = frozenset("#>|-*+<")


def _join(prev: str, nxt: str, blank_between: bool, prev_full: bool, prev_md: bool, nxt_md: bool,
          split: bool) -> bool:
    """Whether a line continues the previous one (md: the line opens a Markdown block; split: a number
    and its unit are cut by the break)."""
    if prev_md and (prev.lstrip().startswith(("#", "<!--")) or blank_between) or nxt_md:
        return False
    if split:
        return True
    if _terminal(prev):
        return not blank_between and prev_full
    if not blank_between:
        return True
    return prev_full


def _fold(text: str) -> str:
    """Full-width digits and signs to ASCII, and 1，234 to 1,234 (every character keeps its offset)."""
    if _FOLDABLE.search(text):
        text = text.translate(FOLD)
    return _FULLWIDTH_COMMA_IN_NUMBER.sub(",", text)


class _Builder:
    """The normalized text as it is made: its pieces and the segments of the offset map."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.starts: list[int] = []
        self.origs: list[int] = []
        self.strides: list[int] = []
        self.length = 0

    def emit(self, s: str, orig: int, stride: int) -> None:
        if not s:
            return
        starts, strides = self.starts, self.strides
        if stride == 1 and starts and strides[-1] == 1 and self.origs[-1] + (self.length - starts[-1]) == orig:
            pass  # contiguous with the previous copied segment
        else:
            starts.append(self.length)
            self.origs.append(orig)
            strides.append(stride)
        self.out.append(s)
        self.length += len(s)

    def copy_line(self, line: str, orig: int) -> None:
        """A line copied whole: never a continuation of the copied text before it (a newline is dropped)."""
        self.starts.append(self.length)
        self.origs.append(orig)
        self.strides.append(1)
        self.out.append(line)
        self.length += len(line)


def _emit_line(folded: str, off: int, built: _Builder) -> None:
    """Copy one folded line, dropping spaces that are not between two ASCII letters/digits."""
    pos = 0
    for m in WS_RUN.finditer(folded):
        a, b = m.start(), m.end()
        keep = a > 0 and b < len(folded) and _ALNUM.match(folded[a - 1]) and _ALNUM.match(folded[b]) \
            and folded[a:b].strip(ZERO_WIDTH) != ""
        built.emit(folded[pos:a], off + pos, 1)
        if keep:
            built.emit(" ", off + a, 1)
        pos = b
    built.emit(folded[pos:], off + pos, 1)
