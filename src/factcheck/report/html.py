"""One self-contained HTML file for a reviewer: a summary, every discrepancy with its arithmetic and a
link to its place, and each article's text with every claim highlighted by the outcome of its checks.

The run does not keep the articles' text, so it is read again from disk (documents.read_document, the
same reading the run used, so the claims' offsets apply); a figure whose text no longer matches (the
file changed since) is not highlighted. Everything from an article, its path included, goes through
Jinja2's autoescape, and a Content-Security-Policy forbids scripts: a hostile article can neither run
code nor render as markup. Jinja2 is imported only when this format is asked for. The page is in the
run's language (the template's text goes through factcheck.i18n's catalogs); an article's front matter
is not part of its text as shown. A cross-article finding counts for every file it has a figure in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck import i18n
from factcheck.report.labels import archived, archived_note, role_label

RANK = {None: 0, "ok": 1, "unverifiable": 2, "discrepancy": 3}

TEMPLATE = "templates/report.html"  # beside this module; shipped as package data



@dataclass
class _Fig:
    role: str
    text: str
    where: str
    anchor: str


@dataclass
class _Item:
    chk: object
    anchor: str
    figs: list = field(default_factory=list)
    title: str = ""
    reason: str = ""


@dataclass
class _Seg:
    text: str
    cls: str = ""
    anchor: str = ""
    title: str = ""
    refs: list = field(default_factory=list)


def _read(path: str):
    """(the file's text as the run read it, where its body starts after the front matter, None), or
    (None, 0, reason)."""
    if path == "<stdin>":
        return None, 0, i18n.gettext("standard input is not kept: its text cannot be shown")
    from factcheck.documents import InputError, read_document

    try:
        doc = read_document(path)
        return doc.text, doc.body_start, None
    except InputError as e:
        return None, 0, i18n.gettext("cannot read the text again: {reason}").format(reason=e.reason)


def _context(report, sources: dict | None = None, titles: dict | None = None) -> dict:
    """sources: the path each shown path was read from, where they differ (an escaped file name);
    titles: each rule's title in the run's language, by id."""
    sources = sources or {}
    titles = titles or {}
    file_ids = {f.path: i for i, f in enumerate(report.files)}
    claim_anchor = {}
    for c in report.claims:
        claim_anchor[(c.path, c.start)] = f"f{file_ids.get(c.path, 'x')}-c{c.start}"

    def anchor_of(c) -> str:
        return claim_anchor.get((c.path, c.start)) or f"f{file_ids.get(c.path, 'x')}-c{c.start}"

    status: dict = {}
    checks_of: dict = {}
    discrepancies: list = []
    other: dict = {}
    for n, chk in enumerate(report.checks):
        first = chk.claims[0] if chk.claims else None
        item = _Item(chk, f"check-{n + 1}", title=titles.get(chk.rule) or chk.name)
        arch = archived(chk)
        for c in chk.claims:
            where = f"{c.path}:{c.line}:{c.column}"
            if arch and c.path == arch["path"]:
                where += f" ({archived_note(arch, 0)})"
            item.figs.append(_Fig(role_label(c.role), c.text.replace("\n", ""), where, anchor_of(c)))
            key = (c.path, c.start)
            if RANK[chk.status] > RANK[status.get(key)]:
                status[key] = chk.status
            checks_of.setdefault(key, []).append(item)
        if not item.figs:
            item.figs.append(_Fig("", "", "", "summary"))
        if chk.status == "discrepancy":
            discrepancies.append(item)
        else:
            other.setdefault(first.path if first else "", []).append(item)

    per_file_disc: dict = {}
    per_file_unv: dict = {}
    for chk in report.checks:  # a finding counts for each file it has a figure in (a cross-article one: both)
        for p in sorted({c.path for c in chk.claims} or {""}):
            if chk.status == "discrepancy":
                per_file_disc[p] = per_file_disc.get(p, 0) + 1
            elif chk.status == "unverifiable":
                per_file_unv[p] = per_file_unv.get(p, 0) + 1
    suppressed = []
    for n, entry in enumerate(getattr(report, "suppressed", None) or ()):
        item = _Item(entry, f"suppressed-{n + 1}", title=titles.get(entry.rule) or entry.name,
                     reason=entry.suppression.reason)
        arch = archived(entry)
        for c in entry.claims:
            where = f"{c.path}:{c.line}:{c.column}"
            if arch and c.path == arch["path"]:
                where += f" ({archived_note(arch, 0)})"
            item.figs.append(_Fig(role_label(c.role), c.text.replace("\n", ""), where, anchor_of(c)))
        if not item.figs:
            item.figs.append(_Fig("", "", "", "summary"))
        suppressed.append(item)

    claims_by_file: dict = {}
    for c in report.claims:
        claims_by_file.setdefault(c.path, []).append(c)
    # figures of checks that are not in the claim list (should not happen) still get highlighted
    for chk in report.checks:
        for c in chk.claims:
            if (c.path, c.start) not in claim_anchor:
                claim_anchor[(c.path, c.start)] = anchor_of(c)
                claims_by_file.setdefault(c.path, []).append(c)

    files = []
    for f in report.files:
        text, body_start, note = (None, 0, None) if f.error else _read(sources.get(f.path, f.path))
        segments = None
        if text is not None:
            segments, stale = _segments(text, claims_by_file.get(f.path, []), status, checks_of, anchor_of,
                                        body_start)
            if stale:
                note = i18n.ngettext("{n} figure not highlighted: the file changed since it was checked",
                                     "{n} figures not highlighted: the file changed since it was checked",
                                     stale).format(n=stale)
        files.append({"path": f.path, "anchor": f"f{file_ids[f.path]}", "claims": f.claims, "checks": f.checks,
                      "discrepancies": per_file_disc.get(f.path, 0), "unverifiable": per_file_unv.get(f.path, 0),
                      "error": f.error, "note": note, "meta": [(i18n.meta_key(k), v) for k, v in sorted(f.meta.items())], "segments": segments,
                      "other_checks": other.get(f.path, [])})
    s = report.summary
    by_severity = i18n.listing([i18n.count(s.discrepancies.get(k, 0), k) for k in ("error", "warning", "info")])
    return {"report": report, "s": s, "total_disc": sum(s.discrepancies.values()), "discrepancies": discrepancies,
            "files": files, "suppressed": suppressed, "by_severity": by_severity, "lang": i18n.language()}


def _segments(text: str, claims, status: dict, checks_of: dict, anchor_of, body_start: int = 0) -> tuple[list, int]:
    """The article's body (its front matter left out) in pieces: plain text and highlighted figures."""
    segs: list[_Seg] = []
    pos = body_start
    stale = 0
    seen = set()
    for c in sorted(claims, key=lambda c: (c.start, c.end)):
        key = (c.path, c.start)
        if key in seen:
            continue
        seen.add(key)
        if c.start < pos or c.end > len(text) or text[c.start:c.end] != c.text:
            stale += c.start >= pos  # an overlap is skipped silently; a mismatch is counted
            continue
        if c.start > pos:
            segs.append(_Seg(text[pos:c.start]))
        st = status.get(key)
        items = checks_of.get(key, [])
        title = "; ".join(f"{i.chk.rule} {i.title}: {i18n.status_word(i.chk.status)}" for i in items) \
            or i18n.gettext("not in any check")
        refs = [{"anchor": i.anchor, "label": i.chk.rule} for i in items if i.chk.status == "discrepancy"]
        segs.append(_Seg(c.text, st or "unchecked", anchor_of(c), f"{c.text.replace(chr(10), '')} — {title}", refs))
        pos = c.end
    if pos < len(text):
        segs.append(_Seg(text[pos:]))
    return segs, stale


def render_html(report, result=None, rules=None) -> str:
    """The page in the run's language (i18n.use); rules: the run's rules, for their titles."""
    from pathlib import Path

    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        lambda s: i18n.gettext(s), lambda s, p, n: i18n.ngettext(s, p, n),
        pgettext=lambda c, s: i18n.pgettext(c, s), newstyle=True)
    env.globals.update(count=i18n.count, severity_word=i18n.severity_word, status_word=i18n.status_word)
    sources = {r.path: r.source for r in result.files if r.source and r.source != "-"} if result is not None else {}
    titles = {r.id: i18n.rule_title(r) for r in rules or ()}
    template = env.from_string((Path(__file__).resolve().parent / TEMPLATE).read_text(encoding="utf-8"))
    return template.render(**_context(report, sources, titles))
