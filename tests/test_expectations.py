"""Relation-level expectations: every check factcheck makes on the project's article sets, as
(rule, status, the figures' raw texts), against tests/expectations/<set>.json, compared as multisets
article by article (tools/expectations.py). Messages, notes and fingerprints are not part of it: a
change that keeps the relations passes untouched; one that changes them fails with the list of the
relations that moved. When the change is on purpose, read that list, then

    python tools/expectations.py --update            # or --set NAME --update for one set

and commit the new files with the change that explains them. The dev corpus lives beside the repository
(../shared/eval/dev/articles): without it its case skips, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from shared_eval import DEV_ARTICLES, require

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("factcheck_expectations_tool", ROOT / "tools" / "expectations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.mark.parametrize("set_name", list(tool.SETS))
def test_relations_are_the_expected_ones(set_name):
    folder = tool.SETS[set_name]
    if set_name == "dev":
        assert folder == DEV_ARTICLES
        require(folder, "the dev corpus", folder=True)
    assert folder.is_dir(), folder
    assert tool.path_of(set_name).is_file(), f"no expectations for {set_name}: python tools/expectations.py --set {set_name} --update"
    expected = tool.load(set_name)
    got = tool.relations(folder)
    diff = tool.moved(expected, got)
    n = sum(map(len, expected.values()))
    assert not diff, (
        f"{len(diff)} of the relations in {set_name} moved ({n} expected; '-' expected and not made, '+' made and "
        f"not expected). If on purpose: python tools/expectations.py --set {set_name} --update\n" + "\n".join(diff))


def test_expectation_files_are_as_the_tool_writes_them():
    """Each file is the tool's own rendering of what it holds (sorted, one relation a line): a hand edit that
    breaks the order or the format shows here rather than as a confusing diff later."""
    for set_name in tool.SETS:
        path = tool.path_of(set_name)
        assert path.is_file(), path
        assert path.read_text(encoding="utf-8") == tool.dump(set_name, tool.load(set_name)), path


def test_moved_relations_are_named_one_by_one():
    expected = {"a.txt": [("FC101", "ok", ("69个", "22个", "47个")), ("FC701", "ok", ("11个", "11个")),
                          ("FC701", "ok", ("11个", "11个"))],
                "b.txt": []}
    got = {"a.txt": [("FC101", "discrepancy", ("69个", "22个", "47个")), ("FC701", "ok", ("11个", "11个"))],
           "c.txt": [("FC201", "ok", ("1217个", "1213个", "99.67%"))]}
    assert tool.moved(expected, expected) == []
    assert tool.moved(expected, got) == [
        "a.txt: - FC101 ok 69个 · 22个 · 47个",
        "a.txt: - FC701 ok 11个 · 11个",  # one of two identical relations lost: a multiset, not a set
        "a.txt: + FC101 discrepancy 69个 · 22个 · 47个",
        "b.txt: expected, but not checked (no such article?)",
        "c.txt: checked, but has no expectations (a new article: --update)",
    ]
