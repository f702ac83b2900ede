"""documents: encodings, front matter, unreadable files, directory walking, stdin, order; input files
are only ever read."""

from __future__ import annotations

import builtins
import io
import os
import random
import sys

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.documents import InputError, iter_inputs, read_document

TEXT = "二七区重大产业项目69个，总投资311.2亿元。"


def paths_of(items):
    return [x for x in items if not isinstance(x, InputError)]


# --- encodings ------------------------------------------------------------------------------------

def test_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    doc = read_document(str(p))
    assert doc.text == TEXT
    assert doc.path == str(p)
    assert doc.meta == {}


def test_utf8_with_bom(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    doc = read_document(str(p))
    assert doc.text == TEXT  # the BOM is not part of the text
    with open(p, encoding=doc.encoding) as f:  # offsets are into the text as Python reads it
        assert f.read() == doc.text


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "gb2312"])
def test_gb_encodings_are_detected(tmp_path, codec):
    text = "二七区新签约项目11个，签约金额213亿元；会见企业164家。\n“一把手”送服务。\n"
    p = tmp_path / "gb.txt"
    p.write_bytes(text.encode(codec))
    with pytest.raises(UnicodeDecodeError):
        p.read_bytes().decode("utf-8")
    doc = read_document(str(p))
    assert doc.text == text
    assert doc.encoding.replace("-", "").lower() in ("gbk", "gb18030", "gb2312")
    with open(p, encoding=doc.encoding) as f:
        assert f.read() == doc.text


def test_gb18030_only_characters(tmp_path):
    text = "欧元符号€与项目22个。"
    p = tmp_path / "gb.txt"
    p.write_bytes(text.encode("gb18030"))
    assert read_document(str(p)).text == text


def test_crlf_is_read_as_python_text_mode_reads_it(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("第一行\r\n第二行\r\n".encode("utf-8"))
    with open(p, encoding="utf-8") as f:
        assert read_document(str(p)).text == f.read() == "第一行\n第二行\n"


# --- front matter -----------------------------------------------------------------------------------

def test_front_matter_becomes_metadata(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: 二七区招商\ndate: 2023-05-20\nsource: 郑州日报\nauthor: 记者\n---\n"
                 "正文有3个项目。\n", encoding="utf-8")
    doc = read_document(str(p))
    assert doc.meta == {"title": "二七区招商", "date": "2023-05-20", "source": "郑州日报"}
    assert doc.text[doc.body_start:] == "正文有3个项目。\n"


def test_front_matter_is_not_read_for_claims(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: 2023年的5个项目\n---\n正文有3个项目。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["claims", "--format", "json", str(p)])
    assert r.exit_code == 0, r.output
    import json

    claims = json.loads(r.stdout)["claims"]
    assert [(c["text"], c["line"]) for c in claims] == [("3个", 4)]


def test_front_matter_with_bom_and_crlf(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"\xef\xbb\xbf" + "---\r\ntitle: 标题\r\ndate: 2023-05-20\r\n---\r\n正文有3个项目。\r\n".encode("utf-8"))
    doc = read_document(str(p))
    assert doc.meta == {"title": "标题", "date": "2023-05-20"}
    assert doc.text[doc.body_start:] == "正文有3个项目。\n"


def test_empty_front_matter_is_not_body(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\n---\n正文有3个项目。\n", encoding="utf-8")
    doc = read_document(str(p))
    assert doc.meta == {}
    assert doc.text[doc.body_start:] == "正文有3个项目。\n"


def test_no_front_matter_without_closing_fence(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: x\n正文有3个项目。\n", encoding="utf-8")
    doc = read_document(str(p))
    assert doc.meta == {} and doc.body_start == 0


def test_front_matter_in_a_gbk_file(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes("---\ntitle: 二七区\n---\n正文有3个项目。\n".encode("gbk"))
    assert read_document(str(p)).meta == {"title": "二七区"}


# --- unreadable files -------------------------------------------------------------------------------

def test_missing_file_names_the_file(tmp_path):
    p = tmp_path / "nope.txt"
    with pytest.raises(InputError) as e:
        read_document(str(p))
    assert e.value.path == str(p)
    assert str(p) in str(e.value)


def test_binary_file_names_the_file(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError) as e:
        read_document(str(p))
    assert e.value.path == str(p) and str(p) in str(e.value)


def test_random_bytes_without_nul_are_not_text(tmp_path):
    rng = random.Random(1)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    p = tmp_path / "noise.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_document(str(p))
    assert str(p) in str(e.value)


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as e:
        read_document(str(tmp_path))
    assert str(tmp_path) in str(e.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files without permission")
def test_unreadable_file_names_the_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text(TEXT, encoding="utf-8")
    p.chmod(0)
    try:
        with pytest.raises(InputError) as e:
            read_document(str(p))
        assert str(p) in str(e.value)
    finally:
        p.chmod(0o644)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text("项目22个。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c.txt").write_text("项目29个。", encoding="utf-8")
    r = CliRunner().invoke(main, ["claims", str(tmp_path)])
    assert r.exit_code == 2
    assert "22" in r.stdout and "29" in r.stdout
    assert str(tmp_path / "b.txt") in r.stderr


def test_missing_path_on_the_command_line(tmp_path):
    r = CliRunner().invoke(main, ["claims", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2
    assert "nope.txt" in r.stderr


# --- input files are only read ----------------------------------------------------------------------

def test_input_files_are_only_read(tmp_path, monkeypatch):
    files = {"a.txt": TEXT.encode("utf-8"), "b.md": ("---\ntitle: t\n---\n" + TEXT).encode("utf-8"),
             "c.txt": TEXT.encode("gbk")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    os.utime(tmp_path / "a.txt", (1_000_000_000, 1_000_000_000))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    modes = []
    real_open = builtins.open

    def spy(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(tmp_path)):
            modes.append(mode)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    r1 = CliRunner().invoke(main, ["claims", str(tmp_path)])
    r2 = CliRunner().invoke(main, ["check", "--no-progress", str(tmp_path)])
    monkeypatch.undo()
    assert r1.exit_code == 0, r1.output
    assert r2.exit_code == 0, r2.output  # 311.2亿元 of 69 projects: nothing to find wrong
    assert modes and all(set(m) <= set("rbt") for m in modes), modes
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


# --- listing: directories, globs, stdin, order --------------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    for rel in ["b/z.txt", "b/a.md", "a.txt", "c.csv", "sub/deep/x.txt", "sub/deep/skip.txt", ".hidden/h.txt",
                "notes.rst", "B.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("项目3个。", encoding="utf-8")
    return tmp_path


def rel(tree, items):
    return [os.path.relpath(p, tree) for p in paths_of(items)]


def test_directory_is_walked_for_txt_and_md_sorted(tree):
    got = rel(tree, iter_inputs([str(tree)]))
    assert got == ["B.txt", "a.txt", "b/a.md", "b/z.txt", "sub/deep/skip.txt", "sub/deep/x.txt"]


def test_include_glob(tree):
    assert rel(tree, iter_inputs([str(tree)], include=["*.csv"])) == ["c.csv"]
    assert rel(tree, iter_inputs([str(tree)], include=["*.csv", "*.rst"])) == ["c.csv", "notes.rst"]


def test_exclude_glob(tree):
    assert rel(tree, iter_inputs([str(tree)], exclude=["*.md"])) == \
        ["B.txt", "a.txt", "b/z.txt", "sub/deep/skip.txt", "sub/deep/x.txt"]
    assert rel(tree, iter_inputs([str(tree)], exclude=["sub"])) == ["B.txt", "a.txt", "b/a.md", "b/z.txt"]
    assert "sub/deep/skip.txt" not in rel(tree, iter_inputs([str(tree)], exclude=["skip.*"]))


def test_include_and_exclude_on_the_command_line(tree):
    r = CliRunner().invoke(main, ["claims", "--format", "json", "--include", "*.csv,*.txt", "--exclude", "sub",
                                  str(tree)])
    assert r.exit_code == 0, r.output
    import json

    paths = [os.path.relpath(c["path"], tree) for c in json.loads(r.stdout)["claims"]]
    assert paths == ["B.txt", "a.txt", "b/z.txt", "c.csv"]


def test_explicit_file_is_read_whatever_its_extension(tree):
    assert paths_of(iter_inputs([str(tree / "c.csv")])) == [str(tree / "c.csv")]


def test_missing_path_is_listed_as_an_error(tree):
    items = list(iter_inputs([str(tree / "nope"), str(tree / "a.txt")]))
    errors = [x for x in items if isinstance(x, InputError)]
    assert len(errors) == 1 and "nope" in str(errors[0])
    assert paths_of(items) == [str(tree / "a.txt")]


def test_dash_is_stdin():
    assert list(iter_inputs(["-"])) == ["-"]


def test_read_document_from_stdin(monkeypatch):
    data = "总投资约311.2亿元。".encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    doc = read_document("-")
    assert doc.text == "总投资约311.2亿元。"
    assert doc.path == "<stdin>"


def test_claims_from_stdin():
    r = CliRunner().invoke(main, ["claims", "-", "--format", "json"], input="总投资约311.2亿元。".encode("utf-8"))
    assert r.exit_code == 0, r.output
    import json

    [c] = json.loads(r.stdout)["claims"]
    assert (c["path"], c["value"], c["unit"], c["qualifier"]) == ("<stdin>", "311.2", "亿元", "approx")


def test_files_are_reported_in_sorted_order(tree):
    r = CliRunner().invoke(main, ["claims", "--format", "json", str(tree / "b"), str(tree / "a.txt")])
    import json

    paths = [os.path.relpath(c["path"], tree) for c in json.loads(r.stdout)["claims"]]
    assert paths == sorted(paths) == ["a.txt", "b/a.md", "b/z.txt"]
