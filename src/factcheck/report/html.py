"""One self-contained HTML file for a reviewer: a summary, every discrepancy with its arithmetic and a
link to its place, and each article's text with every claim highlighted by the outcome of its checks.

The run does not keep the articles' text, so it is read again from disk (documents.read_document, the
same reading the run used, so the claims' offsets apply); a figure whose text no longer matches (the
file changed since) is not highlighted. Everything from an article, its path included, goes through
Jinja2's autoescape, and a Content-Security-Policy forbids scripts: a hostile article can neither run
code nor render as markup. Jinja2 is imported only when this format is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.report.labels import archived, archived_note, role_label

RANK = {None: 0, "ok": 1, "unverifiable": 2, "discrepancy": 3}

TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="factcheck {{ report.tool.version }}">
<title>factcheck report: {{ total_disc }} discrepanc{{ 'y' if total_disc == 1 else 'ies' }} in {{ s.files }} file{{ '' if s.files == 1 else 's' }}</title>
<style>
:root { --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --unv: #9a6700; --unv-bg: #fff8c5;
        --none: #8c959f; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; }
body { font: 15px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: var(--fg); margin: 0 auto; max-width: 64rem; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.4rem; margin: .5rem 0; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; }
code, .loc { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.summary li { border: 1px solid var(--line); border-radius: 6px; padding: .25rem .75rem; }
.summary .n { font-weight: 700; font-size: 1.1em; }
.legend { color: var(--muted); font-size: .9em; }
table { border-collapse: collapse; font-size: .9em; } td, th { border-bottom: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
td.num { text-align: right; }
.claim { border-radius: 3px; padding: 0 1px; }
.claim.discrepancy { background: var(--bad-bg); box-shadow: inset 0 -2px 0 var(--bad); color: var(--bad); font-weight: 600; }
.claim.ok { background: var(--ok-bg); box-shadow: inset 0 -2px 0 var(--ok); }
.claim.unverifiable { background: var(--unv-bg); box-shadow: inset 0 -2px 0 var(--unv); }
.claim.unchecked { background: none; border-bottom: 1px dotted var(--none); border-radius: 0; }
:target { outline: 3px solid #0969da; outline-offset: 2px; }
.sev { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 2em; font-size: .8em; font-weight: 600; padding: 0 .5em; color: #fff; }
.sev-error { background: var(--bad); } .sev-warning { background: var(--unv); } .sev-info { background: #0969da; }
.sev-ok { background: var(--ok); } .sev-unverifiable { background: var(--unv); }
ol.findings { padding-left: 1.5rem; } ol.findings li { margin: .6rem 0; }
.msg { font-weight: 600; } .miss, .note { color: var(--muted); font-size: .9em; }
.figs { margin: .1rem 0 0; padding-left: 1.2rem; font-size: .9em; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; background: #f6f8fa; }
.ref { font-size: .7em; vertical-align: super; text-decoration: none; color: var(--bad); }
.error { color: var(--bad); }
details { margin: .5rem 0; } summary { cursor: pointer; color: var(--muted); }
</style>
</head>
<body>
<header>
<h1>factcheck report</h1>
<ul class="summary" id="summary">
  <li><span class="n">{{ s.files }}</span> file{{ '' if s.files == 1 else 's' }}</li>
  <li><span class="n">{{ s.claims }}</span> claim{{ '' if s.claims == 1 else 's' }}</li>
  <li><span class="n">{{ s.checks }}</span> check{{ '' if s.checks == 1 else 's' }}</li>
  <li class="error"><span class="n" id="n-discrepancies">{{ total_disc }}</span> discrepanc{{ 'y' if total_disc == 1 else 'ies' }}
    ({{ s.discrepancies.get('error', 0) }} error, {{ s.discrepancies.get('warning', 0) }} warning, {{ s.discrepancies.get('info', 0) }} info)</li>
  <li><span class="n">{{ s.unverifiable }}</span> unverifiable</li>
  <li><span class="n">{{ s.ok }}</span> ok</li>
  {% if s.suppressed %}<li><span class="n">{{ s.suppressed }}</span> suppressed</li>{% endif %}
  {% if s.errors %}<li class="error"><span class="n">{{ s.errors }}</span> input error{{ '' if s.errors == 1 else 's' }}</li>{% endif %}
</ul>
<p class="legend">Figures in the text:
  <span class="claim discrepancy">discrepancy</span>
  <span class="claim unverifiable">unverifiable</span>
  <span class="claim ok">checked, ok</span>
  <span class="claim unchecked">not in any check</span>.
  factcheck {{ report.tool.version }}, report schema {{ report.schema_version }}, fail on {{ report.configuration.get('fail_on', 'error') }}.</p>
</header>

{% if report.errors %}
<section id="errors">
<h2>Input errors</h2>
<ul>{% for e in report.errors %}<li class="error"><code>{{ e.path }}</code>: {{ e.reason }}</li>{% endfor %}</ul>
</section>
{% endif %}

<section id="discrepancies">
<h2>Discrepancies</h2>
{% if not discrepancies %}<p>No discrepancy.</p>{% endif %}
<ol class="findings">
{% for d in discrepancies %}
  <li id="{{ d.anchor }}" class="finding">
    <span class="sev sev-{{ d.chk.severity }}">{{ d.chk.severity }}</span>
    <code>{{ d.chk.rule }}</code> {{ d.chk.name }} —
    <a class="loc" href="#{{ d.figs[0].anchor }}">{{ d.figs[0].where }}</a><br>
    <span class="msg">{{ d.chk.message }}</span>
    {% if d.chk.miss %}<span class="miss">(misses by {{ d.chk.miss }} beyond the rounding of the stated figures)</span>{% endif %}
    <ul class="figs">
    {% for f in d.figs %}<li>{{ f.role }}: <a href="#{{ f.anchor }}">{{ f.text }}</a> <span class="loc">{{ f.where }}</span></li>{% endfor %}
    </ul>
    {% if d.chk.note %}<div class="note">{{ d.chk.note }}</div>{% endif %}
  </li>
{% endfor %}
</ol>
</section>

<section id="files">
<h2>Files</h2>
<table>
<tr><th>file</th><th>claims</th><th>checks</th><th>discrepancies</th><th>unverifiable</th></tr>
{% for f in files %}<tr><td><a href="#{{ f.anchor }}">{{ f.path }}</a></td><td class="num">{{ f.claims }}</td><td class="num">{{ f.checks }}</td>
<td class="num">{{ f.discrepancies }}</td><td class="num">{{ f.unverifiable }}</td></tr>
{% endfor %}
</table>
</section>

{% for f in files %}
<section class="file" id="{{ f.anchor }}">
<h2>{{ f.path }}</h2>
{% if f.meta %}<p class="legend">{% for k, v in f.meta %}{{ k }}: {{ v }}{% if not loop.last %} · {% endif %}{% endfor %}</p>{% endif %}
{% if f.error %}<p class="error">{{ f.error }}</p>{% endif %}
{% if f.note %}<p class="note">{{ f.note }}</p>{% endif %}
{% if f.other_checks %}
<details><summary>{{ f.other_checks|length }} other check{{ '' if f.other_checks|length == 1 else 's' }} (ok and unverifiable)</summary>
<ul class="figs">
{% for d in f.other_checks %}<li id="{{ d.anchor }}"><span class="sev sev-{{ d.chk.status }}">{{ d.chk.status }}</span> <code>{{ d.chk.rule }}</code>
  <a class="loc" href="#{{ d.figs[0].anchor }}">{{ d.figs[0].where }}</a> {{ d.chk.message }}{% if d.chk.note %} <span class="note">({{ d.chk.note }})</span>{% endif %}</li>
{% endfor %}
</ul>
</details>
{% endif %}
{% if f.segments is not none %}<div class="article">{% for seg in f.segments %}{% if seg.cls %}<mark id="{{ seg.anchor }}" class="claim {{ seg.cls }}" title="{{ seg.title }}">{{ seg.text }}</mark>{% for r in seg.refs %}<a class="ref" href="#{{ r.anchor }}">{{ r.label }}</a>{% endfor %}{% else %}{{ seg.text }}{% endif %}{% endfor %}</div>{% endif %}
</section>
{% endfor %}
</body>
</html>
"""


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


@dataclass
class _Seg:
    text: str
    cls: str = ""
    anchor: str = ""
    title: str = ""
    refs: list = field(default_factory=list)


def _read(path: str):
    """The file's text as the run read it, or (None, reason)."""
    if path == "<stdin>":
        return None, "standard input is not kept: its text cannot be shown"
    from factcheck.documents import InputError, read_document

    try:
        return read_document(path).text, None
    except InputError as e:
        return None, f"cannot read the text again: {e.reason}"


def _context(report, sources: dict | None = None) -> dict:
    """sources: the path each shown path was read from, where they differ (an escaped file name)."""
    sources = sources or {}
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
        item = _Item(chk, f"check-{n + 1}")
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
    for chk in report.checks:
        p = chk.claims[0].path if chk.claims else ""
        if chk.status == "discrepancy":
            per_file_disc[p] = per_file_disc.get(p, 0) + 1
        elif chk.status == "unverifiable":
            per_file_unv[p] = per_file_unv.get(p, 0) + 1

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
        text, note = (None, None) if f.error else _read(sources.get(f.path, f.path))
        segments = None
        if text is not None:
            segments, stale = _segments(text, claims_by_file.get(f.path, []), status, checks_of, anchor_of)
            if stale:
                note = f"{stale} figure{'s' if stale != 1 else ''} not highlighted: the file changed since it was checked"
        files.append({"path": f.path, "anchor": f"f{file_ids[f.path]}", "claims": f.claims, "checks": f.checks,
                      "discrepancies": per_file_disc.get(f.path, 0), "unverifiable": per_file_unv.get(f.path, 0),
                      "error": f.error, "note": note, "meta": sorted(f.meta.items()), "segments": segments,
                      "other_checks": other.get(f.path, [])})
    s = report.summary
    return {"report": report, "s": s, "total_disc": sum(s.discrepancies.values()), "discrepancies": discrepancies,
            "files": files}


def _segments(text: str, claims, status: dict, checks_of: dict, anchor_of) -> tuple[list, int]:
    segs: list[_Seg] = []
    pos = 0
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
        title = "; ".join(f"{i.chk.rule} {i.chk.name}: {i.chk.status}" for i in items) or "not in any check"
        refs = [{"anchor": i.anchor, "label": i.chk.rule} for i in items if i.chk.status == "discrepancy"]
        segs.append(_Seg(c.text, st or "unchecked", anchor_of(c), f"{c.text.replace(chr(10), '')} — {title}", refs))
        pos = c.end
    if pos < len(text):
        segs.append(_Seg(text[pos:]))
    return segs, stale


def render_html(report, result=None) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
    sources = {r.path: r.source for r in result.files if r.source and r.source != "-"} if result is not None else {}
    return env.from_string(TEMPLATE).render(**_context(report, sources))
