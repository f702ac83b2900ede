"""normalize: width folding, hard-wrap joining, paragraph breaks kept, and the offset map back to the
original text (offset, 1-based line and column)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.documents import Document
from factcheck.extract import extract
from factcheck.normalize import normalize


def copied(n, i: int) -> bool:
    """Whether normalized position i is a copied character (not an inserted break or space)."""
    import bisect

    k = bisect.bisect_right(n.starts, i) - 1
    return n.strides[k] == 1


def same_char(orig: str, norm: str) -> bool:
    """The normalized character is the original one, or its width-folded (NFKC) form; a run of
    whitespace kept between two Latin words or digits becomes one space."""
    return orig == norm or unicodedata.normalize("NFKC", orig) == norm or (orig.isspace() and norm == " ")


# --- width folding ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("投资１２３亿元", "投资123亿元"),
    ("增长１５％。", "增长15%。"),
    ("总投资３１１．２亿元", "总投资311.2亿元"),
    ("共１２３，４５６元", "共123,456元"),  # a full-width comma inside a number is a thousands separator
    ("增长－３％", "增长-3%"),
    ("ＡＢＣ公司", "ABC公司"),
])
def test_full_width_folds_to_ascii(text, want):
    assert normalize(text).text == want


def test_chinese_punctuation_is_kept():
    assert normalize("二七区，项目：３个；（一）完成。").text == "二七区，项目：3个；（一）完成。"


# --- hard line breaks -----------------------------------------------------------------------------

def test_hard_wrapped_sentence_is_joined():
    text = "二七区积极谋划、主动作为，成立招商\n小分队开展全员招商活动。3月份至今，二\n七区主要领导带队赴深圳。"
    assert normalize(text).text == "二七区积极谋划、主动作为，成立招商小分队开展全员招商活动。3月份至今，二七区主要领导带队赴深圳。"


@pytest.mark.parametrize("text, want", [
    pytest.param("其中，沿嵩山路项目 22个，总投资 311.2亿\n\n元，包含全球", "其中，沿嵩山路项目22个，总投资311.2亿元，包含全球", id="yi-blank-yuan"),
    pytest.param("合作规模将不低于300\n\n亿元，助力", "合作规模将不低于300亿元，助力", id="300-blank-yiyuan"),
    pytest.param("合作规模将不低于300\n亿元，助力", "合作规模将不低于300亿元，助力", id="300-newline-yiyuan"),
    pytest.param("300\n\n亿元", "300亿元", id="bare"),
    pytest.param("合作规模将不低于３００\n\n亿元，助力", "合作规模将不低于300亿元，助力", id="fullwidth"),
])
def test_number_and_unit_split_by_blank_line(text, want):
    assert normalize(text).text == want


def test_seed_number_split_from_unit(seeds_dir, extract_text):
    """In seed 000, `311.2亿` / blank line / `元` is one figure."""
    raw = (seeds_dir / "000_3e47b0061565aec6.txt").read_text(encoding="utf-8")
    assert "311.2亿\n\n元" in raw
    n = normalize(raw)
    assert "总投资311.2亿元，包含全球" in n.text
    assert "合作规模将不低于300亿元" in n.text


@pytest.mark.parametrize("text, want", [
    ("2 月 18 日，召开会议。", "2月18日，召开会议。"),
    ("2023 年 2 月 18 日，增长 15 %。", "2023年2月18日，增长15%。"),
    ("新增市场主体 28545 户。", "新增市场主体28545户。"),
    ("抵退税 28.7 亿元。", "抵退税28.7亿元。"),
    ("2月\n18 日，召开会议。", "2月18日，召开会议。"),
])
def test_spaces_inside_dates_and_numbers_are_dropped(text, want):
    assert normalize(text).text == want


def test_space_between_latin_words_is_kept():
    assert normalize("采用 Smart City 方案，建设 5 G 基站").text == "采用Smart City方案，建设5 G基站"


def test_paragraph_breaks_are_kept():
    text = "第一段说完了。\n\n第二段开始了。\n\n第三段也说完了。"
    assert normalize(text).text == text


def test_seed_paragraphs_are_kept(seeds_dir):
    raw = (seeds_dir / "000_3e47b0061565aec6.txt").read_text(encoding="utf-8")
    n = normalize(raw)
    assert "助力二七区高质量发展。\n\n招商工作不但要请进来" in n.text
    assert "\n\n\n" not in n.text


def test_markdown_heading_is_its_own_paragraph():
    n = normalize("# 二七区招商\n正文说了3个项目。")
    head, body = n.text.split("\n\n")
    assert head.startswith("#") and head.endswith("二七区招商")
    assert body == "正文说了3个项目。"


def test_paragraph_after_a_markdown_list_is_kept():
    """A blank line always ends a Markdown list: the next paragraph is not joined to the last item."""
    n = normalize("# 标题\n\n- 列表项有3个\n- 列表项有4个\n\n正文。")
    assert n.text.endswith("4个\n\n正文。")
    assert "3个\n\n" in n.text


# --- offset map -------------------------------------------------------------------------------------

def test_offsets_map_back_to_original():
    text = "总投资\u3000３１１．２亿\n\n元，共 22 个。"
    n = normalize(text)
    assert n.text == "总投资311.2亿元，共22个。"
    for i, ch in enumerate(n.text):
        o = n.to_orig(i)
        assert same_char(text[o], ch), (i, ch, o, text[o])
    s = n.text.index("311.2")
    e = n.text.index("元") + 1
    assert n.span(s, e) == (text.index("３"), text.index("元") + 1)
    assert n.to_orig(len(n.text)) == len(text)


def test_offsets_after_front_matter(tmp_path):
    from factcheck.documents import read_document

    p = tmp_path / "a.md"
    p.write_text("---\ntitle: 标题\n---\n正文有\n３个项目。\n", encoding="utf-8")
    doc = read_document(str(p))
    n = normalize(doc.text, doc.body_start)
    assert n.text == "正文有3个项目。"
    assert doc.text[n.to_orig(n.text.index("3"))] == "３"


def test_claim_line_and_column_are_one_based(tmp_path):
    """Original offset (0-based, as Python reads the file), line and column (1-based) of a claim."""
    text = "标题\n\n第一行文字，这是很长的一行用来\n撑开宽度：总投资 311.2亿\n\n元。\n"
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    with open(p, encoding="utf-8") as f:
        as_read = f.read()
    [c] = extract(Document(str(p), as_read))
    assert as_read[c.start:c.end] == "311.2亿\n\n元"
    assert c.text == "311.2亿\n\n元"
    assert (c.line, c.column) == (4, 10)
    line = as_read.split("\n")[c.line - 1]
    assert line[c.column - 1:].startswith("311.2")


def test_crlf_offsets_match_python_text_mode(tmp_path):
    from factcheck.documents import read_document

    p = tmp_path / "crlf.txt"
    p.write_bytes("第一行。\r\n\r\n总投资 2380亿元。\r\n".encode("utf-8"))
    doc = read_document(str(p))
    with open(p, encoding="utf-8") as f:
        as_read = f.read()
    [c] = extract(Document(doc.path, doc.text))
    assert as_read[c.start:c.end] == "2380亿元"
    assert (c.line, c.column) == (3, 5)


def test_seed_offsets_land_on_the_same_characters(seeds_dir):
    for p in sorted(seeds_dir.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        n = normalize(raw)
        prev = -1
        for i, ch in enumerate(n.text):
            o = n.to_orig(i)
            assert o >= prev
            prev = o
            if copied(n, i):
                assert same_char(raw[o], ch), (p.name, i)


# --- properties -----------------------------------------------------------------------------------

ALPHABET = list("0123456789.,%１２３４５６７８９０，．％－＋ \u3000\t\n\n\n万亿元个项家户人年月日"
                "一二三四五六七八九十百千两零余多约近超以上下内左右。，；：！？“”《》（）#->*abcAB")
FRAGMENTS = ["总投资 311.2亿", "\n\n", "元，", "300\n", "亿元", "2 月 18 日", "１２３，４５６", "。\n\n", "# 标题\n",
             "项目 22个", "\n", "    ", "“12345”", "- 列表\n", "ＡＢ", "１５％", "很长很长很长很长很长的一行文字\n"]
texts = st.one_of(
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=120),
    st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalize_is_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=400, deadline=None)
@given(texts)
def test_offset_map_is_monotone_and_lands_on_the_same_character(text):
    n = normalize(text)
    prev = -1
    for i, ch in enumerate(n.text):
        o = n.to_orig(i)
        assert 0 <= o <= len(text)
        assert o >= prev, (i, o, prev)
        prev = o
        if copied(n, i):
            assert o < len(text)
            assert same_char(text[o], ch), (i, ch, o, text[o])
    assert n.to_orig(len(n.text)) == len(text)
