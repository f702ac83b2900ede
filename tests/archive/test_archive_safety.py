"""The archive's safety with real processes: a `factcheck index` killed mid-run, two at once, damaged or
foreign files, passwords in URLs; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from archive_helpers import cli, gen_corpus, popen

from factcheck.archive.url import parse

SEED_001 = "seeds/001_5eba1bd811c369dd.txt"


def _count(url: str) -> int:
    """Articles in the archive, read with the driver (0 while it does not exist yet)."""
    u = parse(url)
    try:
        if u.backend == "sqlite":
            if not os.path.exists(u.path):
                return 0
            con = sqlite3.connect(f"file:{u.path}?mode=ro", uri=True, timeout=30)
        else:
            import psycopg2

            con = psycopg2.connect(u.libpq_dsn())
        try:
            cur = con.cursor()
            cur.execute("SELECT count(*) FROM factcheck_articles")
            return cur.fetchone()[0]
        finally:
            con.close()
    except Exception:
        return 0  # the tables are not made yet


def _consistent(url: str) -> tuple[int, int]:
    """Every archived article has exactly the claims it records (nothing half-written); (articles, claims)."""
    from factcheck.archive.store import open_store

    with open_store(parse(url), readonly=True) as store:
        assert store.consistency() == []
        s = store.stats()
    return s["articles"], s["claims"]


def _expected(files: list[str]) -> dict[str, int]:
    from factcheck.archive.records import article_record, conflict_rule
    from factcheck.extract import DEFAULT_APPROX
    from factcheck.rules.loader import rules_for_run

    rule = conflict_rule(rules_for_run())
    return {f: len(article_record(f, rule, DEFAULT_APPROX).claims) for f in files}


def _archived_claims(url: str) -> dict[str, int]:
    from sqlalchemy import select

    from factcheck.archive.schema import articles
    from factcheck.archive.store import open_store

    with open_store(parse(url), readonly=True) as store, store.engine.connect() as conn:
        return dict(conn.execute(select(articles.c.path, articles.c.n_claims)).all())


def _files(folder: Path, root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in folder.rglob("*.txt"))


def test_killed_index_leaves_a_consistent_archive_and_the_next_run_completes_it(tmp_path, archive_url):
    corpus = gen_corpus(tmp_path / "corpus", 400, seed=5)
    files = _files(corpus, tmp_path)
    seen_partial = []
    for round_ in range(3):  # killed at different points of the run
        p = popen("index", "corpus", "--archive", archive_url, "--jobs", "1", "--no-progress", cwd=tmp_path)
        target = _count(archive_url) + 15 + 20 * round_
        deadline = time.monotonic() + 300
        while _count(archive_url) < target and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert p.poll() is None, f"the run ended before it could be killed: {p.communicate()}"
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        assert p.returncode == -signal.SIGKILL
        n, _ = _consistent(archive_url)  # never half an article
        assert 0 < n < len(files)
        seen_partial.append(n)
    assert seen_partial == sorted(seen_partial)  # each run went on from the last one's articles
    r = cli("index", "corpus", "--archive", archive_url, "--no-progress", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"{len(files) - seen_partial[-1]} articles indexed" in r.stdout, r.stdout
    assert f"{seen_partial[-1]} unchanged" in r.stdout
    n, claims = _consistent(archive_url)
    assert n == len(files)
    want = _expected([str(tmp_path / f) for f in files])
    assert _archived_claims(archive_url) == {f: want[str(tmp_path / f)] for f in files}
    assert claims == sum(want.values())


def test_two_index_processes_at_once_lose_nothing(tmp_path, archive_url):
    corpus = gen_corpus(tmp_path / "corpus", 300, seed=9)
    names = sorted(p.name for p in corpus.rglob("*.txt"))
    for folder, part in (("a", names[:120]), ("b", names[120:240]), ("shared", names[240:])):
        (tmp_path / folder).mkdir()
        for name in part:
            (tmp_path / folder / name).write_bytes(next(corpus.rglob(name)).read_bytes())
    runs = [popen("index", "a", "shared", "--archive", archive_url, "--jobs", "1", "--no-progress", cwd=tmp_path),
            popen("index", "b", "shared", "--archive", archive_url, "--jobs", "1", "--no-progress", cwd=tmp_path)]
    outs = [p.communicate(timeout=900) for p in runs]
    for p, (out, err) in zip(runs, outs):
        assert p.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    files = _files(tmp_path / "a", tmp_path) + _files(tmp_path / "b", tmp_path) + _files(tmp_path / "shared", tmp_path)
    n, claims = _consistent(archive_url)
    assert n == len(files) == 300
    want = _expected([str(tmp_path / f) for f in files])
    assert _archived_claims(archive_url) == {f: want[str(tmp_path / f)] for f in files}
    r = cli("index", "a", "b", "shared", "--archive", archive_url, "--no-progress", cwd=tmp_path)
    assert "0 articles indexed" in r.stdout and "300 unchanged" in r.stdout


# ---------------------------------------------------------------------------------------------- damaged files

def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _archive(work: Path, tmp_path: Path) -> Path:
    url = tmp_path / "good.sqlite"
    assert cli("index", "seeds/", "--archive", url, cwd=work).returncode == 0
    con = sqlite3.connect(url)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return url


def _damaged(kind: str, work: Path, tmp_path: Path) -> tuple[Path, str]:
    p = tmp_path / f"{kind}.sqlite"
    if kind == "random-bytes":
        p.write_bytes(os.urandom(8192))
        return p, "not an SQLite database"
    if kind == "text-file":
        p.write_text("期刊 archive notes\n", encoding="utf-8")
        return p, "not an SQLite database"
    if kind == "foreign-sqlite":
        con = sqlite3.connect(p)
        con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")
        con.execute("INSERT INTO articles (body) VALUES ('x')")
        con.commit()
        con.close()
        return p, "not a factcheck archive (an SQLite database with other tables: articles)"
    good = _archive(work, tmp_path).read_bytes()
    if kind == "cut-short":
        p.write_bytes(good[: len(good) // 2])
        return p, "cut short"
    if kind == "garbage-pages":
        page = int.from_bytes(good[16:18], "big")
        bad = bytearray(good)
        for at in range(page, len(bad), page):  # every page after the first: the schema is readable, the data not
            bad[at:at + page] = os.urandom(min(page, len(bad) - at))
        p.write_bytes(bytes(bad))
        return p, "damaged"
    if kind == "newer-schema":
        p.write_bytes(good)
        con = sqlite3.connect(p)
        con.execute("UPDATE factcheck_schema_version SET version_num = '9999'")
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        return p, "schema version 9999, newer than this factcheck knows"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["random-bytes", "text-file", "foreign-sqlite", "cut-short", "garbage-pages",
                                  "newer-schema"])
def test_a_damaged_or_foreign_file_is_an_error_and_stays_as_it_is(work, tmp_path, kind):
    path, why = _damaged(kind, work, tmp_path)
    before = _digest(path)
    for args in (["index", "seeds/"], ["check", SEED_001], ["archive", "stats"], ["archive", "search", "项目"],
                 ["archive", "show", SEED_001]):
        r = cli(*args, "--archive", path, cwd=work)
        assert r.returncode == 2, (kind, args, r.stdout, r.stderr)
        assert str(path) in r.stderr and why in r.stderr, (kind, args, r.stderr)
        assert "Traceback" not in r.stderr
        assert _digest(path) == before, (kind, args)
        assert not os.path.exists(str(path) + "-wal") or os.path.getsize(str(path) + "-wal") == 0


# ---------------------------------------------------------------------------------------------- passwords

def test_a_password_in_the_url_is_never_printed(work, pg_url):
    """The test server trusts local connections, so any password opens it: every command's output and
    every error must mask it."""
    secret = "Sup3r-Secr3t-pw"
    head, _, rest = pg_url.partition("://")
    user, _, hostpart = rest.partition("@")
    url = f"{head}://{user}:{secret}@{hostpart}"
    wrong_db = url.rsplit("/", 1)[0] + "/no_such_database_here"
    wrong_port = f"{head}://{user}:{secret}@127.0.0.1:1/x"
    runs = [cli("index", "seeds/", "--archive", url, "--progress", cwd=work),
            cli("check", SEED_001, "--archive", url, "--format", "json", cwd=work),
            cli("check", SEED_001, "--archive", url, "--format", "sarif", cwd=work),
            cli("archive", "stats", "--archive", url, "--format", "json", cwd=work),
            cli("archive", "stats", "--archive", url, cwd=work),
            cli("index", "seeds/", "--archive", wrong_db, cwd=work),
            cli("check", SEED_001, "--archive", wrong_db, "--debug", cwd=work),
            cli("archive", "search", "项目", "--archive", wrong_port, "--debug", cwd=work),
            cli("check", SEED_001, "--archive", f"postgresql://{user}:{secret}@127.0.0.1:bad/x", cwd=work)]
    assert runs[1].returncode == 1 and "1352亿元" in runs[1].stdout
    assert '"archive":"postgresql://' in runs[1].stdout and ":***@" in runs[1].stdout
    for r in runs[5:]:
        assert r.returncode == 2 and ":***@" in r.stderr, r.stderr
    for r in runs:
        assert secret not in r.stdout and secret not in r.stderr
