"""The benchmark's own code (bench/run.py), without running a timed measurement: the real-text corpus
builder (the dev articles repeated to a size) and the summary rows of the real-text steps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def articles(tmp_path):
    src = tmp_path / "articles"
    src.mkdir()
    texts = {"b.txt": "项目总数69个，其中A项目22个。\n" * 3,  # 17 chars a line
             "a.txt": "总投资311.2亿元。\n",
             "c.txt": "第三届\r\n同比增长5%\n"}  # \r\n kept as it is
    for name, t in texts.items():
        (src / name).write_bytes(t.encode("utf-8"))
    (src / "notes.md").write_text("not an article", encoding="utf-8")
    return src, {n: t.encode("utf-8") for n, t in texts.items()}


def check(files, chars, dest, sources, target):
    names = [f.name for f in files]
    assert len(set(names)) == len(names)  # distinct names
    assert sorted(p.name for p in dest.iterdir()) == sorted(names)  # all in dest, nothing else
    assert all(f.parent == dest for f in files)
    # every copy is one article, byte for byte, and the count is right
    originals = [f.name.split("_", 2)[2] for f in files]
    assert all(f.read_bytes() == sources[o] for f, o in zip(files, originals))
    assert chars == sum(len(f.read_text(encoding="utf-8")) for f in files)
    # the articles in sorted order, round after round; every article at least once
    order = sorted(sources)
    assert originals == [order[i % len(order)] for i in range(len(files))]
    assert set(originals) == set(sources)
    # at least the requested size, stopping at the first copy that reaches it
    last = len(files[-1].read_text(encoding="utf-8"))
    assert chars >= target
    if len(files) > len(sources):
        assert chars - last < target
    return originals


def test_real_corpus_repeats_to_the_requested_size(bench, articles, tmp_path):
    src, sources = articles
    one_round = sum(len(b.decode("utf-8").replace("\r\n", "\n")) for b in sources.values())
    dest = tmp_path / "out" / "tmp" / "real"
    target = 10 * one_round + 5
    files, chars = bench.build_real_corpus(src, dest, target)
    originals = check(files, chars, dest, sources, target)
    assert len(files) == 10 * len(sources) + 1  # ten whole rounds and the first article of the next
    assert originals.count("a.txt") == 11
    assert files[0].name == "000_0000_a.txt" and files[-1].name == "010_0000_a.txt"


def test_real_corpus_copies_every_article_even_below_one_round(bench, articles, tmp_path):
    src, sources = articles
    dest = tmp_path / "real"
    files, chars = bench.build_real_corpus(src, dest, 1)
    check(files, chars, dest, sources, 1)
    assert len(files) == len(sources)


def test_real_corpus_is_rebuilt_from_scratch(bench, articles, tmp_path):
    src, sources = articles
    dest = tmp_path / "real"
    bench.build_real_corpus(src, dest, 10_000)
    files, chars = bench.build_real_corpus(src, dest, 100)  # a smaller size leaves no stale copies
    check(files, chars, dest, sources, 100)


def test_real_corpus_without_text_fails(bench, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(bench.StepFailed):
        bench.build_real_corpus(tmp_path / "empty", tmp_path / "real", 1000)


def test_summary_reports_real_text_beside_the_generated_corpus(bench):
    summary = {"files": 2, "claims": 30, "checks": 12, "ok": 10, "discrepancies": {"error": 1, "warning": 1},
               "unverifiable": 0, "errors": 0}
    steps = {
        "throughput_jobs1": {"status": "ok", "chars_per_s": 2e6, "chars": 10_000, "report_summary": summary},
        "jionlp": {"status": "ok", "throughput": {"chars_per_s": 1e6, "entities": 40, "chars": 20_000}},
        "real_corpus": {"status": "ok", "files": 3, "chars": 1000},
        "real_throughput_jobs1": {"status": "ok", "chars_per_s": 4e5, "chars": 1000, "report_summary": summary},
        "real_throughput_jobs2": {"status": "ok", "chars_per_s": 6e5, "chars": 1000},
        "real_jionlp": {"status": "ok", "throughput": {"chars_per_s": 1e6, "entities": 5, "chars": 1000}},
    }
    rows = {r["key"]: r for r in bench.summarize(steps, 2)}
    assert rows["ratio_jionlp"]["value"] == 2.0
    assert rows["real_cps_jobs1"]["value"] == 4e5 and rows["real_jionlp_cps"]["value"] == 1e6
    assert rows["real_ratio_jionlp"]["value"] == pytest.approx(0.4)
    assert rows["real_ratio_jionlp"]["verdict"] == "FAIL"  # target: >= 0.5 x jionlp
    assert rows["real_ratio_jionlp_jobs2"]["value"] == pytest.approx(0.3)
    assert rows["claims_per_kchar"]["value"] == 3.0 and rows["real_claims_per_kchar"]["value"] == 30.0
    assert rows["real_discrepancies_per_kchar"]["value"] == 2.0
    assert rows["jionlp_money_per_kchar"]["value"] == 2.0 and rows["real_jionlp_money_per_kchar"]["value"] == 5.0
    steps["real_jionlp"]["throughput"]["chars_per_s"] = 8e5
    assert {r["key"]: r for r in bench.summarize(steps, 2)}["real_ratio_jionlp"]["verdict"] == "pass"


def test_summary_marks_skipped_real_text(bench):
    steps = {"real_corpus": {"status": "skipped", "reason": "no folder"},
             "real_throughput_jobs1": {"status": "skipped", "reason": "no folder"}}
    rows = {r["key"]: r for r in bench.summarize(steps, 1)}
    assert rows["real_cps_jobs1"]["value"] is None and rows["real_cps_jobs1"]["status"] == "skipped"
    assert rows["real_ratio_jionlp"]["verdict"] is None
    bench.print_table(list(rows.values()))  # prints "skipped", does not fail on the missing figures


def test_installed_builds_run_without_pythonpath(bench, monkeypatch):
    """PYTHONPATH=src would make the bench's venvs run the checkout's pure-Python sources."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    env = bench.installed_env()
    assert "PYTHONPATH" not in env and env["PATH"] == bench.os.environ["PATH"]
