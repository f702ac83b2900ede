"""--format html: one self-contained file for a reviewer. Every claim highlighted by outcome, every
discrepancy listed with a link to its place, the article text escaped (a hostile article can neither run
script nor render markup). The browser test runs headless Chromium (skipped when it is not installed,
failing in CI instead: tests/serving.py) and leaves a screenshot in tests/artifacts/."""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
HOSTILE = (
    "# 标题 <b>加粗</b>\n\n"
    "<script>document.title = 'pwned'; document.body.innerHTML = 'pwned';</script>\n\n"
    '<img src="x" onerror="document.title=\'pwned-img\'">\n\n'
    + BAD +
    "\n</div></mark><a href=\"javascript:alert(1)\">链接</a> & 其他 &amp; 说明。\n"
)
HOSTILE_NAME = "evil<i>name.md"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


class Tree(HTMLParser):
    """Tags with their attributes and the text inside each element, enough for these assertions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict, list]] = []
        self.elements: list[tuple[str, dict, str]] = []
        self.title = ""
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in ("meta", "br", "link", "img", "input"):
            self.stack.append((tag, a, []))

    def handle_endtag(self, tag):
        while self.stack:
            t, a, buf = self.stack.pop()
            text = "".join(buf)
            self.elements.append((t, a, text))
            if self.stack:
                self.stack[-1][2].append(text)
            if t == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.stack[-1][2].append(data)
            if self.stack[-1][0] == "title":
                self.title += data

    def by_class(self, cls: str):
        return [(t, a, x) for t, a, x in self.elements if cls in (a.get("class") or "").split()]


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    return t


@pytest.fixture()
def hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    return tmp_path


def render(*args) -> tuple[int, str]:
    r = runner().invoke(main, [*args, "--format", "html", "--no-progress"])
    return r.exit_code, r.stdout


def test_hostile_article_is_escaped(hostile):
    code, html = render(HOSTILE_NAME)
    assert code == 1
    tree = parse(html)
    tags = {t for t, _ in tree.tags}
    assert not tags & {"script", "img", "b", "i", "iframe"}, tags  # nothing from the article became markup
    assert not any(t == "a" and a.get("href", "").startswith("javascript:") for t, a in tree.tags)
    body = "".join(tree.text)
    assert "<script>document.title = 'pwned';" in body  # shown as text, verbatim
    assert '<img src="x" onerror=' in body and "</div></mark><a href=" in body and "& 其他 &amp; 说明" in body
    assert HOSTILE_NAME in body  # the file name too is text
    assert "&lt;script&gt;" in html and "<script" not in html
    csp = next(a for t, a in tree.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp["content"] and "script-src" not in csp["content"]


def test_claims_highlighted_and_discrepancies_linked(hostile):
    (hostile / "good.txt").write_text(BAD.replace("69个", "70个"), encoding="utf-8")
    args = [HOSTILE_NAME, "good.txt"]
    data = json.loads(runner().invoke(main, [*args, "--format", "json", "--no-progress"]).stdout)
    code, html = render(*args)
    tree = parse(html)
    marks = [(a, x) for t, a, x in tree.elements if t == "mark"]
    # every claim of every file is highlighted once, with its exact text
    assert sorted(x for _, x in marks) == sorted(c["text"] for c in data["claims"])
    bad = {x for a, x in marks if "discrepancy" in a["class"].split()}
    assert bad == {"69个", "22个", "29个", "19个"}
    ok = {x for a, x in marks if "ok" in a["class"].split()}
    unverifiable = {x for a, x in marks if "unverifiable" in a["class"].split()}
    assert "22个" in ok
    # 70个 and 69个 in two undated articles: a comparison across them needs a period (unverifiable)
    assert "70个" in ok | unverifiable
    classes = {a["class"] for a, _ in marks}
    assert classes <= {"claim discrepancy", "claim ok", "claim unverifiable", "claim unchecked"}
    # each discrepancy is listed with its arithmetic and links to the highlighted figures
    findings = [(a, x) for t, a, x in tree.elements if t == "li" and "finding" in (a.get("class") or "")]
    assert len(findings) == sum(data["summary"]["discrepancies"].values()) == 1
    assert "22 + 29 + 19 = 70个，文中合计为69个，相差1个" in findings[0][1]
    ids = {a["id"] for a, _ in marks}
    finding_id = findings[0][0]["id"]
    links = [a["href"][1:] for t, a in tree.tags if t == "a" and a.get("href", "").startswith("#")]
    mark_69 = next(a["id"] for a, x in marks if x == "69个" and "discrepancy" in a["class"])
    assert mark_69 in links and mark_69 in ids
    assert finding_id in links  # the text links back to the finding
    # the summary at the top
    top = html[:html.index('id="discrepancies"')]
    assert 'id="n-discrepancies">1 处不符<' in top and "<li>2 个文件</li>" in top


@pytest.mark.parametrize("encoding, newline, bom", [("utf-8", "\r\n", True), ("gb18030", "\n", False),
                                                    ("utf-8", "\r", False)])
def test_offsets_hold_for_bom_crlf_front_matter_and_gb18030(tmp_path, monkeypatch, encoding, newline, bom):
    """The text is read again as the run read it, so the highlights land on the figures."""
    monkeypatch.chdir(tmp_path)
    text = "---\ntitle: 测试\ndate: 2024-01-02\n---\n\n# 标题\n\n" + BAD
    data = text.replace("\n", newline).encode(encoding)
    (tmp_path / "a.md").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    code, html = render("a.md")
    assert code == 1
    marks = [(a["class"], x) for t, a, x in parse(html).elements if t == "mark"]
    assert marks == [("claim discrepancy", t) for t in ("69个", "22个", "29个", "19个")]
    # the front matter is metadata (shown above the article as 标题: 测试), not part of the article's text
    article = html.split('<div class="article">', 1)[1].split("</div>", 1)[0]
    assert "---" not in article and "title:" not in article and "2024-01-02" not in article
    assert article.lstrip("\r\n").startswith("# 标题"), article[:40]
    legend = html.split('<div class="article">', 1)[0].rsplit('<p class="legend">', 1)[1]
    assert "标题: 测试" in legend and "日期: 2024-01-02" in legend


def test_file_changed_since_the_run_is_not_mis_highlighted(hostile):
    from decimal import Decimal

    from factcheck.pipeline import run
    from factcheck.report.build import build_report
    from factcheck.report.html import render_html
    from factcheck.rules.loader import rules_for_run

    p = hostile / "a.txt"
    p.write_text(BAD, encoding="utf-8")
    rules = rules_for_run()
    report = build_report(run([str(p)], rules, approx=Decimal("0.05")), {"fail_on": "error"})
    p.write_text("新的开头。" + BAD, encoding="utf-8")  # every offset moves
    html = render_html(report)
    assert "核对之后文件有改动" in html
    assert "<mark" not in html.split('id="f0"', 1)[1]


def test_standard_input_report_says_text_is_not_kept(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    r = runner().invoke(main, ["-", "--format", "html", "--no-progress"], input=BAD)
    assert r.exit_code == 1
    assert "标准输入未保留" in r.stdout and "FC101" in r.stdout


def _browser(exe: str, url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={tmp / 'chrome-profile'}", *args, url]
    return subprocess.run(cmd, capture_output=True, timeout=120, text=True)


def test_report_in_headless_chromium(tmp_path, monkeypatch):
    from serving import chromium

    exe = chromium()  # skips without Debian's chromium, except in CI, where it fails
    (tmp_path / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.html"
    args = ["seeds/", str(tmp_path / HOSTILE_NAME), "--no-progress"]
    data = json.loads(runner().invoke(main, [*args, "--format", "json"]).stdout)
    r = runner().invoke(main, [*args, "--format", "html", "--output", str(out)])
    assert r.exit_code == 1 and out.is_file(), r.stderr  # the seeds' discrepancies; the hostile file is read
    url = out.resolve().as_uri()

    dom = _browser(exe, url, tmp_path, "--dump-dom", "--virtual-time-budget=3000")
    assert dom.returncode == 0, dom.stderr[-2000:]
    tree = parse(dom.stdout)
    # the hostile article's script did not run: the title is the report's, and no script element exists
    assert tree.title.startswith("factcheck 核对报告："), tree.title
    assert "pwned" not in tree.title
    assert not any(t in ("script", "img", "iframe") for t, _ in tree.tags)
    assert "<script>document.title = 'pwned';" in "".join(tree.text)
    # every discrepancy of the run is listed, and its figures are highlighted in the article text
    findings = [x for t, a, x in tree.elements if t == "li" and "finding" in (a.get("class") or "").split()]
    assert len(findings) == sum(data["summary"]["discrepancies"].values()) >= 2
    marks = {(a["id"], x) for t, a, x in tree.elements if t == "mark" and "discrepancy" in a["class"].split()}
    disc_figs = {c["text"] for chk in data["checks"] if chk["status"] == "discrepancy" for c in chk["claims"]}
    assert {x for _, x in marks} == disc_figs
    assert "69个" in {x for _, x in marks}
    for chk in data["checks"]:
        if chk["status"] == "discrepancy":
            assert any(chk["message"] in f for f in findings)
    assert len([1 for t, a, _ in tree.elements if t == "mark"]) == len(data["claims"])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "html_report.png"
    shot.unlink(missing_ok=True)
    res = _browser(exe, url, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cross_article_finding_is_counted_on_every_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("二七区2024年工作回顾\n\n二七区有效运作产业项目97个、总投资1352亿元。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("二七区项目建设\n\n围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n", encoding="utf-8")
    code, html = render("a.txt", "b.txt")
    table = html.split('<section id="files">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<a href="#f\d+">([^<]+)</a></td><td class="num">\d+</td><td class="num">\d+</td>\s*'
                      r'<td class="num">(\d+)</td>', table)
    assert dict(rows) == {"a.txt": "1", "b.txt": "1"}  # the conflict counts for both articles
    assert '<html lang="zh">' in html and "<h2>不符之处</h2>" in html
    en = runner().invoke(main, ["a.txt", "b.txt", "--format", "html", "--no-progress", "--lang", "en"]).stdout
    assert '<html lang="en">' in en and "<h2>Discrepancies</h2>" in en and "不符之处" not in en
