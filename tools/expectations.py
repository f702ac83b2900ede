#!/usr/bin/env python3
"""Relation-level expectations: what factcheck relates in each article of the project's article sets.

For every article of a set the expectation file lists each check factcheck makes, as

    [rule id, status, [the raw texts of its figures, in text order]]

(line breaks inside a figure removed; a figure from another article, in a cross-article check, is
written `file.txt:figure`). Messages, notes and fingerprints are left out: a change that keeps the
relations (a rebuilt relate step, reworded messages) leaves the files as they are, and one that changes
them shows exactly which relations moved. tests/test_expectations.py compares a run with the files as
multisets, article by article.

Sets: the articles (*.txt) of seeds/, tests/articles, tests/holdout, tests/holdout2, and of the dev corpus
beside the repository (../shared/eval/dev/articles). Each file is tests/expectations/<set>.json; the run reads the empty
configuration tests/expectations/factcheck.toml (defaults, whatever folder the articles are in).

    python tools/expectations.py              # compare every set with its file; exit 1 when a relation moved
    python tools/expectations.py --update     # write the files from the current behaviour
    python tools/expectations.py --set seeds --set dev --update
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTATIONS = ROOT / "tests" / "expectations"
CONFIG = EXPECTATIONS / "factcheck.toml"
SETS = {
    "seeds": ROOT / "seeds",
    "articles": ROOT / "tests" / "articles",
    "holdout": ROOT / "tests" / "holdout",
    "holdout2": ROOT / "tests" / "holdout2",
    "dev": ROOT.parent / "shared" / "eval" / "dev" / "articles",
}

Relation = tuple  # (rule, status, (figure, ...))


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def relations(folder: Path, python: str = sys.executable) -> dict[str, list[Relation]]:
    """{article (path relative to folder): [relation, …]} of one factcheck run over folder (JSON report)."""
    folder = folder.resolve()
    cmd = [python, "-m", "factcheck", "check", str(folder), "--include", "*.txt", "--format", "json", "--jobs", "1",
           "--no-progress", "--config", str(CONFIG)]
    r = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    if r.returncode not in (0, 1):  # 1: discrepancies found, which is what some articles are for
        raise RuntimeError(f"factcheck exited {r.returncode} on {folder}:\n{r.stderr[-3000:]}")
    report = json.loads(r.stdout)
    if report["errors"]:
        raise RuntimeError(f"factcheck could not check every article in {folder}: {report['errors']}")

    def name(path: str) -> str:
        return Path(path).resolve().relative_to(folder).as_posix()

    out: dict[str, list[Relation]] = {name(f["path"]): [] for f in report["files"]}
    for check in report["checks"]:
        claims = sorted(check["claims"], key=lambda c: (c["path"], c["start"]))
        if not claims:
            continue
        home = name(check["claims"][0]["path"])
        figures = tuple(_flat(c["text"]) if name(c["path"]) == home else f"{name(c['path'])}:{_flat(c['text'])}"
                        for c in claims)
        out[home].append((check["rule"], check["status"], figures))
    for rels in out.values():
        rels.sort()
    return dict(sorted(out.items()))


def path_of(set_name: str) -> Path:
    return EXPECTATIONS / f"{set_name}.json"


def load(set_name: str) -> dict[str, list[Relation]]:
    data = json.loads(path_of(set_name).read_text(encoding="utf-8"))
    return {art: [(r[0], r[1], tuple(r[2])) for r in rels] for art, rels in data["articles"].items()}


def dump(set_name: str, rels: dict[str, list[Relation]]) -> str:
    """The expectation file: one article a key, one relation a line (a diff shows each one that moved)."""
    folder = SETS[set_name]
    where = folder.relative_to(ROOT.parent).as_posix() if not folder.is_relative_to(ROOT) else \
        folder.relative_to(ROOT).as_posix()
    lines = ["{", f'  "set": {json.dumps(set_name)},', f'  "folder": {json.dumps(where)},',
             '  "made_by": "python tools/expectations.py --update",', '  "articles": {']
    arts = list(rels.items())
    for i, (art, rs) in enumerate(arts):
        tail = "," if i < len(arts) - 1 else ""
        if not rs:
            lines.append(f"    {json.dumps(art, ensure_ascii=False)}: []{tail}")
            continue
        lines.append(f"    {json.dumps(art, ensure_ascii=False)}: [")
        for j, (rule, status, figures) in enumerate(rs):
            sep = "," if j < len(rs) - 1 else ""
            lines.append("      " + json.dumps([rule, status, list(figures)], ensure_ascii=False) + sep)
        lines.append(f"    ]{tail}")
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def moved(expected: dict[str, list[Relation]], got: dict[str, list[Relation]]) -> list[str]:
    """What differs, article by article: `- ` an expected relation not made, `+ ` a relation not expected."""
    out = []
    for art in sorted(set(expected) | set(got)):
        if art not in got:
            out.append(f"{art}: expected, but not checked (no such article?)")
            continue
        if art not in expected:
            out.append(f"{art}: checked, but has no expectations (a new article: --update)")
            continue
        want, have = Counter(expected[art]), Counter(got[art])
        lost, new = want - have, have - want
        for rel, n in sorted(lost.items()):
            out += [f"{art}: - {_show(rel)}"] * n
        for rel, n in sorted(new.items()):
            out += [f"{art}: + {_show(rel)}"] * n
    return out


def _show(rel: Relation) -> str:
    rule, status, figures = rel
    return f"{rule} {status} {' · '.join(figures)}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="write the expectation files from the current behaviour")
    ap.add_argument("--set", action="append", choices=sorted(SETS), help="only this set (repeatable; default: all)")
    args = ap.parse_args(argv)
    status = 0
    for set_name in args.set or list(SETS):
        folder = SETS[set_name]
        if not folder.is_dir():
            print(f"{set_name}: the articles are not at {folder}", file=sys.stderr)
            status = 2
            continue
        got = relations(folder)
        n = sum(map(len, got.values()))
        if args.update:
            path_of(set_name).write_text(dump(set_name, got), encoding="utf-8")
            print(f"{set_name}: {len(got)} articles, {n} relations written to {path_of(set_name).relative_to(ROOT)}")
            continue
        diff = moved(load(set_name), got)
        print(f"{set_name}: {len(got)} articles, {n} relations, {len(diff)} moved")
        for line in diff:
            print("  " + line)
        status = status or (1 if diff else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
