"""Run each rule's documented examples: a failing example must be reported, a passing one must not."""

from __future__ import annotations

from factcheck.documents import Document
from factcheck.extract import _Layout, extract
from factcheck.normalize import normalize


def run_example(rule, text: str) -> list:
    from factcheck.conflicts import find_conflicts
    from factcheck.pipeline import FileResult
    from factcheck.rules.engine import check_article
    from factcheck.rules.kinds import Article
    from factcheck.timescope import article_time

    if rule.kind == "conflict":
        results = []
        for i, part in enumerate(text.split("\n---\n")):
            doc = Document(f"<example {rule.id} part {i + 1}>", part)
            norm = normalize(doc.text)
            res = FileResult(doc.path, claims=extract(doc, norm), chars=len(part))
            res.article_time = article_time(doc, norm.text)
            from factcheck.conflicts import article_place

            res.place = article_place(norm.text)
            results.append(res)
        return find_conflicts([rule], results, None or __import__("decimal").Decimal("0.05"))
    doc = Document(f"<example {rule.id}>", text)
    norm = normalize(doc.text)
    claims = extract(doc, norm)
    art = Article(doc.path, norm.text, _Layout(norm.text), claims, year=article_time(doc, norm.text))
    return check_article([rule], art)


def check_examples(rules) -> list[str]:
    problems = []
    for rule in rules:
        for ex in rule.examples.fail:
            if not any(c.status == "discrepancy" for c in run_example(rule, ex)):
                problems.append(f"{rule.path}: examples.fail: not reported as a discrepancy: {ex[:60]}")
        for ex in rule.examples.pass_:
            res = run_example(rule, ex)
            if any(c.status == "discrepancy" for c in res):
                problems.append(f"{rule.path}: examples.pass: reported as a discrepancy: {ex[:60]}")
            elif not any(c.status == "ok" for c in res):
                problems.append(f"{rule.path}: examples.pass: no check made (the rule found nothing to test): {ex[:60]}")
    return problems
