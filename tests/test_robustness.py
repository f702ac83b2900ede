"""Issue 6: bad input gets a clear error and the rest of the run goes on.

Per file: each unreadable input is one line on stderr that names the file and the reason, every other
file is still checked and reported, and the exit code is 2. Bad rule files and configuration: one error
naming the file, the line when the parser gives one, the key and the reason; exit code 2; no traceback.
Internal errors: reported for the article they happened in, never swallowed, never exit code 0.

The CLI runs in a subprocess (real stdout/stderr, real exit code) except where a function has to be
monkeypatched; those run in-process with click's CliRunner and --jobs 1.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HOSTILE = ROOT / "tests" / "data" / "hostile"
SEED = "000_3e47b0061565aec6.txt"  # has the 22 + 29 + 19 ≠ 69 breakdown discrepancy (FC101)
RULE_FC101 = ROOT / "rules" / "FC101.yaml"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fc-cache")


def cli(args, cache_dir, cwd=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e["FACTCHECK_CACHE_DIR"] = str(cache_dir)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "factcheck", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


def lines_naming(stderr: str, name: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if name in ln]


def assert_good_file_checked(report: dict, good_path: str) -> None:
    """The good seed was read, its claims extracted and its known discrepancy (69个) reported."""
    files = {f["path"]: f for f in report["files"]}
    assert good_path in files and files[good_path]["error"] is None
    assert files[good_path]["claims"] > 20
    assert any(c["status"] == "discrepancy" and c["rule"] == "FC101" and "69" in c["message"]
               for c in report["checks"] if c["claims"] and c["claims"][0]["path"] == good_path)


# --- bad input files ------------------------------------------------------------------------------------

def _make_png(d: Path) -> Path:
    return Path(shutil.copy(HOSTILE / "image.png", d / "image.png"))


def _make_png_as_txt(d: Path) -> Path:  # found by walking a folder, not only when named on the command line
    return Path(shutil.copy(HOSTILE / "image.png", d / "photo.txt"))


def _make_zip(d: Path) -> Path:
    return Path(shutil.copy(HOSTILE / "archive.zip", d / "archive.zip"))


def _make_invalid_utf8_not_gb(d: Path) -> Path:
    p = d / "latin1.txt"  # Latin-1 bytes: invalid UTF-8, and 0xE9 0x20 is not a GB18030 sequence either
    p.write_bytes("Café résumé naïve, 12 éléments à la crème brûlée.".encode("latin-1"))
    return p


def _make_random_high_bytes(d: Path) -> Path:
    p = d / "noise.txt"
    p.write_bytes(bytes(range(128, 256)) * 8)
    return p


def _make_damaged_utf8(d: Path) -> Path:
    """A UTF-8 article with one broken byte: an error, not the whole article read as GB18030 mojibake."""
    data = (SEEDS / SEED).read_bytes()
    p = d / "damaged.txt"
    p.write_bytes(data[:600] + b"\xff" + data[600:])
    return p


def _make_long_line(d: Path) -> Path:
    """Decision: a line of over documents.MAX_LINE_CHARS (1 Mi) characters is not an article (a dump, a
    minified file, a blob) and is refused with the line number and its length, rather than spending
    minutes on it. The adversarial tests check 1,000,000-character lines, which are still read."""
    p = d / "oneline.txt"
    p.write_text("全区共有项目69个，其中甲类项目22个，乙类项目29个，丙类项目19个。" * (5 * 1024 * 1024 // 75 + 1), encoding="utf-8")
    assert p.stat().st_size > 5_000_000 and b"\n" not in p.read_bytes()
    return p


def _make_symlink_loop(d: Path) -> Path:
    loop = d / "loop"
    (loop / "inner").mkdir(parents=True)
    (loop / "inner" / "a.txt").write_text("项目3个。", encoding="utf-8")
    os.symlink("..", loop / "inner" / "back")
    return loop / "inner" / "back"


def _make_missing(d: Path) -> Path:
    return d / "does-not-exist.txt"


def _make_dangling_symlink(d: Path) -> Path:
    os.symlink(d / "nowhere" / "gone.txt", d / "dangling.txt")
    return d / "dangling.txt"


def _make_fifo(d: Path) -> Path:
    """A named pipe with no writer in a folder: opening it would block the run forever."""
    os.mkfifo(d / "pipe.txt")
    return d / "pipe.txt"


# (maker, name fragment that must appear in the stderr line, reason fragment, passed explicitly)
BAD_FILES = {
    "binary-image": (_make_png, "image.png", "binary file", True),
    "binary-image-in-folder": (_make_png_as_txt, "photo.txt", "binary file", False),
    "zip-archive": (_make_zip, "archive.zip", "binary file", True),
    "invalid-utf8-not-gb18030": (_make_invalid_utf8_not_gb, "latin1.txt", "not UTF-8", False),
    "random-high-bytes": (_make_random_high_bytes, "noise.txt", "not UTF-8", False),
    "damaged-utf8": (_make_damaged_utf8, "damaged.txt", "invalid UTF-8 at byte", False),
    "one-5mb-line": (_make_long_line, "oneline.txt", "characters long", False),
    "directory-symlink-loop": (_make_symlink_loop, "back", "symlink loop", False),
    "missing-path": (_make_missing, "does-not-exist.txt", "no such file", True),
    "dangling-symlink": (_make_dangling_symlink, "dangling.txt", "broken symbolic link", False),
    "fifo-in-folder": (_make_fifo, "pipe.txt", "not a regular file", False),
}


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_one_error_line_and_the_run_goes_on(tmp_path, cache_dir, case, fmt):
    maker, name, reason, explicit = BAD_FILES[case]
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / SEED, folder / SEED)
    bad = maker(folder)
    args = [folder] + ([bad] if explicit else [])
    r = cli([*args, "--format", fmt, "--jobs", "1", "--no-progress"], cache_dir)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    mentions = lines_naming(r.stderr, name)
    assert len(mentions) == 1, r.stderr  # exactly one line for the bad file …
    assert reason in mentions[0], mentions[0]  # … with the reason
    assert str(bad) in mentions[0] or name in mentions[0]
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # and nothing else on stderr
    if fmt == "json":
        report = json.loads(r.stdout)
        assert any(name in e["path"] and reason in e["reason"] for e in report["errors"])
        assert report["summary"]["errors"] == 1
        assert_good_file_checked(report, str(folder / SEED))
    else:
        assert f"{folder / SEED}:84:" in r.stdout  # the good file's discrepancy is still reported
        assert "1 个输入错误" in r.stdout


def test_each_bad_file_together_still_checks_the_good_one(tmp_path, cache_dir):
    """All the bad files in one run: one stderr line each, the good file checked, exit code 2."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / SEED, folder / SEED)
    explicit = []
    for maker, _, _, expl in BAD_FILES.values():
        p = maker(folder)
        if expl:
            explicit.append(p)
    r = cli([folder, *explicit, "--format", "json", "--jobs", "2", "--no-progress"], cache_dir)
    assert r.returncode == 2
    report = json.loads(r.stdout)
    assert report["summary"]["errors"] == len(BAD_FILES)
    assert len(r.stderr.strip().splitlines()) == len(BAD_FILES), r.stderr
    for _, name, reason, _ in BAD_FILES.values():
        assert len(lines_naming(r.stderr, name)) == 1
    assert_good_file_checked(report, str(folder / SEED))


def test_long_lines_under_the_limit_are_read_in_linear_time(tmp_path):
    """Three lines of 1,000,000 characters: each under the line limit, so read; the check of line lengths
    must not rescan each line from every position (a regex [^\\n]{N,} took minutes on this)."""
    import time

    from factcheck.documents import MAX_LINE_CHARS, read_document

    p = tmp_path / "long.txt"
    p.write_text(("项" * 1_000_000 + "\n") * 3, encoding="utf-8")
    assert 1_000_000 < MAX_LINE_CHARS
    t = time.perf_counter()
    doc = read_document(str(p))
    assert time.perf_counter() - t < 5
    assert len(doc.text) == 3_000_003


def test_deep_folder_tree_is_walked(tmp_path, cache_dir):
    """1,200 nested folders (deeper than Python's recursion limit): walked, and the file at the bottom read."""
    top = tmp_path / "deep"
    d = str(top)
    os.mkdir(d)
    for _ in range(1200):  # one level at a time: os.makedirs and Path.mkdir(parents=True) recurse
        d = os.path.join(d, "d")
        os.mkdir(d)
    try:
        shutil.copy(SEEDS / SEED, os.path.join(d, SEED))
        r = cli([top, "--format", "json", "--jobs", "1"], cache_dir)
        assert r.returncode == 1, r.stderr[-2000:]
        assert_good_file_checked(json.loads(r.stdout), os.path.join(d, SEED))
    finally:
        _remove_deep_tree(str(top))  # pytest's own clean-up (shutil.rmtree) recurses and would fail on it


def _remove_deep_tree(top: str) -> None:
    """Remove a folder tree of any depth without recursion (chdir down, then remove bottom-up)."""
    cwd = os.getcwd()
    try:
        depth = 0
        os.chdir(top)
        while True:
            for name in os.listdir("."):
                if not os.path.isdir(name) or os.path.islink(name):
                    os.unlink(name)
            subs = [n for n in os.listdir(".") if os.path.isdir(n)]
            if not subs:
                break
            os.chdir(subs[0])
            depth += 1
        for _ in range(depth):
            here = os.path.basename(os.getcwd())
            os.chdir("..")
            os.rmdir(here)
    finally:
        os.chdir(cwd)
    os.rmdir(top)


def test_empty_file_is_an_article_without_claims(tmp_path, cache_dir):
    """Decision: an empty file (or one of blank lines) is not an error. It is read, it has no claims and
    no checks, it counts as a file, and it changes nothing in the exit code: an empty article has
    nothing in it that could be wrong. (An error would make a CI gate fail on a placeholder file.)"""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("\n\n  \n", encoding="utf-8")
    r = cli([tmp_path, "--format", "json", "--jobs", "1"], cache_dir)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    report = json.loads(r.stdout)
    assert [(f["path"], f["claims"], f["error"]) for f in report["files"]] == [
        (str(tmp_path / "blank.md"), 0, None), (str(tmp_path / "empty.txt"), 0, None)]
    assert report["errors"] == [] and report["checks"] == []
    shutil.copy(SEEDS / SEED, tmp_path / SEED)  # next to a real article: the exit code is the article's (1)
    r = cli([tmp_path, "--format", "json", "--jobs", "1"], cache_dir)
    assert r.returncode == 1 and r.stderr == ""


def _run_in_process(args):
    return CliRunner().invoke(main, [*map(str, args), "--jobs", "1", "--no-progress"])


def test_file_removed_between_listing_and_reading(tmp_path, monkeypatch):
    """The file is listed, then deleted just before it is read (a real race, forced by a wrapper)."""
    import factcheck.pipeline as pipeline

    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    gone = tmp_path / "gone.txt"
    gone.write_text("项目3个。", encoding="utf-8")
    real = pipeline.read_document

    def delete_then_read(path):
        if path == str(gone):
            os.unlink(path)
        return real(path)

    monkeypatch.setattr(pipeline, "read_document", delete_then_read)
    r = _run_in_process([tmp_path, "--format", "json"])
    assert not gone.exists()  # the wrapper ran: the file really vanished after it was listed
    assert r.exit_code == 2, r.output
    mentions = lines_naming(r.stderr, "gone.txt")
    assert len(mentions) == 1 and "no such file" in mentions[0]
    report = json.loads(r.stdout)
    assert_good_file_checked(report, str(tmp_path / SEED))


def test_unreadable_file(tmp_path, monkeypatch):
    """Permission denied on open. The tests run as root, where chmod 000 does not stop a read, so the
    denial is simulated: factcheck.documents' open raises PermissionError for that one file."""
    import factcheck.documents as documents

    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    locked = tmp_path / "locked.txt"
    locked.write_text("项目3个。", encoding="utf-8")
    calls = []

    def deny(file, *args, **kwargs):
        if str(file) == str(locked):
            calls.append(file)
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(documents, "open", deny, raising=False)
    r = _run_in_process([tmp_path, "--format", "json"])
    assert calls  # the simulated denial happened
    assert r.exit_code == 2, r.output
    mentions = lines_naming(r.stderr, "locked.txt")
    assert len(mentions) == 1 and "permission denied" in mentions[0]
    assert_good_file_checked(json.loads(r.stdout), str(tmp_path / SEED))


def test_stat_fails_between_listing_and_reading(tmp_path, monkeypatch):
    """os.stat raising an OSError other than not-found/denied (an I/O error on a failing disk)."""
    import factcheck.documents as documents

    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    sick = tmp_path / "sick.txt"
    sick.write_text("项目3个。", encoding="utf-8")
    real_stat = os.stat

    class FakeOs:
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def stat(path, *a, **k):
            if str(path) == str(sick):
                raise OSError(5, "Input/output error", str(path))
            return real_stat(path, *a, **k)

    monkeypatch.setattr(documents, "os", FakeOs())
    r = _run_in_process([tmp_path, "--format", "json"])
    assert r.exit_code == 2, r.output
    mentions = lines_naming(r.stderr, "sick.txt")
    assert len(mentions) == 1 and "Input/output error" in mentions[0]
    assert_good_file_checked(json.loads(r.stdout), str(tmp_path / SEED))


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    import factcheck.documents as documents

    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    shutil.copy(SEEDS / "004_1e308b5077169801.txt", tmp_path / "small.txt")
    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    assert (tmp_path / SEED).stat().st_size > 1000
    r = _run_in_process([tmp_path / SEED, "--format", "json"])
    assert r.exit_code == 2
    assert len(lines_naming(r.stderr, SEED)) == 1 and "too large" in r.stderr


@pytest.mark.parametrize("kind", ["deep", "billion-laughs"])
def test_hostile_front_matter_is_no_crash(tmp_path, cache_dir, kind):
    """Front matter nested 50,000 deep (RecursionError in the YAML parser) or a billion-laughs alias tree
    as the title: the article is still read, quickly, and the run goes on."""
    if kind == "deep":
        head = "title: " + "[" * 50_000 + "]" * 50_000
    else:
        rows = ["a0: &a0 ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
        rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
        head = "\n".join(rows) + "\ntitle: *a9"
    (tmp_path / "hostile.md").write_text(f"---\n{head}\n---\n全区共有项目69个，其中甲类项目22个，乙类项目29个，丙类项目19个。\n",
                                         encoding="utf-8")
    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    r = cli([tmp_path, "--format", "json", "--jobs", "1"], cache_dir, timeout=60)
    assert "Traceback" not in r.stderr
    assert r.returncode == 1, r.stderr  # discrepancies, no error
    report = json.loads(r.stdout)
    files = {f["path"]: f for f in report["files"]}
    hostile = files[str(tmp_path / "hostile.md")]
    assert hostile["error"] is None and "title" not in hostile["meta"]
    assert any(c["claims"][0]["path"].endswith("hostile.md") and c["status"] == "discrepancy"
               for c in report["checks"])
    assert_good_file_checked(report, str(tmp_path / SEED))


# --- bad rule files ---------------------------------------------------------------------------------------

def _rule_text(**subs) -> str:
    """FC101.yaml as FC901 (so it does not clash with the built-in rule), with top-level blocks replaced
    (a key's line and its indented lines) or, given None, removed."""
    blocks: list[tuple[str, list[str]]] = []
    for ln in RULE_FC101.read_text(encoding="utf-8").splitlines():
        if ln and not ln[0].isspace() and not ln.startswith("#"):
            blocks.append((ln.split(":", 1)[0], [ln]))
        else:
            blocks[-1][1].append(ln)
    subs = {"id": "id: FC901", "name": "name: test-rule", **subs}
    out = []
    for key, lines in blocks:
        if key in subs:
            if subs[key] is not None:
                out.append(subs[key])
        else:
            out.extend(lines)
    return "\n".join(out) + "\n"


def _line_of(text: str, prefix: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith(prefix))


def _write_rule(d: Path, text: str, name: str = "FC901.yaml") -> Path:
    d.mkdir(exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d / name


# name → (files {filename: text}, file that must be named, key, reason fragment, line (None: none expected))
def _bad_rules():
    cases = {}
    t = _rule_text(kind="kind: [breakdown")
    # the parser notices the unclosed [ on the line after it: either line is a fair pointer
    cases["invalid-yaml"] = ({"FC901.yaml": t}, "FC901.yaml", None, "invalid YAML",
                             (_line_of(t, "kind:"), _line_of(t, "kind:") + 1))
    t = _rule_text(severity="severity: error\ncolour: red")
    cases["unknown-key"] = ({"FC901.yaml": t}, "FC901.yaml", "colour", "unknown key", _line_of(t, "colour:"))
    t = _rule_text().replace("  exhaustive_min_parts: 2", "  exhaustive_min_parts: 2\n  bogus: 1")
    cases["unknown-param-key"] = ({"FC901.yaml": t}, "FC901.yaml", "params.bogus", "unknown key",
                                  _line_of(t, "  bogus:"))
    t = _rule_text().replace("  exhaustive_min_parts: 2", "  exhaustive_min_parts: many")
    cases["wrong-type"] = ({"FC901.yaml": t}, "FC901.yaml", "params.exhaustive_min_parts", "valid integer",
                           _line_of(t, "  exhaustive_min_parts:"))
    t = _rule_text(examples="examples: 12")
    cases["wrong-type-mapping"] = ({"FC901.yaml": t}, "FC901.yaml", "examples", "valid dictionary",
                                   _line_of(t, "examples:"))
    t = _rule_text(kind="kind: magic")
    cases["unknown-kind"] = ({"FC901.yaml": t}, "FC901.yaml", "kind", "magic", _line_of(t, "kind:"))
    t = _rule_text(formula='formula: "total == sum(parts"')
    cases["formula-syntax"] = ({"FC901.yaml": t}, "FC901.yaml", "formula", "syntax error", _line_of(t, "formula:"))
    t = _rule_text(formula='formula: "total == sum(parts) + secret"')
    cases["formula-unknown-name"] = ({"FC901.yaml": t}, "FC901.yaml", "formula", "unknown name 'secret'",
                                     _line_of(t, "formula:"))
    t = _rule_text(formula="formula: \"total == __import__('os').system('true')\"")
    cases["formula-import"] = ({"FC901.yaml": t}, "FC901.yaml", "formula", "not allowed", _line_of(t, "formula:"))
    t = _rule_text(formula='formula: "total == sum(parts)"').replace(
        '  partial_formula: "total >= sum(parts)"', '  partial_formula: "total >= exec(parts)"')
    cases["extra-formula-call"] = ({"FC901.yaml": t}, "FC901.yaml", "params.partial_formula", "'exec' is not allowed",
                                   _line_of(t, "  partial_formula:"))
    # the built-in rules have no message of their own (i18n words them); a rule file may give one
    t = _rule_text(formula='formula: "total == sum(parts)"\nmessage: "{arithmetic.__class__.__mro__}"')
    cases["message-attribute"] = ({"FC901.yaml": t}, "FC901.yaml", "message", "placeholder", _line_of(t, "message:"))
    t = _rule_text(formula='formula: "total == sum(parts)"\nmessage: "{arithmetic:>999999999999}"')
    cases["message-format-spec"] = ({"FC901.yaml": t}, "FC901.yaml", "message", "format spec", _line_of(t, "message:"))
    t = _rule_text().replace("  markers: [", "  markers: ['" + "(" * 5000 + ")" * 5000 + "', ")
    cases["regex-too-deep"] = ({"FC901.yaml": t}, "FC901.yaml", "params.markers.0", "invalid pattern",
                               _line_of(t, "  markers:"))
    t = _rule_text()
    t2 = t.replace("name: test-rule", "name: other-rule")
    cases["duplicated-id"] = ({"FC901.yaml": t, "FC902.yaml": t2}, "FC902.yaml", "id", "duplicated rule id FC901",
                              None)
    deep = _rule_text(params="params: " + "[" * 100_000 + "]" * 100_000)
    cases["yaml-nested-100000-deep"] = ({"FC901.yaml": deep}, "FC901.yaml", None, "nested more than",
                                        _line_of(deep, "params:"))
    rows = ["a0: &a0 ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    rows += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = _rule_text(window=None, params="params:\n  " + "\n".join(rows) + "\nwindow: *a9")  # anchors first
    cases["yaml-billion-laughs"] = ({"FC901.yaml": bomb}, "FC901.yaml", None, "aliases expand", None)
    t = _rule_text(window="window: &w [*w]")
    cases["yaml-recursive-alias"] = ({"FC901.yaml": t}, "FC901.yaml", None, "recursive alias", _line_of(t, "window:"))
    t = (HOSTILE / "pwned_rule" / "FC990.yaml").read_text(encoding="utf-8")
    cases["python-object-tag"] = ({"FC990.yaml": t}, "FC990.yaml", None, "could not determine a constructor",
                                  _line_of(t, "severity:"))
    return cases


BAD_RULES = _bad_rules()


def _check_rule_error(stderr: str, folder: Path, fname: str, key, reason, line) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr  # one error, one line
    msg = lines[0]
    wheres = [f"{folder / fname}:{n}:" for n in (line if isinstance(line, tuple) else (line,))] if line \
        else [f"{folder / fname}:"]
    assert any(w in msg for w in wheres), (wheres, msg)
    if key:
        assert f": {key}: " in msg, msg
    assert reason in msg, msg


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_file_in_a_check_run(tmp_path, cache_dir, case):
    files, fname, key, reason, line = BAD_RULES[case]
    folder = tmp_path / "rules"
    for name, text in files.items():
        _write_rule(folder, text, name)
    r = cli([SEEDS, "--rules", folder, "--format", "json", "--jobs", "1"], cache_dir, timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""  # no report from a run with a broken rule
    _check_rule_error(r.stderr, folder, fname, key, reason, line)


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_file_in_rules_validate(tmp_path, cache_dir, case):
    files, fname, key, reason, line = BAD_RULES[case]
    folder = tmp_path / "rules"
    for name, text in files.items():
        _write_rule(folder, text, name)
    r = cli(["rules", "--validate", folder], cache_dir, timeout=60)
    assert r.returncode == 2, r.stderr
    _check_rule_error(r.stderr, folder, fname, key, reason, line)


def test_the_good_rule_template_is_valid(tmp_path, cache_dir):
    """The bad rules above are one change away from this one, which validates: each error is its change."""
    folder = tmp_path / "rules"
    _write_rule(folder, _rule_text())
    r = cli(["rules", "--validate", folder], cache_dir)
    assert r.returncode == 0, r.stderr
    r = cli([SEEDS, "--rules", folder, "--format", "json", "--jobs", "1"], cache_dir)
    assert r.returncode == 1, r.stderr
    assert any(c["rule"] == "FC901" for c in json.loads(r.stdout)["checks"])


def test_rule_id_duplicating_a_builtin_rule(tmp_path, cache_dir):
    folder = tmp_path / "rules"
    _write_rule(folder, RULE_FC101.read_text(encoding="utf-8"), "mine.yaml")
    r = cli([SEEDS, "--rules", folder], cache_dir)
    assert r.returncode == 2
    _check_rule_error(r.stderr, folder, "mine.yaml", "id", "duplicated rule id FC101", None)


def test_missing_rule_folder(tmp_path, cache_dir):
    r = cli([SEEDS, "--rules", tmp_path / "nope"], cache_dir)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(tmp_path / "nope") in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- bad configuration ---------------------------------------------------------------------------------

BAD_CONFIGS = {
    "invalid-toml": ('select = ["FC1"]\nfail-on = \n', None, "invalid TOML", "line 2"),
    "unknown-key": ('select = ["FC1"]\ncolour = "red"\n', "colour", "unknown key", None),
    "wrong-type": ('fail-on = 3\n', "fail-on", "must be one of", None),
    "wrong-type-list": ('select = 5\n', "select", "must be a list", None),
    "bad-value": ('approx-tolerance = 7\n', "approx-tolerance", "from 0 to 1", None),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_configuration(tmp_path, cache_dir, case):
    text, key, reason, extra = BAD_CONFIGS[case]
    cfg = tmp_path / "factcheck.toml"
    cfg.write_text(text, encoding="utf-8")
    for args in ([SEEDS / SEED, "--config", cfg], [tmp_path]):  # given, and found next to the articles
        if args == [tmp_path]:
            shutil.copy(SEEDS / SEED, tmp_path / SEED)
        r = cli([*args, "--format", "json"], cache_dir)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert "factcheck.toml" in lines[0] and reason in lines[0], lines[0]
        if key:
            assert key in lines[0]
        if extra:
            assert extra in lines[0]


# --- internal errors ---------------------------------------------------------------------------------------

def _two_files(tmp_path):
    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    (tmp_path / "boom.txt").write_text("全区共有项目69个，其中甲类项目22个，乙类项目29个，丙类项目19个。", encoding="utf-8")
    return tmp_path / "boom.txt"


@pytest.mark.parametrize("stage", ["extract", "check_article", "normalize", "decode"])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_internal_error_in_one_article_is_reported_and_the_run_goes_on(tmp_path, monkeypatch, stage, fmt):
    import factcheck.documents as documents
    import factcheck.pipeline as pipeline

    boom = _two_files(tmp_path)
    module = {"extract": pipeline, "normalize": pipeline, "check_article": pipeline, "decode": documents}[stage]
    real = getattr(module, stage)
    hits = []

    def exploding(*args, **kwargs):
        if any(str(boom) in str(getattr(a, "path", a)) for a in args) or \
                any("甲类项目22个" in str(getattr(a, "text", a)) for a in args):
            hits.append(stage)
            raise RuntimeError(f"simulated bug in {stage}")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, stage, exploding)
    r = _run_in_process([tmp_path, "--format", fmt])
    assert hits, "the simulated bug was not reached"
    assert r.exit_code == 2, r.output  # never 0, never only the discrepancies' 1
    mentions = lines_naming(r.stderr, "boom.txt")
    assert len(mentions) == 1, r.stderr
    assert "internal error" in mentions[0] and f"simulated bug in {stage}" in mentions[0]
    assert "--debug" in mentions[0] and "Traceback" not in r.stderr
    if fmt == "json":
        report = json.loads(r.stdout)
        assert any(e["path"] == str(boom) and "internal error" in e["reason"] for e in report["errors"])
        assert_good_file_checked(report, str(tmp_path / SEED))
    else:
        assert f"{tmp_path / SEED}:84:" in r.stdout
    # with --debug the traceback is shown, and it names the function that raised
    r = _run_in_process([tmp_path, "--format", fmt, "--debug"])
    assert r.exit_code == 2
    assert "Traceback (most recent call last)" in r.stderr and "exploding" in r.stderr


def test_internal_error_is_not_hidden_by_fail_on_never(tmp_path, monkeypatch):
    import factcheck.pipeline as pipeline

    boom = _two_files(tmp_path)
    real = pipeline.extract

    def exploding(doc, *a, **k):
        if doc.path == str(boom):
            raise ZeroDivisionError("simulated")
        return real(doc, *a, **k)

    monkeypatch.setattr(pipeline, "extract", exploding)
    r = _run_in_process([tmp_path, "--fail-on", "never"])
    assert r.exit_code == 2
    assert "boom.txt" in r.stderr and "ZeroDivisionError" in r.stderr


def test_internal_error_message_is_one_line(tmp_path, monkeypatch):
    """An exception whose message has line breaks (or is huge) still gives one stderr line."""
    import factcheck.pipeline as pipeline

    boom = _two_files(tmp_path)
    real = pipeline.extract

    def exploding(doc, *a, **k):
        if doc.path == str(boom):
            raise ValueError("first line\nsecond line\n" + "x" * 10_000)
        return real(doc, *a, **k)

    monkeypatch.setattr(pipeline, "extract", exploding)
    r = _run_in_process([tmp_path, "--format", "json"])
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert len(r.stderr) < 1000


def test_a_worker_process_that_dies_is_an_error_for_its_file_and_the_run_goes_on(tmp_path, cache_dir):
    """With --jobs 2, a worker process dies while checking one file (os._exit stands for a crash in C code
    or the OOM killer). Before the fix the pool waited for its result forever; now the file gets an error,
    every other file is checked, the exit code is 2, and the run ends."""
    for i in range(12):  # more than 8 files: worker processes are used
        shutil.copy(SEEDS / SEED, tmp_path / f"a{i:02d}.txt")
    script = (
        "import os, sys\n"
        "import factcheck.pipeline as pl\n"
        "real = pl.process\n"
        "def process(path, *a, **k):\n"
        "    if path.endswith(('a03.txt', 'a07.txt')):\n"
        "        os._exit(3)\n"
        "    return real(path, *a, **k)\n"
        "pl.process = process\n"
        "from factcheck.cli import main\n"
        f"sys.argv = ['factcheck', {str(tmp_path)!r}, '--jobs', '2', '--format', 'json']\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, FACTCHECK_CACHE_DIR=str(cache_dir)))
    assert r.returncode == 2, r.stderr
    for dead in ("a03.txt", "a07.txt"):
        mentions = lines_naming(r.stderr, dead)
        assert len(mentions) == 1 and "worker process" in mentions[0] and "died" in mentions[0]
    report = json.loads(r.stdout)
    assert report["summary"]["files"] == 12 and report["summary"]["errors"] == 2
    checked = [f for f in report["files"] if f["error"] is None]
    assert len(checked) == 10 and all(f["claims"] > 20 for f in checked)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_in_the_cross_article_checks(tmp_path, monkeypatch, debug):
    """A bug in the conflict stage (across articles) is an error of the run: the files' own checks are still
    reported, the error is on stderr, the exit code is 2; --debug shows the traceback."""
    import factcheck.conflicts as conflicts

    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    shutil.copy(SEEDS / "003_a7e8c9d2e0f9aae0.txt", tmp_path / "003.txt")

    def exploding(*a, **k):
        raise KeyError("simulated bug in find_conflicts")

    monkeypatch.setattr(conflicts, "find_conflicts", exploding)
    r = _run_in_process([tmp_path, "--format", "json"] + (["--debug"] if debug else []))
    assert r.exit_code == 2, r.output
    mentions = lines_naming(r.stderr, "cross-article")
    assert len(mentions) == 1 and "simulated bug in find_conflicts" in mentions[0]
    assert ("Traceback (most recent call last)" in r.stderr) == debug
    report = json.loads(r.stdout)
    assert any("cross-article" in e["path"] for e in report["errors"])
    assert_good_file_checked(report, str(tmp_path / SEED))
