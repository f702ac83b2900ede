"""The archive's parts: schema versions, the compiled statements, the records' facts, URLs, and the check
against the archive compared with one run over the same articles."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from archive_helpers import gen_corpus

from factcheck.archive import ArchiveError
from factcheck.archive.url import parse

ROOT = Path(__file__).resolve().parent.parent.parent


# ---------------------------------------------------------------------------------------------- schema versions

def _script():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from factcheck.archive.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def test_known_versions_are_the_migrations():
    from factcheck.archive.version import HEAD, REVISIONS

    script = _script()
    assert script.get_current_head() == HEAD
    chain = [r.revision for r in script.walk_revisions()][::-1]  # oldest first
    assert tuple(chain) == REVISIONS


def test_migrations_make_the_schema_the_code_describes(archive_url):
    """Upgrading an empty database gives exactly the tables, columns and indexes of schema.py."""
    from sqlalchemy import inspect

    from factcheck.archive.schema import metadata
    from factcheck.archive.store import open_store

    with open_store(parse(archive_url), create=True) as store:
        insp = inspect(store.engine)
        for table in metadata.sorted_tables:
            cols = [c["name"] for c in insp.get_columns(table.name)]
            assert cols == [c.name for c in table.columns], table.name
            have = {i["name"]: i["column_names"] for i in insp.get_indexes(table.name)}
            want = {i.name: [c.name for c in i.columns] for i in table.indexes}
            assert {k: v for k, v in have.items() if k in want} == want, table.name
            assert set(want) <= set(have)


def test_an_archive_of_an_older_schema_is_upgraded_not_misread(work, archive_url):
    """An archive at version 0001 (no frames; rows of an older factcheck) is upgraded by the next command
    that opens it; its rows are read as they are, flagged as stale, and `factcheck index` renews them."""
    from alembic import command
    from alembic.config import Config
    from archive_helpers import cli
    from sqlalchemy import text

    from factcheck.archive.store import MIGRATIONS, open_store

    assert cli("index", "seeds/", "--archive", archive_url, cwd=work).returncode == 0
    with open_store(parse(archive_url)) as store:  # what factcheck wrote before version 0002
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
            conn.execute(text("UPDATE factcheck_articles SET extractor = 'format1'"))
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM factcheck_schema_version")).scalar() == "0001"
    r = cli("check", "seeds/001_5eba1bd811c369dd.txt", "--archive", archive_url, cwd=work)
    assert r.returncode == 1 and "为1208亿元，相差144亿元" in r.stdout, r.stderr
    assert "5 archived articles were indexed by another version of factcheck" in r.stderr
    assert " 101 | 1208亿元" in r.stdout  # no frame kept then: the figure alone, at its column
    with open_store(parse(archive_url), readonly=True) as store:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM factcheck_schema_version")).scalar() == "0002"
        assert store.consistency() == []
    r = cli("index", "seeds/", "--archive", archive_url, cwd=work)
    assert "5 articles indexed" in r.stdout and "0 unchanged" in r.stdout
    r = cli("check", "seeds/001_5eba1bd811c369dd.txt", "--archive", archive_url, cwd=work)
    assert " 101 | 1208亿元的产业项目97个。" in r.stdout and "another version" not in r.stderr


def test_sqlite_archive_is_in_wal_mode(tmp_path):
    import sqlite3

    from factcheck.archive.store import open_store

    url = str(tmp_path / "a.sqlite")
    open_store(parse(url), create=True).close()
    con = sqlite3.connect(url)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # readers never wait for a writer
    con.close()


def test_compiled_statements_are_current():
    """data/archive_sql.json is what SQLAlchemy compiles from schema.py now (python -m factcheck.archive.sql)."""
    from factcheck.archive.sql import SQL_FILE, compile_all, dumps

    assert SQL_FILE.read_text(encoding="utf-8") == dumps(compile_all()), \
        "src/factcheck/data/archive_sql.json is stale: run python -m factcheck.archive.sql"


def test_compiled_statements_bind_what_the_check_passes():
    from sqlalchemy.dialects import sqlite

    from factcheck.archive.sql import statements

    passed = {"version": set(), "archived": {"path"}, "same_content": {"h"}, "stale": {"fp"},
              "first": {"g", "n", "skip"}, "first_in_period": {"g", "p", "n", "skip"}}
    for key, stmt in statements().items():
        assert set(stmt.compile(dialect=sqlite.dialect(paramstyle="named")).params) == passed[key], key
    from sqlalchemy.dialects import postgresql

    batch = statements("postgresql")["first_batch"].compile(dialect=postgresql.psycopg2.dialect())
    assert set(batch.params) == {"gs", "is_", "pgs", "ps", "pis", "n"}
    src = (ROOT / "src" / "factcheck" / "archive" / "lookup.py").read_text(encoding="utf-8")
    for key in [*passed, "first_batch"]:
        assert f'"{key}"' in src, f"lookup.py does not run {key}"


# ---------------------------------------------------------------------------------------------- records

def _article_sets():
    sets = [ROOT / "seeds", ROOT / "tests" / "holdout", ROOT / "tests" / "holdout2"]
    return [p for p in sets if p.is_dir()]


def test_records_key_facts_as_a_check_does(tmp_path):
    """The archive's facts of an article are the facts `factcheck check` makes of it (same grouping key,
    period, identified set and readable key), so a new article meets its archived statements."""
    from factcheck.archive.records import CLAIM_COLUMNS, article_record, conflict_rule, key_json
    from factcheck.documents import iter_inputs
    from factcheck.extract import DEFAULT_APPROX
    from factcheck.pipeline import process
    from factcheck.rules.loader import rules_for_run

    rules = rules_for_run()
    rule = conflict_rule(rules)
    files = [f for d in _article_sets() for f in iter_inputs([str(d)]) if isinstance(f, str)]
    files += [f for f in iter_inputs([str(gen_corpus(tmp_path / "c", 40))]) if isinstance(f, str)]
    col = {c: i for i, c in enumerate(CLAIM_COLUMNS)}
    n_facts = 0
    for f in files:
        res = process(f, rules)
        rec = article_record(f, rule, DEFAULT_APPROX)
        assert rec.error is None and len(rec.claims) == len(res.claims), f
        want = {idx: (key_json(gk), period or "", bool(is_set), shown) for gk, idx, period, is_set, shown in res.facts[rule.id]}
        have = {row[col["idx"]]: (row[col["fact_key"]], row[col["period"]], row[col["is_set"]], row[col["shown"]])
                for row in rec.claims if row[col["group_key"]] is not None}
        assert have == want, f
        for row, c in zip(rec.claims, res.claims):
            assert (row[col["start"]], row[col["line"]], row[col["col"]], row[col["text"]]) == \
                (c.start, c.line, c.column, c.text)
            assert Decimal(row[col["value"]]) == c.value and row[col["unit"]] == c.unit
        n_facts += len(want)
    assert n_facts > 500


# ---------------------------------------------------------------------------------------------- URLs

def test_urls_and_masked_passwords(tmp_path):
    u = parse("postgresql://editor:p%40ss:w0rd@db.example:5433/news?sslmode=require")
    assert (u.backend, u.user, u.password, u.host, u.port, u.database) == \
        ("postgresql", "editor", "p@ss:w0rd", "db.example", 5433, "news")
    assert u.shown == "postgresql://editor:***@db.example:5433/news?sslmode=require"
    assert "w0rd" not in u.shown and u.scrub("failed for p@ss:w0rd and p%40ss%3Aw0rd") == "failed for *** and ***"
    q = parse("postgres://db.example/news?user=x&password=hunter2")
    assert "hunter2" not in q.shown and q.scrub("hunter2!") == "***!"
    assert parse("postgresql+psycopg2://u@h/d").libpq_dsn() == "postgresql://u@h/d"
    assert parse("a.sqlite").path == "a.sqlite" and parse("sqlite:///a.sqlite").path == "a.sqlite"
    assert parse("sqlite:////tmp/x/a.sqlite").path == "/tmp/x/a.sqlite"
    assert parse("claims.sqlite", str(tmp_path)).path == str(tmp_path / "claims.sqlite")
    for bad, why in (("mysql://u:secret@h/d", "unsupported"), ("sqlite://a.sqlite", "sqlite:///"),
                     ("postgresql://u:secret@h:notaport/d", "not a valid"), (":memory:", "in-memory"), ("", "empty")):
        with pytest.raises(ArchiveError, match=why) as e:
            parse(bad)
        assert "secret" not in str(e.value)


# ---------------------------------------------------------------------------------------------- one standard

def _pairs(checks) -> dict:
    out = {}
    for chk in checks:
        if chk.rule != "FC801" or chk.status != "discrepancy":
            continue
        key = frozenset((c.path, c.line, c.column) for _, c in chk.claims)
        out[key] = (chk.severity, chk.miss, frozenset((chk.stated, chk.recomputed)))
    return out


def test_the_archive_makes_the_comparisons_of_one_run(tmp_path, archive_url):
    """On a generated corpus: each of the last articles checked against an archive of the others finds
    every conflict that one run over the others and it finds for it, with the same severity and miss."""
    from factcheck.archive.indexer import index
    from factcheck.archive.lookup import check_against_archive
    from factcheck.archive.store import open_store
    from factcheck.documents import iter_inputs
    from factcheck.extract import DEFAULT_APPROX
    from factcheck.pipeline import run
    from factcheck.rules.loader import rules_for_run

    corpus = gen_corpus(tmp_path / "corpus", 160, seed=11)
    files = sorted(f for f in iter_inputs([str(corpus)]) if isinstance(f, str))
    # twelve articles from across the corpus (past its first 40, so that the group's first statement is
    # usually in the archive): some of them restate a fact of the others differently
    new = [f for i, f in enumerate(files) if i >= 40 and i % 7 == 3][:12]
    old = [f for f in files if f not in new]
    rules = rules_for_run()
    with open_store(parse(archive_url), create=True) as store:
        got = index(store, old, rules, jobs=2)
        assert got.indexed == len(old) and not got.errors
    in_run_total = found_total = 0
    for f in new:
        one_run = run(old + [f], rules, approx=DEFAULT_APPROX)
        want = {k: v for k, v in _pairs(one_run.conflicts).items() if any(p == f for p, _, _ in k)}
        alone = run([f], rules, approx=DEFAULT_APPROX)
        found = check_against_archive(archive_url, alone.files, rules, DEFAULT_APPROX)
        have = _pairs(found.checks)
        for k, v in want.items():
            assert have.get(k) == v, (f, sorted(k))
        in_run_total += len(want)
        found_total += len(have)
        for chk in found.checks:
            assert chk.claims[0][1].path == f and chk.details["archived"]["path"] in old
            if chk.status == "discrepancy" and chk.severity == "error":
                # an unknown or different period is never an error
                assert chk.details["time_scope"].startswith("same period")
    assert in_run_total > 0 and found_total >= in_run_total


def test_no_full_scan_on_check(tmp_path):
    """The check's statements use the fact indexes (SQLite's plan), whatever the archive's size."""
    import sqlite3

    from factcheck.archive.sql import load
    from factcheck.archive.store import open_store

    url = str(tmp_path / "a.sqlite")
    open_store(parse(url), create=True).close()
    con = sqlite3.connect(url)
    q = load()["sqlite"]
    params = {"first": {"g": 1, "n": 2, "skip": 0}, "first_in_period": {"g": 1, "p": "2024", "n": 2, "skip": 0},
              "archived": {"path": "x"}, "same_content": {"h": "x"}, "stale": {"fp": "x"}}
    for key, p in params.items():
        plan = " | ".join(r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + q[key], p))
        # every table is searched through an index (SEARCH), none scanned, not even a whole index (SCAN)
        assert "SEARCH factcheck_" in plan and not re.search(r"SCAN factcheck_", plan), (key, plan)
        if key.startswith("first"):
            assert "TEMP B-TREE" not in plan, (key, plan)  # the index gives the order: no sort
    con.close()
