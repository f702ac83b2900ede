"""Cases for the word lists the checker is driven by, one per entry, each with the behaviour it stands for.

* every qualifier of the extraction lexicon (rules/lexicon.yaml: qualifiers_before, qualifiers_after)
  with its direction and the bound it puts on its figure (不超过50亿元 is at most 50亿元, never at least);
* every up and down word of the growth rule (FC401) and of the point-difference rule (FC501), with and
  without 了 after it (同比下降了6.5% is as right as 同比下降6.5%, and a wrong rate is still caught);
* shares and rates stated per mille (占比12‰ of 6万 out of 500万 is right, 15‰ is not).

The tables below are written by hand: they say what each word means, independently of the lexicon. A
test compares each table with the list it covers, read from the data file when the test runs: a word
added to a list without a case here, or a case whose word left the list, fails that test by name.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from factcheck.documents import Document
from factcheck.extract import extract

INF = Decimal("Infinity")

# word → (where it stands, the bound it makes, a sentence, the figure it qualifies)
QUALIFIERS = {
    # before the figure: at least
    "不低于": ("before", "lower", "合作规模将不低于300亿元。", "300亿元"),
    "不少于": ("before", "lower", "每个乡镇培育示范村不少于3个。", "3个"),
    "超过": ("before", "lower", "全年接待游客超过500万人次。", "500万人次"),
    "突破": ("before", "lower", "全区经营主体突破15万户。", "15万户"),
    "高于": ("before", "lower", "全年地区生产总值增速高于6%。", "6%"),
    "多于": ("before", "lower", "新增就业岗位多于2000个。", "2000个"),
    "至少": ("before", "lower", "每村配备网格员至少2名。", "2名"),
    "最少": ("before", "lower", "每户补贴最少500元。", "500元"),
    "逾": ("before", "lower", "吸引投资逾20亿元。", "20亿元"),
    "超": ("before", "lower", "签约额超300亿元。", "300亿元"),
    # before the figure: at most
    "不超过": ("before", "upper", "单个项目投资不超过50亿元。", "50亿元"),
    "不高于": ("before", "upper", "贷款利率不高于4.5%。", "4.5%"),
    "不足": ("before", "upper", "完工项目不足10个。", "10个"),
    "不到": ("before", "upper", "参会企业不到50家。", "50家"),
    "低于": ("before", "upper", "城镇调查失业率低于5.5%。", "5.5%"),
    "少于": ("before", "upper", "报名人数少于30人。", "30人"),
    "最多": ("before", "upper", "每户补贴最多2000元。", "2000元"),
    # before the figure: about
    "大约": ("before", "approx", "大约20家企业参加。", "20家"),
    "约为": ("before", "approx", "总投资约为300亿元。", "300亿元"),
    "约合": ("before", "approx", "合同金额约合7.2亿元。", "7.2亿元"),
    "将近": ("before", "approx", "将近3000人参加活动。", "3000人"),
    "接近": ("before", "approx", "全年产值接近100亿元。", "100亿元"),
    "约": ("before", "approx", "总投资约300亿元。", "300亿元"),
    "近": ("before", "approx", "近50个项目集中开工。", "50个"),
    "上": ("before", "approx", "带动上万人就业。", "万人"),
    # after the figure and its unit
    "左右": ("after", "approx", "新建项目100个左右。", "100个"),
    "上下": ("after", "approx", "年产值50亿元上下。", "50亿元"),
    "及以上": ("after", "lower", "单笔贷款1000万元及以上。", "1000万元"),
    "以上": ("after", "lower", "新开工项目82个以上。", "82个"),
    "多": ("after", "lower", "工期1年多。", "1年"),
    "及以下": ("after", "upper", "单笔贷款5万元及以下。", "5万元"),
    "以下": ("after", "upper", "每班人数45人以下。", "45人"),
    "以内": ("after", "upper", "控制在20人以内。", "20人"),
}
LEXICON_KEYS = {"before": "qualifiers_before", "after": "qualifiers_after"}
BOUND_NAMES = {"lower": "a lower bound (at least)", "upper": "an upper bound (at most)", "approx": "an approximate figure"}


def builtin_file(name: str) -> Path:
    from factcheck.lexicon import builtin_rules_dir

    return builtin_rules_dir() / name


def read_yaml(name: str) -> dict:
    return yaml.safe_load(builtin_file(name).read_text(encoding="utf-8"))


def _bound_of(c) -> str:
    """What a claim's interval says about its stated figure, read from the interval alone."""
    lo, hi = c.interval()
    figure = c.base_value()
    if hi == INF:
        return "lower"
    if lo == 0 and figure > 0:
        return "upper"
    return "approx" if lo < figure < hi else "exact"


@pytest.mark.parametrize("word", [pytest.param(w, id=f"{QUALIFIERS[w][1]}-{QUALIFIERS[w][0]}:{w}") for w in QUALIFIERS])
def test_qualifier_gives_its_bound(one_claim, word):
    where, bound, text, figure = QUALIFIERS[word]
    c = one_claim(text)
    got = _bound_of(c)
    assert c.text == figure, (text, c.text)
    phrase = word + figure if where == "before" else figure + word
    assert got == bound, (f"{phrase} ({text}) is {BOUND_NAMES[bound]}, read as {BOUND_NAMES.get(got, got)} "
                          f"(qualifier {c.qualifier!r} from {c.qualifier_text!r})")
    assert c.qualifier_text == word, (text, c.qualifier_text)
    lo, hi = c.interval()
    figure_value = c.base_value()
    if bound == "lower":  # from about the figure (its rounding) upwards
        assert 0 < lo <= figure_value and hi == INF, (text, lo, hi)
    elif bound == "upper":  # from nothing up to about the figure
        assert lo == 0 and figure_value <= hi < INF, (text, lo, hi)
    else:  # around the figure, on both sides
        assert 0 < lo < figure_value < hi < INF, (text, lo, hi)


def test_every_lexicon_qualifier_has_a_case():
    """rules/lexicon.yaml and QUALIFIERS list the same words, each under the same direction."""
    lx = read_yaml("lexicon.yaml")
    listed = {}
    for where, key in LEXICON_KEYS.items():
        for bound, words in lx[key].items():
            for w in words:
                listed[w] = (where, bound)
    cased = {w: (where, bound) for w, (where, bound, _, _) in QUALIFIERS.items()}
    without_case = sorted(w for w in listed if w not in cased)
    assert not without_case, f"lexicon qualifiers without a case in {__name__}.QUALIFIERS: {without_case}"
    gone = sorted(w for w in cased if w not in listed)
    assert not gone, f"cases for qualifiers the lexicon no longer lists: {gone}"
    moved = {w: (listed[w], cased[w]) for w in listed if listed[w] != cased[w]}
    assert not moved, f"lexicon direction differs from the case's (lexicon, case): {moved}"


# --- growth (FC401) and percentage points (FC501): every up and down word, with and without 了 -----------

GROWTH_WORDS = {
    "同比增长": "up", "比上年增长": "up", "较上年增长": "up", "增长": "up", "增加": "up", "提高": "up", "上升": "up",
    "同比下降": "down", "比上年下降": "down", "较上年下降": "down", "下降": "down", "减少": "down", "降低": "down",
    "回落": "down",
}
# last year 481.3亿元, this year 512.6亿元 (up 6.50%) or 450.0亿元 (down 6.50%)
GROWTH_TEXT = "去年全区地区生产总值481.3亿元。今年全区地区生产总值{now}亿元，{word}{le}{pct}%。"
GROWTH_NOW = {"up": "512.6", "down": "450.0"}

PP_WORDS = {
    "提高": "up", "增加": "up", "上升": "up", "提升": "up", "扩大": "up", "高出": "up",
    "下降": "down", "降低": "down", "减少": "down", "回落": "down", "收窄": "down",
}
PP_TEXT = {
    "up": "全市城镇化率由上年的45.2%提高到48.7%，{word}{le}{diff}个百分点。",  # 3.5 points up
    "down": "全市城镇登记失业率由上年的4.8%降至1.3%，{word}{le}{diff}个百分点。",  # 3.5 points down
}


@pytest.fixture(scope="module")
def rules():
    from factcheck.rules.loader import rules_for_run

    return {r.id: r for r in rules_for_run()}


def checks_of(rule, text: str) -> list[tuple[str, list[str]]]:
    from factcheck.rules.validate import run_example

    return [(c.status, [x.text for _, x in c.claims]) for c in run_example(rule, text) if c.rule == rule.id]


@pytest.mark.parametrize("le", ["", "了"], ids=["bare", "with-le"])
@pytest.mark.parametrize("word", [pytest.param(w, id=f"{way}:{w}") for w, way in GROWTH_WORDS.items()])
def test_growth_word_with_and_without_le(rules, word, le):
    way = GROWTH_WORDS[word]
    now = GROWTH_NOW[way]
    right = GROWTH_TEXT.format(now=now, word=word, le=le, pct="6.5")
    figures = [f"{now}亿元", "481.3亿元", "6.5%"]
    got = checks_of(rules["FC401"], right)
    assert got == [("ok", figures)], f"{right}: a right {way} rate after {word}{le} is ok, got {got}"
    wrong = GROWTH_TEXT.format(now=now, word=word, le=le, pct="8.5")
    got = checks_of(rules["FC401"], wrong)
    assert got == [("discrepancy", [f"{now}亿元", "481.3亿元", "8.5%"])], f"{wrong}: a wrong rate is caught, got {got}"
    # the word's direction counts: the same rate stated the other way is wrong
    other = GROWTH_NOW["down" if way == "up" else "up"]
    flipped = GROWTH_TEXT.format(now=other, word=word, le=le, pct="6.5")
    got = checks_of(rules["FC401"], flipped)
    assert [s for s, _ in got] == ["discrepancy"], f"{flipped}: {word} says {way}, the figures say otherwise; got {got}"


@pytest.mark.parametrize("le", ["", "了"], ids=["bare", "with-le"])
@pytest.mark.parametrize("word", [pytest.param(w, id=f"{way}:{w}") for w, way in PP_WORDS.items()])
def test_point_difference_word_with_and_without_le(rules, word, le):
    way = PP_WORDS[word]
    pcts = ["45.2%", "48.7%"] if way == "up" else ["1.3%", "4.8%"]
    right = PP_TEXT[way].format(word=word, le=le, diff="3.5")
    got = checks_of(rules["FC501"], right)
    assert got == [("ok", [*pcts, "3.5个百分点"])], f"{right}: got {got}"
    wrong = PP_TEXT[way].format(word=word, le=le, diff="2.5")
    got = checks_of(rules["FC501"], wrong)
    assert got == [("discrepancy", [*pcts, "2.5个百分点"])], f"{wrong}: got {got}"


@pytest.mark.parametrize("rule_id, table", [("FC401", GROWTH_WORDS), ("FC501", PP_WORDS)], ids=["FC401", "FC501"])
def test_every_up_and_down_word_has_a_case(rules, rule_id, table):
    p = rules[rule_id].p
    listed = {**{w: "up" for w in p.up_words}, **{w: "down" for w in p.down_words}}
    assert not sorted(set(listed) - set(table)), f"{rule_id} words without a case: {sorted(set(listed) - set(table))}"
    assert not sorted(set(table) - set(listed)), f"cases for words {rule_id} no longer lists: {sorted(set(table) - set(listed))}"
    assert {w: listed[w] for w in table} == table, f"{rule_id}: a word listed the other way round"


# --- per mille: shares and rates --------------------------------------------------------------------------

PER_MILLE = [
    # (rule, text, status, figures of its check); 6万 / 500万 = 12‰, 60 / 5万 = 1.2‰, 36 / 2万 = 1.8‰
    ("FC201", "全市常住人口500万人，其中外籍人口6万人，占比12‰。", "ok", ["6万人", "500万人", "12‰"]),
    ("FC201", "全市常住人口500万人，其中外籍人口6万人，占全市常住人口的12‰。", "ok", ["6万人", "500万人", "12‰"]),
    ("FC201", "全市常住人口500万人，其中外籍人口6万人，占比15‰。", "discrepancy", ["6万人", "500万人", "15‰"]),
    ("FC201", "全市常住人口500万人，其中外籍人口6万人，占比1.2‰。", "unverifiable", ["6万人", "500万人", "1.2‰"]),
    ("FC309", "全县共有参保职工5万人，今年发生工伤60人，工伤发生率1.2‰。", "ok", ["1.2‰", "60人", "5万人"]),
    ("FC309", "全县共有适龄儿童2万人，其中残疾儿童36人，残疾儿童比率1.8‰。", "ok", ["1.8‰", "36人", "2万人"]),
    ("FC309", "全县共有参保职工5万人，今年发生工伤60人，工伤发生率1.6‰。", "discrepancy", ["1.6‰", "60人", "5万人"]),
]


@pytest.mark.parametrize("rule_id, text, status, figures", PER_MILLE,
                         ids=[f"{r}-{s}-{i}" for i, (r, _, s, _) in enumerate(PER_MILLE)])
def test_per_mille_share_and_rate(rules, rule_id, text, status, figures):
    """A ‰ figure is a tenth of the same figure in %: 6万 of 500万 is 12‰ (1.2%), not 1.2‰, not 12%."""
    got = checks_of(rules[rule_id], text)
    assert got == [(status, figures)], f"{text}: expected {status} over {figures}, got {got}"


def test_per_mille_discrepancy_is_worded_in_per_mille(rules):
    """A wrong ‰ figure's difference, the part of it rounding cannot explain and the intervals compared are
    in ‰ (个千分点), ten times the same figure's in %: 15‰ of 6万 out of 500万 (12‰) is 3个千分点 off as
    1.5% is 0.3个百分点 off (the formulas read both in percent)."""
    from factcheck.rules.validate import run_example

    def check(text):
        [c] = [c for c in run_example(rules["FC201"], text) if c.rule == "FC201"]
        return c

    mille = check("全市常住人口500万人，其中外籍人口6万人，占比15‰。")
    pct = check("全市常住人口500万人，其中外籍人口6万人，占比1.5%。")
    assert mille.status == pct.status == "discrepancy"
    assert mille.details["difference"] == {"value": "3", "unit": "个千分点", "text": "3个千分点"}
    assert pct.details["difference"] == {"value": "0.3", "unit": "个百分点", "text": "0.3个百分点"}
    assert (mille.miss, pct.miss) == ("1.5个千分点", "0.15个百分点")
    assert mille.tolerance == "[14.5, 15.5]‰ vs [10.99, 13.01]‰"
    assert pct.tolerance == "[1.45, 1.55]% vs [1.099, 1.301]%"
    assert "1.51个千分点" in mille.message and "0.15个百分点" in pct.message  # what rounding can explain
