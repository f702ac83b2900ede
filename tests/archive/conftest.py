"""Fixtures of the claim-archive tests: an archive on each backend, real factcheck processes.

PostgreSQL comes from FACTCHECK_TEST_POSTGRES (a URL of a server where the tests may create
databases; .ci/run starts a throwaway one with .ci/postgres). Each test gets a database of its own,
dropped afterwards. Without that variable the PostgreSQL cases are skipped, saying why, except in CI
(CI=true, or FACTCHECK_REQUIRE_POSTGRES=1 which .ci/run sets), where they fail: CI must test both
backends.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
PG_ENV = "FACTCHECK_TEST_POSTGRES"
BACKENDS = ["sqlite", "postgresql"]


def postgres_required() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes") or \
        os.environ.get("FACTCHECK_REQUIRE_POSTGRES", "").strip() == "1"


@pytest.fixture(scope="session")
def pg_base():
    """The URL of the test server (a database the tests may connect to and create databases from)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        why = (f"PostgreSQL archive tests need a server: set {PG_ENV}=postgresql://user@host:port/db "
               "(.ci/run starts a throwaway one with .ci/postgres)")
        if postgres_required():
            pytest.fail(f"{why}; in CI these tests fail instead of skipping")
        pytest.skip(why)
    import psycopg2

    try:
        psycopg2.connect(url).close()
    except psycopg2.Error as e:
        pytest.fail(f"{PG_ENV} names a PostgreSQL server that does not answer: {e}")
    return url


def _with_database(url: str, name: str) -> str:
    head, _, tail = url.partition("://")
    netloc, _, rest = tail.partition("/")
    query = ("?" + rest.split("?", 1)[1]) if "?" in rest else ""
    return f"{head}://{netloc}/{name}{query}"


@pytest.fixture
def pg_url(pg_base):
    """A fresh, empty PostgreSQL database for one test."""
    import psycopg2

    name = "fc_test_" + uuid.uuid4().hex[:12]
    con = psycopg2.connect(pg_base)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    con.close()
    yield _with_database(pg_base, name)
    con = psycopg2.connect(pg_base)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    con.close()


@pytest.fixture(params=BACKENDS)
def archive_url(request, tmp_path):
    """An archive URL that does not exist yet, on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working folder with a copy of the seeds (paths in reports are relative to it)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path
