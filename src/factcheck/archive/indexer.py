"""`factcheck index PATH...`: store the articles' claims in the archive, incrementally.

A file whose content hash and extractor fingerprint match its archived row is skipped; a new or
changed one is read and extracted in a worker process and written by this process, one transaction
per article, as the results come (the run holds no more than the workers' results in flight, so an
archive of any size is indexed in constant memory). A killed run leaves every article it wrote whole;
the next run skips them and does the rest. With prune, archived articles under the given paths whose
files are gone are removed.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from factcheck.archive.records import ArticleRecord, article_record, conflict_rule, extractor_fingerprint, file_hash


@dataclass
class IndexResult:
    listed: int = 0
    indexed: int = 0  # new or changed articles written
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    claims: int = 0  # claims written
    facts: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    internal: list[tuple[str, str]] = field(default_factory=list)  # (path, traceback)


def plan(files: list[str], known: dict[str, tuple[str, str]], fingerprint: str) -> tuple[list[str], int]:
    """The files to read (new, changed, or extracted by another factcheck) and how many are unchanged."""
    todo, unchanged = [], 0
    for f in files:
        have = known.get(f)
        if have is not None and have[1] == fingerprint:
            try:
                if file_hash(f) == have[0]:
                    unchanged += 1
                    continue
            except OSError:
                pass  # the worker reports why the file cannot be read
        todo.append(f)
    return todo, unchanged


_WORKER: dict = {}


def _init_worker(parent: int, rule_dirs, approx) -> None:
    from factcheck.pipeline import worker_setup
    from factcheck.rules.loader import rules_for_run

    worker_setup(parent)  # ends with the indexer, leaves Ctrl-C and SIGTERM to it
    _WORKER["rule"] = conflict_rule(rules_for_run(rule_dirs))
    _WORKER["approx"] = approx


def _work(path: str) -> ArticleRecord:
    return _record(path, _WORKER["rule"], _WORKER["approx"])


def _record(path: str, rule, approx: Decimal) -> ArticleRecord:
    try:
        return article_record(path, rule, approx)
    except Exception as e:  # a bug on one article: an error for it, the run goes on
        msg = " ".join(f"internal error while indexing: {type(e).__name__}: {e}".split())[:300]
        return ArticleRecord(path, error=msg, internal=traceback.format_exc())


WORKER_DIED = "internal error: the worker process indexing this file died (it crashed or was killed)"


def records(files: list[str], rule, rule_dirs, approx: Decimal, jobs: int) -> Iterator[ArticleRecord]:
    """Each file's record, in order, made in jobs worker processes (in this one when jobs is 1). A worker
    that dies breaks its pool: the rest run in a new one, and a file that kills a pool alone is an
    error for that file."""
    if jobs <= 1 or len(files) < 4:
        for f in files:
            yield _record(f, rule, approx)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from factcheck.pipeline import stop_workers

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    pending = list(files)
    alone = False
    while pending:
        batch = pending[:1] if alone else pending
        done = 0
        chunk = 1 if alone else max(1, min(16, len(batch) // (jobs * 8) or 1))
        pool = ProcessPoolExecutor(1 if alone else jobs, mp_context=ctx, initializer=_init_worker,
                                   initargs=(os.getpid(), tuple(rule_dirs), approx))
        try:
            for rec in pool.map(_work, batch, chunksize=chunk):
                done += 1
                yield rec
        except BrokenProcessPool:
            pass
        except BaseException:  # Ctrl-C, SIGTERM, the generator closed: the workers go too, now
            stop_workers(pool)
            raise
        pool.shutdown(wait=True)
        if alone and not done:
            yield ArticleRecord(batch[0], error=WORKER_DIED)
            done = 1
        pending = pending[done:]
        alone = not alone and not done


def index(store, files: list[str], rules, rule_dirs=(), approx: Decimal = Decimal("0.05"), jobs: int = 1,
          prune_roots: list[str] | None = None, progress: Callable | None = None,
          on_plan: Callable[[int], None] | None = None) -> IndexResult:
    """Index files (listed already) into the open store; prune_roots: remove archived articles under
    these paths whose files are gone."""
    out = IndexResult(listed=len(files))
    rule = conflict_rule(rules)
    fingerprint = extractor_fingerprint(rule)
    todo, out.unchanged = plan(files, store.known(files), fingerprint)
    if on_plan is not None:
        on_plan(len(todo))
    for rec in records(todo, rule, rule_dirs, approx, jobs):
        if rec.error:
            out.errors.append((rec.path, rec.error))
            if rec.internal:
                out.internal.append((rec.path, rec.internal))
        else:
            store.write(rec, fingerprint)
            out.indexed += 1
            out.claims += len(rec.claims)
            out.facts += rec.facts
        if progress is not None:
            progress(rec)
    if prune_roots is not None:
        out.removed = store.prune(prune_roots, set(files))
    return out
