"""The check of one article sent to the server: the stages of `factcheck check FILE --format json`
(pipeline.check_document, the cross-article step, inline ignore comments, the archive, report.build),
with the rules and the lexicon loaded once, when the server starts.

An article sent to the server is never a file: its path is its name in the report and its key in the
archive, and nothing here opens it. Its text is taken as factcheck reads a file's (line ends made
"\\n", Markdown front matter read), so the report's offsets count code points of that text.
"""

from __future__ import annotations

import logging
import time
import traceback
from decimal import Decimal

from factcheck.serve.inputs import Article, RequestError

log = logging.getLogger("factcheck.serve")


class Engine:
    """The rules, the tolerance and the archive of a server; check() and index() answer requests."""

    def __init__(self, settings):
        from factcheck.rules.loader import rules_for_run

        self.settings = settings
        self.rules = rules_for_run(tuple(settings.rules))  # raises RuleError: the server does not start
        self.approx = Decimal(settings.approx_tolerance)
        self._selections: dict[tuple, list] = {}
        self._store = None
        self._warned: set[str] = set()
        self.archive_shown: str | None = None
        if settings.archive:
            from factcheck.archive.url import parse

            self.archive_shown = parse(settings.archive).shown

    # -- options

    def selection(self, select: tuple[str, ...], ignore: tuple[str, ...]) -> list:
        """The rules a request selects (the loader's matching of ids, id prefixes and names); a selector
        that matches no rule is an error, as on the command line."""
        key = (select, ignore)
        got = self._selections.get(key)
        if got is not None:
            return got
        from factcheck.config import normalize_selectors
        from factcheck.rules.loader import _matches

        sel, bad = normalize_selectors(select, self.rules)
        if bad:
            raise RequestError(422, "unknown_rule", f"'select': no rule matches {', '.join(map(repr, bad))} "
                               "(GET /healthz lists the rules)")
        ign, bad = normalize_selectors(ignore, self.rules)
        if bad:
            raise RequestError(422, "unknown_rule", f"'ignore': no rule matches {', '.join(map(repr, bad))} "
                               "(GET /healthz lists the rules)")
        rules = self.rules
        if sel:
            rules = [r for r in rules if _matches(r.id, sel) or r.name in sel]
        if ign:
            rules = [r for r in rules if not (_matches(r.id, ign) or r.name in ign)]
        if len(self._selections) < 256:
            self._selections[key] = rules
        return rules

    def validate(self, art: Article) -> None:
        """Raise the RequestError a check of art would (before it is sent to the checking process)."""
        self.selection(art.select, art.ignore)

    # -- checking

    def check(self, art: Article) -> bytes:
        """The JSON report of art, as `factcheck check --format json` writes it, with "pass"."""
        from factcheck.cli import exit_code
        from factcheck.pipeline import FileResult, RunResult, check_document
        from factcheck.report.build import build_report
        from factcheck.report.json_out import render_json_bytes
        from factcheck import i18n
        from factcheck.suppress import split_inline

        rules = self.selection(art.select, art.ignore)
        i18n.use(art.lang)  # this process checks one article at a time: the language of its run
        t0 = time.perf_counter()
        doc, error = self._document(art)
        if doc is None:
            res = FileResult(art.path, error=error)
        else:
            res = check_document(doc, rules, self.approx, keep_lines=False, encode=True, reference=None)
        result = RunResult([res], [], [], {})
        conflict_rules = [r for r in rules if r.kind == "conflict"]
        if conflict_rules and not res.error:
            from factcheck.conflicts import find_conflicts
            from factcheck.documents import InputError

            try:
                result.conflicts = find_conflicts(conflict_rules, [res], self.approx)
            except Exception as e:  # a bug in the cross-article step: an error of the report, as in a run
                log.error("internal error in the cross-article checks of %s:\n%s", art.path, traceback.format_exc())
                result.input_errors.append(InputError("<cross-article checks>",
                                                      f"internal error: {type(e).__name__}: {e}"[:300]))
        self._inline_selectors(res, result)
        checks = list(res.checks) + list(result.conflicts)
        checks, suppressed = split_inline(checks, [res], {}, None)  # res.ignores: from the text, never a file
        configuration: dict = {  # the keys of the command line's, with the server's values
            "rules": [r.id for r in rules], "fail_on": art.fail_on, "approx_tolerance": str(self.approx),
            "lang": art.lang, "date": None, "select": list(art.select), "ignore": list(art.ignore),
            "rule_dirs": list(self.settings.rules), "config_file": None, "include": [], "exclude": [],
            "per_file_ignores": {}, "baseline": None}
        if self.settings.archive and doc is not None:
            found = self._archive(res, rules, art, doc)
            checks += found.checks
            suppressed += found.suppressed
            configuration["archive"] = found.archive
        report = build_report(result, configuration, suppressed, checks)
        report["pass"] = exit_code(report, art.fail_on) == 0
        out = render_json_bytes(report)
        log.debug("checked %s (%d characters) in %.1f ms", art.path, len(art.text), 1000 * (time.perf_counter() - t0))
        return out

    @staticmethod
    def _document(art: Article):
        """(the article as a Document, None), or (None, why it cannot be read)."""
        from factcheck.documents import Document, InputError, _check_line_length, front_matter, universal_newlines

        text = universal_newlines(art.text)
        try:
            _check_line_length(text, art.path)
        except InputError as e:
            return None, e.reason
        meta, body_start = front_matter(text, art.path)
        meta.update(art.meta)
        return Document(art.path, text, "utf-8", meta, body_start), None

    def _inline_selectors(self, res, result) -> None:
        """An inline `<!-- factcheck: ignore X -->` naming no rule is an error of the article, as on the
        command line (a typo would suppress nothing, silently)."""
        if not res.ignores:
            return
        from factcheck.config import normalize_selectors
        from factcheck.documents import InputError

        for _, _, ids, line in res.ignores:
            bad = normalize_selectors(list(ids), self.rules)[1]
            if bad:
                result.input_errors.append(InputError(
                    f"{res.path}:{line}", f"<!-- factcheck: ignore … -->: no rule matches {', '.join(map(repr, bad))} "
                                          "(`factcheck rules` lists them)"))

    def _archive(self, res, rules, art: Article, doc):
        from factcheck.archive import ArchiveError
        from factcheck.archive.lookup import check_against_archive
        from factcheck.archive.records import content_hash

        try:
            found = check_against_archive(self.settings.archive, [res], rules, self.approx,
                                          sent={res.path: content_hash(doc.text.encode("utf-8"))})
        except ArchiveError as e:
            log.error("%s", e)
            raise RequestError(503, "archive_unavailable", f"the claim archive cannot be read: {e}") from None
        for w in found.warnings:
            if w not in self._warned:  # once per process, not once per request
                self._warned.add(w)
                log.warning("%s", w)
        return found

    # -- indexing

    def index(self, art: Article) -> dict:
        """Store art in the archive (as `factcheck index` stores a file): new, replaced or unchanged."""
        from factcheck.archive import ArchiveError
        from factcheck.archive.records import conflict_rule, content_hash, document_record, extractor_fingerprint

        doc, error = self._document(art)
        if doc is None:
            raise RequestError(422, "unreadable_article", f"{art.path}: {error}")
        rule = conflict_rule(self.rules)
        fingerprint = extractor_fingerprint(rule)
        data = doc.text.encode("utf-8")
        if art.meta:  # metadata given with the request is part of what was indexed: a change of it is a change
            import json

            data += b"\0" + json.dumps(art.meta, sort_keys=True, ensure_ascii=False).encode("utf-8")
        digest = content_hash(data)
        try:
            store = self._open_store()
            had = store.known([art.path]).get(art.path)
            if had == (digest, fingerprint):
                return {"path": art.path, "status": "unchanged", "archive": self.archive_shown}
            rec = document_record(doc, digest, rule, self.approx)
            if rec.error:  # more figures than an article has, as `factcheck index` refuses it
                raise RequestError(422, "unreadable_article", f"{art.path}: {rec.error}")
            store.write(rec, fingerprint)
        except RequestError:
            raise
        except ArchiveError as e:
            self._close_store()
            raise RequestError(503, "archive_unavailable", f"the claim archive cannot be written: {e}") from None
        except Exception as e:
            self._close_store()
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(e, SQLAlchemyError):
                from factcheck.archive.store import db_error

                err = db_error(self._url(), e)
                log.error("%s", err)
                raise RequestError(503, "archive_unavailable", f"the claim archive cannot be written: {err}") from None
            raise
        return {"path": art.path, "status": "replaced" if had else "indexed", "archive": self.archive_shown,
                "claims": len(rec.claims), "facts": rec.facts, "title": rec.title, "date": rec.date}

    def _url(self):
        from factcheck.archive.url import parse

        return parse(self.settings.archive)

    def _open_store(self):
        if self._store is None:
            from factcheck.archive.store import open_store

            self._store = open_store(self._url(), create=True)
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            try:
                self._store.close()
            finally:
                self._store = None

    def close(self) -> None:
        self._close_store()

    def warm(self) -> None:
        """One check of a short article, so that the first request does not pay for what is loaded or
        compiled on first use (patterns, tables)."""
        from factcheck.serve.inputs import Article as A

        self.check(A(text="全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。"
                          "2024年全区生产总值增长6.5%，达到1352亿元。", path="warm-up.md"))
