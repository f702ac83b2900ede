"""The run: read → normalize → extract → check each file, then conflicts across files.

Everything here is pure with respect to the terminal: results and errors are returned, never printed.
A file's text is dropped once its claims and checks are made (the report keeps only spans and the
raw text of each figure), so memory does not grow with the size of the corpus' text.
"""

from __future__ import annotations

import gc
import os
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from factcheck.conflicts import article_facts, article_place
from factcheck.display import display_path
from factcheck.documents import MAX_FIGURES, InputError, iter_inputs, read_document
from factcheck.extract import DEFAULT_APPROX, Claim, _Layout, extract
from factcheck.normalize import normalize
from factcheck.numbers import USUAL_PRECISION, decimal_context, precision_for
from factcheck.report.build import encode_file
from factcheck.rules.engine import check_article
from factcheck.rules.kinds import Article
from factcheck.rules.patterns import PatternTimeout, pattern_budget
from factcheck.suppress import MARKDOWN, inline_ignores
from factcheck.timescope import article_time


@dataclass
class FileResult:
    path: str
    claims: list[Claim] = field(default_factory=list)
    checks: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    chars: int = 0
    error: str | None = None  # a one-line reason the file could not be read or checked
    internal: str | None = None  # traceback of an internal error (shown with --debug)
    article_time: object = None
    place: str = ""
    facts: dict | None = None  # cross-article facts of each conflict rule (id → conflicts.article_facts)
    lines: dict = field(default_factory=dict)  # line number → original line text, for code frames
    claims_json: list | None = None  # the JSON report's items of this file, encoded with it (encode=True)
    checks_json: list | None = None
    source: str = ""  # the path the file was read from, when it is not shown as it is (display.display_path)
    ignores: list | None = None  # inline ignore comments of a Markdown file (suppress.inline_ignores)
    precision: int = USUAL_PRECISION  # decimal digits that compute with its figures exactly (numbers.precision_for)


def process(path: str, rules, approx: Decimal = DEFAULT_APPROX, keep_lines: bool = True,
            encode: bool = False, reference: int | None = None) -> FileResult:
    """Read and check one file. encode: also encode its items of the JSON report (report.build.encode_file),
    where the work is spread over the workers. reference: the year of the run's reference date (--date),
    for an article that gives none of its own. Messages are in the language of the run (i18n.use)."""
    try:
        doc = read_document(path)
    except InputError as e:
        return FileResult(e.path, error=e.reason, source=path)
    except Exception as e:  # a bug while reading one file: an internal error for it, the run goes on
        return FileResult(display_path(path) if path != "-" else "<stdin>",
                          error=_one_line(f"internal error while reading: {type(e).__name__}: {e}"),
                          internal=traceback.format_exc(), source=path)
    res = FileResult(doc.path, meta=doc.meta, chars=len(doc.text), source=path)
    # the claims, checks and facts made here all live to the file's end: a cycle collection on the way
    # would walk them all again for nothing (on a long article, passes that grow with it)
    with collector_paused():
        return _check(doc, res, rules, approx, keep_lines, encode, reference)


def check_document(doc, rules, approx: Decimal = DEFAULT_APPROX, keep_lines: bool = True,
                   encode: bool = False, reference: int | None = None) -> FileResult:
    """Check one document that is already read: an article sent to the server (factcheck serve), whose
    path is only its name in the report. Its inline ignore comments are found in its text (ignores is
    never None), so nothing later reads a file of that name."""
    res = FileResult(doc.path, meta=doc.meta, chars=len(doc.text))
    with collector_paused():
        res = _check(doc, res, rules, approx, keep_lines, encode, reference)
    if res.ignores is None:
        res.ignores = []
    return res


def _check(doc, res: FileResult, rules, approx: Decimal, keep_lines: bool, encode: bool,
           reference: int | None = None) -> FileResult:
    try:
        norm = normalize(doc.text, doc.body_start)
        if doc.path.lower().endswith(MARKDOWN) and "<!--" in doc.text:
            res.ignores = inline_ignores(doc.text, doc.body_start, norm)
        layout = _Layout(norm.text)
        claims = extract(doc, norm, approx, layout, MAX_FIGURES + 1)
        if len(claims) > MAX_FIGURES:
            res.error = (f"more than {MAX_FIGURES} figures: a table or a data dump rather than an article, "
                         "skipped")
            return res
        res.article_time = article_time(doc, norm.text, reference)
        art = Article(doc.path, norm.text, layout, claims, doc.meta, year=res.article_time)
        res.claims = claims
        # figures longer than the usual 28 digits are computed exactly; rule patterns share a time budget
        res.precision = precision_for(claims)
        with decimal_context(res.precision), pattern_budget(len(norm.text)):
            res.checks = check_article(rules, art, approx)
        res.place = article_place(norm.text)
        for rule in rules:
            if rule.kind == "conflict":
                if res.facts is None:
                    res.facts = {}
                res.facts[rule.id] = article_facts(rule, res)
        if keep_lines and not encode:
            # the original lines of the figures a discrepancy shows in its code frame (the HTML report
            # reads the files again; the JSON report, which encode is for, shows none); nothing else of
            # the text is kept once the article is checked
            wanted: set[int] = set()
            for ch in res.checks:
                if ch.status != "discrepancy":
                    continue
                for _, c in ch.claims:
                    wanted.update(range(c.line, c.line + c.text.count("\n") + 1))
            if wanted:
                all_lines = doc.text.split("\n")
                res.lines = {n: all_lines[n - 1] for n in sorted(wanted) if 0 < n <= len(all_lines)}
        for c in claims:  # working text of extraction and values worked out for the checks: not needed
            c.clause = c.pre = c.post = ""  # by the report or the cross-article step
            c.extra.clear()
        if encode:
            encode_file(res)
    except PatternTimeout as e:  # a rule's pattern that backtracks without end: the file is not checked
        res.error = _one_line(str(e))
        res.claims, res.checks = [], []
        res.claims_json = res.checks_json = None
        res.facts = None
    except Exception as e:  # an internal error in one article: reported for it, the run goes on
        res.error = _one_line(f"internal error while checking: {type(e).__name__}: {e}")
        res.internal = traceback.format_exc()
        res.claims, res.checks = [], []
        res.claims_json = res.checks_json = None
    return res


def _settle() -> None:
    """A checked file's results live until the report is written: move them out of the collector's
    reach, so its passes do not walk every result kept so far (they cost a run of 10,000 articles
    about a tenth of its time). Garbage made afterwards is collected as usual. gc.freeze acts on the
    whole process, so only the command line asks for it (run(..., settle=True))."""
    gc.freeze()


@contextmanager
def collector_paused(settle: bool = False):
    """No cycle collection while a step builds many objects that all live to its end (the cross-article
    checks, the report): each collection would walk all of them again, for nothing to free. With
    settle, the step's objects are frozen afterwards, like the files' results."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if settle:
            gc.freeze()
        if was:
            gc.enable()


def _one_line(msg: str, limit: int = 300) -> str:
    """An error reason is one line on stderr: an exception message may hold newlines or a whole text."""
    msg = " ".join(msg.split())
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


_WORKER: dict = {}


def _init_worker(rule_dirs, select, ignore, approx, encode=False, lang=None, reference=None):
    from factcheck import i18n
    from factcheck.rules.loader import rules_for_run

    i18n.use(lang)  # the checks' messages are made here, in the run's language
    _WORKER["rules"] = rules_for_run(rule_dirs, select, ignore)
    _WORKER["approx"] = approx
    _WORKER["encode"] = encode
    _WORKER["reference"] = reference


def _start_worker(parent: int, *initargs) -> None:
    """A worker's start (worker_setup), then its rules."""
    worker_setup(parent)
    _init_worker(*initargs)


def worker_setup(parent: int) -> None:
    """The start of a worker process of a pool: it ends with its parent (PR_SET_PDEATHSIG on Linux; a
    parent that died before the worker got here is noticed too), leaves Ctrl-C to the parent (which
    stops the workers, stop_workers) and dies of SIGTERM as a process does by default (the parent's
    handler is not inherited)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


def _die_with_parent() -> None:
    if not os.uname().sysname == "Linux":
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_workers(pool) -> None:
    """Kill a pool's workers at once (the run was interrupted): none is left running or blocked. The
    pool's manager thread then fails the futures that pool.map cancelled already: that is not news."""
    import threading
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook

    def hook(args):
        if args.exc_type is not InvalidStateError:
            previous(args)

    threading.excepthook = hook
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, AttributeError, ValueError):
            pass
    try:
        pool.shutdown(wait=False)
    except Exception:
        pass
    # the pool's manager thread sees its workers gone, fails the pending futures and closes its wake-up
    # pipe; wait for that, then take it off the exit hook's list, which would write to the closed pipe
    # ("Exception ignored … Bad file descriptor" at exit)
    if manager is not None:
        manager.join(5)
        if not manager.is_alive():
            from concurrent.futures import process as futures_process

            wakeups = getattr(futures_process, "_threads_wakeups", None)
            if wakeups is not None:
                wakeups.pop(manager, None)


def worker_count(jobs: int, files: int) -> int:
    """Worker processes for a run: as asked, but never more than the files or the cores."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(jobs, files, cores))


def _work(path):
    return process(path, _WORKER["rules"], _WORKER["approx"], encode=_WORKER["encode"],
                   reference=_WORKER.get("reference"))


WORKER_DIED = "internal error: the worker process checking this file died (it crashed or was killed)"


def _run_parallel(files: list[str], jobs: int, initargs, progress, settle: bool = False) -> list[FileResult]:
    """Check files in worker processes, in order. A worker that dies (a crash in C code, the OOM killer)
    breaks its pool: the files checked so far are kept, the rest are run again in a new pool, and a file
    that kills a pool on its own is an error for that file. The run never hangs on a dead worker."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    chunk = max(1, min(64, len(files) // (jobs * 8) or 1))
    results: list[FileResult] = []
    pending = list(files)
    alone = False  # after a round without progress: one file at a time, to find the one that kills workers
    while pending:
        batch = pending[:1] if alone else pending
        got: list[FileResult] = []
        pool = ProcessPoolExecutor(1 if alone else jobs, mp_context=ctx, initializer=_start_worker,
                                   initargs=(os.getpid(), *initargs))
        try:
            for r in pool.map(_work, batch, chunksize=1 if alone else chunk):
                got.append(r)
                if settle:
                    _settle()
                if progress:
                    progress(r)
        except BrokenProcessPool:
            pass
        except BaseException:  # Ctrl-C, SIGTERM, a reader gone: the workers go too, now
            stop_workers(pool)
            raise
        pool.shutdown(wait=True)
        if alone and not got:
            got = [FileResult(batch[0], error=WORKER_DIED)]
            if progress:
                progress(got[0])
        results.extend(got)
        pending = pending[len(got):]
        alone = not alone and not got  # a round alone always settles its one file
    return results


@dataclass
class RunResult:
    files: list[FileResult]
    input_errors: list[InputError]
    conflicts: list
    timings: dict


def run(paths, rules, rule_dirs=(), select=(), ignore=(), include=(), exclude=(), jobs: int = 1,
        approx: Decimal = DEFAULT_APPROX, progress=None, settle: bool = False, encode: bool = False,
        lang: str | None = None, reference: int | None = None) -> RunResult:
    """Check the files under paths. settle: keep the results out of the cycle collector's reach as they
    come (gc.freeze, which acts on the whole process: for a process that ends with the run). encode:
    encode each file's items of the JSON report with it (in the workers). lang: the language of the
    messages (None: as set, i18n.use), here and in the workers. reference: the year of the reference
    date (--date) for the articles that give none."""
    from factcheck import i18n

    lang = i18n.use(lang)
    t0 = time.perf_counter()
    listed = list(iter_inputs(paths, include, exclude))
    errors = [x for x in listed if isinstance(x, InputError)]
    files = [x for x in listed if not isinstance(x, InputError)]
    results: list[FileResult] = []
    jobs = worker_count(jobs, len(files))
    if jobs > 1 and len(files) > 8 and "-" not in files:
        results = _run_parallel(files, jobs, (rule_dirs, select, ignore, approx, encode, lang, reference), progress,
                                settle)
    else:
        for f in files:
            r = process(f, rules, approx, encode=encode, reference=reference)
            results.append(r)
            if settle:
                _settle()
            if progress:
                progress(r)
    t1 = time.perf_counter()
    from factcheck.conflicts import find_conflicts

    conflict_rules = [r for r in rules if r.kind == "conflict"]
    try:
        prec = max((r.precision for r in results), default=USUAL_PRECISION)
        with collector_paused(settle), decimal_context(prec):
            conflicts = find_conflicts(conflict_rules, results, approx) if conflict_rules else []
    except Exception as e:  # a bug in the cross-article checks: an error of the run, the files' checks stand
        conflicts = []
        err = InputError("<cross-article checks>", _one_line(f"internal error: {type(e).__name__}: {e}"))
        err.internal = traceback.format_exc()
        errors.append(err)
    t2 = time.perf_counter()
    timings = {"files": len(files), "chars": sum(r.chars for r in results),
               "claims": sum(len(r.claims) for r in results), "read_extract_s": round(t1 - t0, 4),
               "check_s": 0.0, "conflicts_s": round(t2 - t1, 4)}
    return RunResult(results, errors, conflicts, timings)
