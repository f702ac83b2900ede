"""extract: qualifiers, ranges, modality, time reference, subject, what is not a claim, thresholds,
spans; and `factcheck claims` (table and JSON)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.cli import main
from factcheck.documents import read_document
from factcheck.extract import extract

D = Decimal
SEED0 = "000_3e47b0061565aec6.txt"
SEED4 = "004_1e308b5077169801.txt"

# the qualifier kinds a reader means by "approximate", "lower bound", "upper bound", "range"
KIND = {"approx": "approx", "lower": "lower", "lower_bounded": "lower", "upper": "upper", "range": "range"}


@pytest.fixture(scope="module")
def seed_claims():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "seeds"
    out = {}
    for name in (SEED0, SEED4, "001_5eba1bd811c369dd.txt", "002_20fbd12378d45014.txt", "003_a7e8c9d2e0f9aae0.txt"):
        doc = read_document(str(root / name))
        out[name] = (doc, extract(doc))
    return out


def claim_at(seed_claims, name, context, number):
    """The claim whose span holds `number` inside the unique occurrence of `context` in a seed."""
    doc, claims = seed_claims[name]
    joined = "".join(ch for ch in doc.text if ch != "\n")
    index = [i for i, ch in enumerate(doc.text) if ch != "\n"]
    at = joined.index(context)
    assert joined.find(context, at + 1) < 0, context
    start = index[at + context.index(number)]
    hits = [c for c in claims if c.start <= start < c.end]
    assert len(hits) == 1, (context, [c.text for c in hits])
    return hits[0]


# --- qualifiers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, word", [
    ("总投资约300亿元", "approx", "约"),
    ("大约20家企业参加", "approx", "大约"),
    ("近50个项目", "approx", "近"),
    ("带动近千人就业", "approx", "近"),
    ("项目100个左右", "approx", "左右"),
    ("拜访20余家企业", "lower", "余"),
    ("二十余家企业", "lower", "余"),
    ("洽谈30多个项目", "lower", "多"),
    ("受理121余万件", "lower", "余"),
    ("签约额超300亿元", "lower", "超"),
    ("超过50个项目", "lower", "超过"),
    ("逾200家企业", "lower", "逾"),
    ("新开工项目82个以上", "lower", "以上"),
    ("合作规模将不低于300亿元", "lower", "不低于"),
    ("至少5个项目", "lower", "至少"),
    ("不足10个项目", "upper", "不足"),
    ("不到5家企业", "upper", "不到"),
    ("误差10个以下", "upper", "以下"),
    ("控制在20人以内", "upper", "以内"),
])
def test_qualifiers(one_claim, text, kind, word):
    c = one_claim(text)
    assert KIND[c.qualifier] == kind
    assert c.qualifier_text == word


@pytest.mark.parametrize("text, base, dim", [
    ("参与群众1万余人", 10000, "[person]"),
    ("参与群众1.2万余人", 12000, "[person]"),
    ("新增1万多户", 10000, "[count]"),
    ("两万余人参加", 20000, "[person]"),
    ("千余人参加", 1000, "[person]"),
    ("百余家企业", 100, "[count]"),
])
def test_lower_bound_after_a_magnitude(one_claim, text, base, dim):
    """余/多 may follow 万/千/百: 1万余人 is more than 10000 people, counted in 人."""
    c = one_claim(text)
    assert c.info.dim == dim, (c.text, c.unit)
    assert c.base_value() == base
    assert KIND[c.qualifier] == "lower"
    lo, hi = c.interval()
    assert lo == base and hi > base


def test_no_qualifier(one_claim):
    c = one_claim("重大产业项目69个")
    assert c.qualifier is None and c.qualifier_text == ""


def test_qualifier_words_inside_other_words_are_not_qualifiers(one_claim):
    assert one_claim("签约项目11个").qualifier is None  # 签约 ends in 约
    assert one_claim("附近5个村").qualifier is None  # 附近 ends in 近


@pytest.mark.parametrize("text, lo, hi, unit", [
    ("建设3-5个", "3", "5", "个"),
    ("建设三至五个", "3", "5", "个"),
    ("建设3至5个", "3", "5", "个"),
    ("投资10-20万元", "10", "20", "万元"),
])
def test_ranges(one_claim, text, lo, hi, unit):
    c = one_claim(text)
    assert (c.value, c.value_high, c.unit, c.qualifier) == (D(lo), D(hi), unit, "range")
    base = c.info.factor
    assert c.interval()[0] <= D(lo) * base and c.interval()[1] >= D(hi) * base


@pytest.mark.parametrize("text", ["投资3-万元", "增长0—万元", "共1,000—千万元"])
def test_a_bare_magnitude_is_not_the_end_of_a_range(extract_text, text):
    """万 or 千万 alone after a dash is not a number: 3-万元 is not "3 to 10000 元"."""
    for c in extract_text(text):
        assert c.qualifier != "range", (c.text, c.value, c.value_high, c.unit)


def test_interval_of_bounds(one_claim):
    assert one_claim("合作规模将不低于300亿元").interval()[1] == D("Infinity")
    assert one_claim("不足10个项目").interval() == (0, 10)
    lo, hi = one_claim("总投资约300亿元").interval()
    assert lo < D("299.5E8") and hi > D("300.5E8")


# --- modality ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "力争完成投资350亿元",
    "计划新开工项目82个",
    "年度计划完成投资350亿元以上，计划新开工项目82个",
    "预计实现营收100亿元",
    "目标是建成项目50个",
    "确保完成投资20亿元",
    "合作规模将不低于300亿元",
    "全年将新增企业500家",
    "明年将建设学校5所",
])
def test_target_modality(extract_text, text):
    claims = extract_text(text)
    assert claims and claims[-1].modality == "target"


@pytest.mark.parametrize("text", [
    "累计完成投资103亿元",
    "已上报新签约项目11个",
    "会见企业164家",
    "计划的项目已完成103亿元",
])
def test_actual_modality(extract_text, text):
    claims = extract_text(text)
    assert claims and all(c.modality == "actual" for c in claims)


def test_actual_after_target_in_one_sentence(extract_text):
    a, b = extract_text("计划完成投资350亿元，截至目前已完成103亿元。")
    assert (a.modality, b.modality) == ("target", "actual")


def test_seed_modality(seed_claims):
    assert claim_at(seed_claims, SEED0, "合作规模将不低于300亿元", "300").modality == "target"
    assert claim_at(seed_claims, SEED0, "计划新开工项目82个以上", "82").modality == "target"
    assert claim_at(seed_claims, SEED0, "累计完成投资103亿元", "103").modality == "actual"
    assert claim_at(seed_claims, SEED0, "会见企业 164家", "164").modality == "actual"


# --- time reference ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, time", [
    ("2023年完成投资100亿元", "2023年"),
    ("今年完成投资100亿元", "今年"),
    ("上半年完成投资100亿元", "上半年"),
    ("2023年上半年完成投资20亿元", "2023年上半年"),
    ("一季度完成投资100亿元", "一季度"),
    ("1-10月新增企业500家", "1-10月"),
    ("截至5月19日，完成投资100亿元", "截至5月19日"),
    ("截至目前，已上报新签约项目11个", "截至目前"),
])
def test_time_reference(one_claim, text, time):
    assert one_claim(text).time == time


def test_no_time_reference(one_claim):
    assert one_claim("会见企业164家").time is None


def test_time_reference_from_the_paragraph(extract_text):
    claims = extract_text("今年，二七区项目建设成效明显。新开工项目38个。")
    assert claims[-1].time == "今年"


def test_seed_time(seed_claims):
    assert claim_at(seed_claims, SEED0, "累计完成投资103亿元", "103").time == "截至5月19日"
    assert claim_at(seed_claims, SEED0, "开工率 46.3%", "46.3").time == "截至5月19日"
    assert claim_at(seed_claims, SEED0, "签约金额 213亿元", "213").time == "截至目前"


# --- subject and counted noun -----------------------------------------------------------------------

@pytest.mark.parametrize("text, number, subject", [
    ("谋划布局重大产业项目69个。", "69", "重大产业项目"),
    ("沿嵩山路项目22个，总投资311.2亿元。", "311.2", "总投资"),
    ("新签约项目11个，签约金额213亿元。", "213", "签约金额"),
    ("全区32个部门1217个事项进行梳理。", "1217", "事项"),
])
def test_subject(extract_text, text, number, subject):
    [c] = [c for c in extract_text(text) if c.text.startswith(number)]
    assert c.subject == subject


def test_counted_noun_after_the_unit(extract_text):
    a, b = extract_text("全区32个部门1217个事项进行梳理。")
    assert (a.post, b.post) == ("部门", "事项")
    assert (a.subject, b.subject) == ("部门", "事项")


@pytest.mark.parametrize("text, noun", [
    ("用3个关键词概括了二七区的发展实践。", "关键词"),
    ("组建3支施工队同时施工。", "施工队"),
    ("新签约10个亿元以上项目。", "亿元以上项目"),
])
def test_counted_noun_stops_at_the_verb(one_claim, text, noun):
    c = one_claim(text)
    assert c.post == noun
    assert c.subject == noun


@pytest.mark.parametrize("context, number, subject", [
    ("用3个关键词概括了", "3", "关键词"),
    ("重大产业项目69个。其", "69", "重大产业项目"),
    ("总投资 311.2亿", "311.2", "总投资"),
    ("签约金额 213亿元", "213", "签约金额"),
    ("部门1217个事项进行", "1217", "事项"),
])
def test_seed_subjects(seed_claims, context, number, subject):
    assert claim_at(seed_claims, SEED0, context, number).subject == subject


# --- not claims: dates, years, ordinals, names with numerals ------------------------------------------

@pytest.mark.parametrize("text", [
    "5月20日举办论坛", "2023年，二七区召开会议", "2023第三届人工智能论坛", "第十三届运动会", "二七区举办论坛",
    "构建三区三轴格局", "形成“1+1+12”规划体系", "打造“18+3+1”产业体系", "发展5G应用", "七一三路", "开展“12345”优商攻坚行动",
    "推行四减一即改革", "2月18日召开会议", "2 月 18 日召开会议",
])
def test_not_claims(extract_text, text):
    assert extract_text(text) == []


@pytest.mark.parametrize("text, want", [
    ("5月20日，二七区签约项目11个", [("11", "个")]),
    ("2023第三届论坛吸引企业30家", [("30", "家")]),
    ("二七区新建项目3个", [("3", "个")]),
    ("开展“12345”优商攻坚行动，解决问题20个", [("20", "个")]),
    ("建成5G基站200个", [("200", "个")]),
])
def test_names_do_not_hide_the_real_claim(extract_text, text, want):
    assert [(format(c.value, "f"), c.unit) for c in extract_text(text)] == want


@pytest.mark.parametrize("name, phrase", [
    (SEED0, "5月20日"), (SEED0, "5月26日"), (SEED0, "第三届"), (SEED0, "二七区"), (SEED0, "三区三轴"),
    ("002_20fbd12378d45014.txt", "第十三届"), ("001_5eba1bd811c369dd.txt", "1+1+12"), (SEED4, "1+1+12"),
    (SEED4, "18+3+1"), (SEED4, "5G"), ("003_a7e8c9d2e0f9aae0.txt", "七一三"), ("001_5eba1bd811c369dd.txt", "12345"),
    ("003_a7e8c9d2e0f9aae0.txt", "四减一即"), (SEED4, "2023年"), ("001_5eba1bd811c369dd.txt", "2023年"),
])
def test_seed_names_are_not_claims(seed_claims, name, phrase):
    doc, claims = seed_claims[name]
    starts = [m.start() for m in re.finditer(re.escape(phrase), doc.text)]
    assert starts, phrase
    for s in starts:
        e = s + len(phrase)
        assert not [c.text for c in claims if c.start < e and s < c.end], (phrase, s)


# --- thresholds -------------------------------------------------------------------------------------

def test_threshold_is_kept_on_the_claim_it_modifies(extract_text):
    claims = extract_text("全区1000万元以上重点项目360个，涉及总投资2380亿元。")
    assert [(c.value, c.unit) for c in claims] == [(360, "个"), (2380, "亿元")]
    assert "1000万元" in claims[0].threshold
    assert claims[1].threshold is None


def test_threshold_fifty_yi(extract_text):
    claims = extract_text("新签约项目中50亿元以上高质量项目不低于2个。")
    assert [(c.value, c.unit) for c in claims] == [(2, "个")]
    assert "50亿元" in claims[0].threshold
    assert KIND[claims[0].qualifier] == "lower"


def test_above_is_a_bound_when_nothing_follows(one_claim):
    c = one_claim("签约额达到500亿元以上。")
    assert c.threshold is None and c.qualifier == "lower"


def test_seed_thresholds(seed_claims):
    c = claim_at(seed_claims, SEED0, "1000万元以上重点项目 360个", "360")
    assert "1000万元" in c.threshold
    doc, claims = seed_claims[SEED0]
    s = doc.text.index("1000万元以上")
    assert not [x for x in claims if x.start <= s < x.end]  # the threshold is not a claim itself
    c = claim_at(seed_claims, "003_a7e8c9d2e0f9aae0.txt", "50亿元以上高质量项目不低于2个", "2个")
    assert "50亿元" in c.threshold


# --- spans ------------------------------------------------------------------------------------------

def test_span_is_the_raw_text(seed_claims):
    for doc, claims in seed_claims.values():
        for c in claims:
            assert 0 <= c.start < c.end <= len(doc.text)
            assert doc.text[c.start:c.end] == c.text
            line_start = doc.text.rfind("\n", 0, c.start) + 1
            assert c.line == doc.text.count("\n", 0, c.start) + 1
            assert c.column == c.start - line_start + 1


def test_span_across_a_blank_line(seed_claims):
    c = claim_at(seed_claims, SEED0, "总投资 311.2亿", "311.2")
    assert c.text == "311.2亿\n\n元"
    assert (c.value, c.unit) == (D("311.2"), "亿元")


def test_claims_are_in_text_order(seed_claims):
    for _, claims in seed_claims.values():
        assert [c.start for c in claims] == sorted(c.start for c in claims)
        assert [c.index for c in claims] == list(range(len(claims)))


# --- factcheck claims ---------------------------------------------------------------------------------

def test_claims_table(seeds_dir):
    r = CliRunner().invoke(main, ["claims", str(seeds_dir / SEED0), "--lang", "en"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    head = lines[0].split()
    for col in ("location", "text", "value", "unit", "qualifier", "modality", "subject"):
        assert col in head
    zh = CliRunner().invoke(main, ["claims", str(seeds_dir / SEED0)]).stdout.splitlines()
    assert zh[0].split() == ["位置", "原文", "数值", "单位", "限定", "性质", "时间", "主语"]
    row = next(ln for ln in lines if "311.2亿" in ln)
    assert re.search(r"000_3e47b0061565aec6\.txt:\d+:\d+", row)
    assert "311.2" in row and "亿元" in row and "总投资" in row
    assert any("300" in ln and "at least" in ln and "target" in ln for ln in lines)
    assert any("300" in ln and "下限" in ln and "目标" in ln for ln in zh)
    assert len(lines) == 1 + len(extract(read_document(str(seeds_dir / SEED0))))


def test_claims_json(seeds_dir):
    path = str(seeds_dir / SEED0)
    r = CliRunner().invoke(main, ["claims", "--format", "json", path])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["claims"]
    doc = read_document(path)
    assert len(rows) == len(extract(doc))
    keys = {"path", "start", "end", "line", "column", "text", "value", "unit", "qualifier", "modality", "time",
            "subject", "threshold", "value_high"}
    assert all(keys <= set(row) for row in rows)
    row = next(r for r in rows if r["text"].startswith("311.2"))
    assert (row["value"], row["unit"], row["subject"]) == ("311.2", "亿元", "总投资")
    assert doc.text[row["start"]:row["end"]] == row["text"]
    assert isinstance(row["value"], str)  # exact decimals, not floats


def test_claims_json_is_deterministic(seeds_dir):
    a = CliRunner().invoke(main, ["claims", "--format", "json", str(seeds_dir)])
    b = CliRunner().invoke(main, ["claims", "--format", "json", str(seeds_dir)])
    assert a.exit_code == 0 and a.stdout == b.stdout
    paths = [r["path"] for r in json.loads(a.stdout)["claims"]]
    assert paths == sorted(paths) and len(set(paths)) == 5


def test_claims_needs_a_path():
    r = CliRunner().invoke(main, ["claims"])
    assert r.exit_code == 2


def test_a_claim_and_a_check_pickle_with_every_field(seeds_dir):
    # results travel from the workers pickled as tuples of their fields (Claim/Check.__reduce__): a field
    # added to the class and not to the tuple would be lost on the way
    import dataclasses
    import pickle

    from factcheck.extract import Claim
    from factcheck.pipeline import process
    from factcheck.rules.engine import Check
    from factcheck.rules.loader import rules_for_run

    res = process(str(seeds_dir / "000_3e47b0061565aec6.txt"), rules_for_run())
    assert res.claims and res.checks
    for cls, obj in ((Claim, res.claims[3]), (Check, res.checks[0])):
        names = [f.name for f in dataclasses.fields(cls)]
        assert len(obj.__reduce__()[1]) == len(names), cls
        back = pickle.loads(pickle.dumps(obj))
        assert [getattr(back, n) for n in names] == [getattr(obj, n) for n in names], cls
    again = pickle.loads(pickle.dumps(res))
    assert [c.text for c in again.claims] == [c.text for c in res.claims]
    assert again.checks[0].claims[0][1] is again.claims[again.checks[0].claims[0][1].index]  # one object each


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="。！？!?；;\n”’」』“a一 ", max_size=60))
def test_boundaries_in_one_pass_are_those_of_the_patterns(text):
    # paragraph, sentence and segment starts are found in one scan; they are the ends of the matches of
    # the three patterns that define them
    from factcheck.extract import SEGMENT_END, SENTENCE_END, _boundaries

    para = [0] + [m.end() for m in re.finditer(r"\n\n", text)]
    sent = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    seg = [0] + [m.end() for m in SEGMENT_END.finditer(text)]
    assert _boundaries(text) == (para, sent, seg)


# --- claims as a reader reads them (issue 15) ----------------------------------------------------------

@pytest.mark.parametrize("text", ["推动三次产业协调发展。", "发放一次性补贴。", "坚决做到两个维护。", "增强四个意识、坚定四个自信。"])
def test_numerals_inside_words_are_not_figures(extract_text, text):
    assert extract_text(text) == []


def test_numerals_inside_words_leave_the_figures_beside_them(extract_text):
    claims = extract_text("三次产业结构为5:40:55，一次性奖励5万元，两个维护落到实处，新增企业三个。")
    assert [c.text for c in claims] == ["5万元", "三个"]


@pytest.mark.parametrize("text, shown, unit", [("全年签约六百亿元。", "600", "亿元"),
                                               ("完成投资一亿二千万元。", "1.2", "亿元"),
                                               ("带动就业十万人。", "10", "万人"),
                                               ("实现营收约两万亿元。", "2", "万亿元")])
def test_amounts_keep_the_unit_they_are_written_in(one_claim, text, shown, unit):
    from factcheck.report.build import claim_dict

    d = claim_dict(one_claim(text))
    assert (d["value"], d["unit"]) == (shown, unit)


def test_a_subject_is_a_noun_phrase_not_a_verb(extract_text):
    claims = extract_text("全区地区生产总值1000亿元，同比增长8.5%。第三产业增加值占地区生产总值的比重由上年的"
                          "48.2%提高到50.7%。全年签约六百亿元。民生实事10件，已完成8件。同比增长12%。")
    subjects = {c.text: c.subject for c in claims}
    assert subjects["8.5%"] == "地区生产总值"  # the noun of the figure it is the growth of
    assert subjects["48.2%"] == subjects["50.7%"] == "第三产业增加值占地区生产总值的比重"
    assert subjects["六百亿元"] == "签约的"  # what was signed
    assert subjects["8件"] == "完成的"  # what was completed
    assert subjects["12%"] == ""  # a change with no noun in its sentence: none is stated


def test_no_subject_of_the_articles_is_a_verb():
    from factcheck.extract import _lex

    verb = _lex().verb_subject
    deeds = _lex().deeds
    folders = ["seeds", "tests/articles", "tests/holdout", "tests/holdout2"]
    root = Path(__file__).resolve().parent.parent
    bad = []
    for folder in folders:
        for p in sorted((root / folder).glob("*.txt")):
            for c in extract(read_document(str(p))):
                if verb.fullmatch(c.subject) or c.subject in deeds:
                    bad.append((p.name, c.text, c.subject))
    assert bad == []
