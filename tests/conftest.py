"""Shared fixtures: the repository's folders and a one-call extractor for test sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _run_language():
    """Each test starts in the default language (Chinese): a command run in-process with --lang en sets
    the process's language, which must not leak into the next test."""
    from factcheck import i18n

    i18n.use(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.use(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def extract_text():
    """extract_text("总投资311.2亿元") -> the claims of that text, read as one document."""
    from factcheck.documents import Document
    from factcheck.extract import extract

    def run(text: str, path: str = "t.txt"):
        return extract(Document(path, text))

    return run


@pytest.fixture(scope="session")
def one_claim(extract_text):
    """The single claim of a text; fails the test when there is not exactly one."""

    def run(text: str):
        claims = extract_text(text)
        assert len(claims) == 1, f"{text!r}: expected one claim, got {[c.text for c in claims]}"
        return claims[0]

    return run
