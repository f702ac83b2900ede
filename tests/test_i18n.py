"""Chinese first (issue 15): the gettext catalogs, message composition, the plain difference, --lang and
`lang`, the language reaching the worker processes, rule titles and documentation in both languages."""

from __future__ import annotations

import io
import json
import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck import i18n
from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "factcheck" / "locale"
PO = LOCALE / "zh" / "LC_MESSAGES" / "factcheck.po"
MO = LOCALE / "zh" / "LC_MESSAGES" / "factcheck.mo"
BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
CJK = re.compile("[\u4e00-\u9fff]")


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def fc(*args):
    return runner().invoke(main, [*args, "--no-progress"] if args and args[0] not in ("rules", "rule", "claims")
                           else list(args))


# --- the catalogs ------------------------------------------------------------------------------------

def _extracted() -> set:
    """The message ids of the sources, as `pybabel extract` (babel.cfg, -k NP_:1,2) finds them."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None,
                "NP_": (1, 2)}
    out = set()
    for _, _, msg, _, ctx in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords):
        out.add((ctx, msg if isinstance(msg, str) else msg[0]))
    return out


def _po():
    from babel.messages.pofile import read_po

    with open(PO, "rb") as f:
        return read_po(f, locale="zh")


def test_every_message_of_the_sources_has_a_chinese_translation():
    catalog = _po()
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    wanted = _extracted()
    assert wanted, "nothing extracted: babel.cfg does not reach the sources"
    missing = sorted(str(k) for k in wanted - set(have))
    assert missing == [], f"messages not in {PO.relative_to(ROOT)} (pybabel extract + update, see README): {missing}"
    stale = sorted(str(k) for k in set(have) - wanted)
    assert stale == [], f"catalog entries no source uses any more: {stale}"
    for key, m in have.items():
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        assert all(s.strip() for s in strings), f"untranslated: {key}"
        assert not m.fuzzy, f"fuzzy: {key}"
        # the translation keeps every placeholder of the message id
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        names = set(re.findall(r"\{(\w+)\}|%\((\w+)\)s", " ".join(ids)))
        for s in strings:
            assert set(re.findall(r"\{(\w+)\}|%\((\w+)\)s", s)) == names, (key, s)


def test_the_shipped_mo_file_is_the_compiled_po_file():
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, _po())
    assert MO.read_bytes() == buf.getvalue(), "stale .mo: pybabel compile -d src/factcheck/locale -D factcheck"


# --- composing messages ------------------------------------------------------------------------------

def test_breakdown_and_share_messages_read_like_an_editors_note():
    d = i18n.difference(D(69), D(70), "个")
    assert i18n.message("breakdown_mismatch", "zh", parts=["22", "29", "19"], sum="70个", total="69个",
                        difference=d) == "分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。"
    share = i18n.message("share_mismatch", "zh", stated="16%", part="27.36亿元", whole="267.37亿元", computed="10.2%",
                         difference=i18n.difference(D(16), D("10.2"), "%"))
    assert share == "占比与数字不符：文中为16%，27.36亿元 / 267.37亿元 = 10.2%，相差5.8个百分点。"
    en = i18n.message("share_mismatch", "en", stated="16%", part="27.36亿元", whole="267.37亿元", computed="10.2%",
                      difference=i18n.difference(D(16), D("10.2"), "%"))
    assert en == ("The share does not match its figures: the text gives 16%, 27.36亿元 / 267.37亿元 = 10.2%, "
                  "a difference of 5.8 percentage points.")


def test_every_message_key_is_documented_and_composes_in_both_languages():
    doc = i18n.message.__doc__
    for key, msgid in i18n.MESSAGES.items():
        assert re.search(rf"^\s+{key}\b", doc, re.M), f"{key} is not documented in i18n.message"
        args = {name: "X" for name in re.findall(r"\{(\w+)\}", msgid)}
        for lang in i18n.LANGUAGES:
            text = i18n.message(key, lang, **args)
            assert "{" not in text and "}" not in text
            assert bool(CJK.search(text)) == (lang == "zh"), (key, lang, text)
        if args:
            with pytest.raises(KeyError):
                i18n.message(key, "zh")  # every argument is needed


@pytest.mark.parametrize("stated, computed, unit, places, text", [
    ("632", "623", "亿元", None, "9亿元"),  # the visible difference, not what is left beyond rounding
    ("2860", "2680", "亿元", None, "180亿元"),
    ("16", "10.2", "%", None, "5.8个百分点"),  # shares and rates: percentage points
    ("10.2", "10.6", "%", None, "0.4个百分点"),
    ("12.5", "12.9496", "亿元", 2, "0.45亿元"),  # to the decimals shown, not 0.4496
    ("36.0", "35.0", "万元", None, "1万元"),  # trailing zeros dropped
    ("1.5", "1.2", "‰", None, "0.3个千分点"),
    ("3", "3.3", "个百分点", None, "0.3个百分点"),
])
def test_the_plain_difference(stated, computed, unit, places, text):
    assert i18n.difference(D(stated), D(computed), unit, places).text("zh") == text


def test_the_difference_in_english_and_in_the_report():
    d = i18n.difference(D("16"), D("10.2"), "%")
    assert d.text("en") == "5.8 percentage points"
    assert i18n.difference(D("3"), D("2"), "%").text("en") == "1 percentage point"
    assert d.as_json() == {"value": "5.8", "unit": "个百分点", "text": "5.8个百分点"}


def test_words_and_the_summary_line():
    from types import SimpleNamespace

    s = SimpleNamespace(files=1, claims=4, checks=2, ok=1, unverifiable=0, errors=1, suppressed=2,
                        discrepancies={"error": 1, "warning": 0, "info": 0})
    assert i18n.summary_line(s, "zh") == ("1 个文件，4 个数字，2 项核对，1 处不符（1 个错误，0 个警告，0 个提示），"
                                          "0 项无法核对，1 项无误，1 个输入错误，2 处已忽略")
    assert i18n.summary_line(s, "en") == ("1 file, 4 claims, 2 checks, 1 discrepancy (1 error, 0 warnings, 0 info), "
                                          "0 unverifiable, 1 ok, 1 input error, 2 suppressed")
    assert [i18n.severity_word(x, "zh") for x in ("error", "warning", "info")] == ["错误", "警告", "提示"]
    assert i18n.status_word("unverifiable", "zh") == "无法核对" and i18n.status_word("ok", "en") == "ok"
    assert i18n.role_word("parts[2]", "zh") == "分项3" and i18n.role_word("parts[2]", "en") == "part 3"
    assert i18n.period_text("2024-H1", "zh") == "2024年上半年" and i18n.period_text("2024-M1-6", "zh") == "2024年1—6月"
    assert i18n.period_text(None, "zh") == "时期不明"


# --- the run's language ------------------------------------------------------------------------------

@pytest.fixture()
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_seeds_in_chinese_by_default_and_in_english_with_lang_en(monkeypatch):
    monkeypatch.chdir(ROOT)
    zh = fc("seeds/")
    assert zh.exit_code == 1
    assert "错误 FC101 分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。" in zh.stdout
    assert "相差144亿元（同一组对象；同一时期：2024年）" in zh.stdout
    assert "misses by" not in zh.stdout and "discrepanc" not in zh.stdout
    en = fc("seeds/", "--lang", "en")
    assert en.exit_code == 1
    assert "error FC101 [breakdown-sum] The parts do not add up to the total: 22 + 29 + 19 = 70个, the text gives " \
           "69个, a difference of 1个." in en.stdout
    assert "a difference of 144亿元 (the same identified set; the same period: 2024)" in en.stdout
    summary = en.stdout.rstrip("\n").splitlines()[-1]
    assert not CJK.search(summary) and "2 discrepancies (2 errors, 0 warnings, 0 info)" in summary


def test_lang_in_the_configuration_and_the_option_winning(work):
    (work / "factcheck.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert "The parts do not add up" in fc("bad.txt").stdout
    assert "分项之和与合计不符" in fc("bad.txt", "--lang", "zh").stdout
    (work / "factcheck.toml").write_text('lang = "fr"\n', encoding="utf-8")
    r = fc("bad.txt")
    assert r.exit_code == 2 and "lang" in r.stderr and "zh, en" in r.stderr


@pytest.mark.parametrize("lang, expected", [("zh", "分项之和与合计不符"), ("en", "The parts do not add up")])
def test_the_language_reaches_the_worker_processes(work, lang, expected):
    folder = work / "many"
    folder.mkdir()
    for i in range(12):  # more than 8 files: checked in worker processes
        (folder / f"a{i:02d}.txt").write_text(BAD, encoding="utf-8")
    r = fc("many", "--jobs", "2", "--format", "json", "--lang", lang)
    data = json.loads(r.stdout)
    messages = [c["message"] for c in data["checks"] if c["status"] == "discrepancy"]
    assert len(messages) == 12 and all(m.startswith(expected) for m in messages)
    assert data["configuration"]["lang"] == lang


def test_the_same_bytes_from_one_worker_and_from_two(work):
    folder = work / "many"
    folder.mkdir()
    for i, name in enumerate(sorted((ROOT / "seeds").glob("*.txt")) * 2):
        shutil.copy(name, folder / f"{i:02d}_{name.name}")
    one = fc("many", "--jobs", "1", "--format", "json", "--lang", "en", "--show-ok")
    two = fc("many", "--jobs", "2", "--format", "json", "--lang", "en", "--show-ok")
    assert one.stdout == two.stdout


def test_the_rounding_allowance_is_said_where_it_matters(work):
    (work / "r.txt").write_text("总投资10.0亿元，其中，一期5.04亿元，二期5.04亿元。\n", encoding="utf-8")
    zh = fc("r.txt", "--format", "json")
    chk = next(c for c in json.loads(zh.stdout)["checks"] if c["status"] == "discrepancy")
    assert chk["message"] == ("分项之和与合计不符：5.04 + 5.04 = 10.08亿元，文中合计为10.0亿元，相差0.08亿元。"
                              "文中数字的四舍五入至多能解释其中的0.06亿元。")
    assert chk["difference"] == {"value": "0.08", "unit": "亿元", "text": "0.08亿元"}
    assert chk["recomputed"] == "10.08亿元" and chk["miss"] == "0.02亿元"
    assert chk["tolerance"] == "[9.95, 10.05]亿元 vs [10.07, 10.09]亿元"
    # a count that is exact has no rounding to speak of
    bad = json.loads(fc("bad.txt", "--format", "json").stdout)["checks"][0]
    assert bad["message"].endswith("相差1个。")


# --- rules and rule ----------------------------------------------------------------------------------

def test_rules_lists_titles_in_the_language(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    zh = fc("rules").stdout.splitlines()
    assert any(ln.startswith("FC101  breakdown-sum") and ln.endswith("错误  分项之和等于合计") for ln in zh), zh
    en = fc("rules", "--lang", "en").stdout.splitlines()
    assert any(ln.startswith("FC101  breakdown-sum") and ln.endswith("error  the parts add up to the total")
               for ln in en), en


def test_rule_documentation_in_both_languages_and_its_formula_once(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    zh = fc("rule", "FC801").stdout
    assert zh.startswith("FC801 cross-article-conflict：同一事实在不同稿件中一致\n")
    for heading in ("检查什么", "为什么重要", "公式", "不通过的例子", "通过的例子"):
        assert f"\n{heading}\n" in zh
    assert zh.count("second == first") == 1 and "second = first" not in zh  # not drawn a second time
    en = fc("rule", "FC801", "--lang", "en").stdout
    assert "\nWhat it checks\n" in en and "\nWhy it matters\n" in en
    share = fc("rule", "FC201").stdout
    assert "pct == 100 * part / whole" in share and "─" in share  # a fraction is drawn, over lines


def test_rule_text_is_wrapped_at_word_boundaries(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    en = fc("rule", "FC101", "--lang", "en").stdout
    from factcheck.report.terminal import width

    lines = [ln for ln in en.splitlines() if not ln.startswith("Source: ")]  # a path is not broken
    assert all(width(ln) <= 60 for ln in lines), [ln for ln in lines if width(ln) > 60]
    what = en.split("What it checks\n", 1)[1].split("\n\n", 1)[0]
    words = " ".join(ln.strip() for ln in what.splitlines()).split()
    from factcheck.rules.loader import rules_for_run

    rule = next(r for r in rules_for_run() if r.id == "FC101")
    assert words == rule.docs.what.split()  # no word cut in two
    zh = fc("rule", "FC101").stdout
    assert all(width(ln) <= 60 for ln in zh.splitlines() if not ln.startswith("来源："))
    assert "范围 全文" in zh and "window article" in en
    assert not any(ln.lstrip().startswith(("，", "。", "、", "）")) for ln in zh.splitlines())


def test_rules_list_is_wrapped_at_word_boundaries(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    from factcheck.report.terminal import width

    lines = fc("rules", "--lang", "en").stdout.splitlines()
    assert all(width(ln) <= 50 for ln in lines), lines
    assert "the funds arrival rate follows from its" in " ".join(x.strip() for x in lines)
