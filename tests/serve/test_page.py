"""The editors' page (GET /) in real headless Chromium, Debian's `chromium` package driven by playwright:
an editor pastes a seed article and sees the 22 + 29 + 19 finding, its figures highlighted as the HTML
report highlights them; a click on the finding scrolls the editor to its figures; Chinese renders with a
CJK font; a hostile article stays text; the page fetches nothing from anywhere but the server.

Without Chromium or playwright these tests skip, except in CI (CI=true, or FACTCHECK_REQUIRE_BROWSER=1,
which .ci/run sets), where they fail. A screenshot is left in tests/artifacts/serve_page.png."""

from __future__ import annotations

import re
import time

import pytest
from serving import ROOT, SEED_000, Server, chromium, playwright_sync

ARTIFACTS = ROOT / "tests" / "artifacts"
FINDING = "22 + 29 + 19 = 70个，文中合计为69个"  # the message, in Chinese as the page asks by default
HOSTILE = ("<script>document.title = 'pwned'; window.pwned = 1;</script>\n\n"
           '<img src="x" onerror="window.pwned = 2">\n\n'
           "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n\n"
           "</mark></div><b>加粗</b> & 其他 &amp; 说明。\n")
CJK_FONT = re.compile(r"CJK|Han|Hei|Song|Ming|Kai|PingFang|YaHei|WenQuanYi|SC\b|TC\b|JP\b", re.I)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server("--no-access-log", log=tmp_path_factory.mktemp("page") / "server.log") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    sync_api = playwright_sync()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1360, "height": 860}, locale="zh-CN")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    pg = ctx.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.goto(server.url + "/")
    yield pg
    ctx.close()


def paste(pg, text: str) -> None:
    """Paste as an editor does: the text on the clipboard, Ctrl+V in the article box."""
    pg.evaluate("t => navigator.clipboard.writeText(t)", text)
    pg.click("#text")
    pg.keyboard.press("Control+V")
    assert pg.input_value("#text") == text


def wait_until(pg, predicate: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript function until it returns true (page.wait_for_function evaluates strings, which the
    page's Content-Security-Policy forbids, as it should)."""
    deadline = time.monotonic() + timeout
    while not pg.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        time.sleep(0.05)


def wait_checked(pg) -> None:
    wait_until(pg, "() => !document.querySelector('#verdict').hidden "
                   "&& document.querySelectorAll('#backdrop mark.claim').length > 0")


def fonts_of(pg, selector: str) -> list[dict]:
    """The fonts Chromium resolved for an element's text (DevTools: CSS.getPlatformFontsForNode)."""
    cdp = pg.context.new_cdp_session(pg)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_pasted_seed_shows_the_finding_and_its_figures(page, server):
    text = SEED_000.read_text(encoding="utf-8")
    paste(page, text)
    wait_checked(page)
    findings = page.locator("#findings li.finding")
    assert findings.count() == 1
    assert FINDING in findings.first.inner_text()
    assert "FC101" in findings.first.inner_text() and "错误" in findings.first.inner_text()
    # the figures of the finding are highlighted as a discrepancy, in the text as pasted
    bad = page.eval_on_selector_all("#backdrop mark.claim.discrepancy", "ms => ms.map(m => m.textContent)")
    assert sorted(bad) == sorted(["69个", "22个", "29个", "19个"])
    for m in page.query_selector_all("#backdrop mark.claim.discrepancy"):
        box = m.bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5
        bg = m.evaluate("m => getComputedStyle(m).backgroundColor")
        assert bg == "rgb(255, 235, 233)"  # the HTML report's discrepancy colour
    # every figure of the report is marked once, with the class the HTML report gives it
    import httpx

    report = httpx.post(server.url + "/v1/check", json={"text": text, "path": "article.md"}, timeout=60).json()
    marks = page.eval_on_selector_all("#backdrop mark.claim", "ms => ms.map(m => [m.textContent, m.className])")
    assert sorted(t for t, _ in marks) == sorted(c["text"] for c in report["claims"])
    rank = {"ok": 1, "unverifiable": 2, "discrepancy": 3}
    worst: dict = {}
    for chk in report["checks"]:
        for c in chk["claims"]:
            if rank[chk["status"]] > rank.get(worst.get(c["start"]), 0):
                worst[c["start"]] = chk["status"]
    want = sorted((c["text"], "claim " + worst.get(c["start"], "unchecked")) for c in report["claims"])
    assert sorted((t, cls) for t, cls in marks) == want
    assert {"claim ok", "claim unchecked"} <= {cls for _, cls in marks}
    # the verdict and the counts
    assert "未通过" in page.inner_text("#verdict")
    assert page.locator("#others li.finding").count() == len(report["checks"]) - 1
    # Chinese renders with a CJK font (not as empty boxes)
    for sel in ("#verdict", "#findings li.finding .figs li span"):
        fonts = fonts_of(page, sel)
        cjk = [f for f in fonts if CJK_FONT.search(f["familyName"]) and f["glyphCount"] > 0]
        assert cjk, f"{sel}: no CJK font rendered its text: {fonts}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "serve_page.png"
    page.click("#findings li.finding")  # the figures in view, for the screenshot
    page.wait_for_timeout(1800)  # the highlight's flash is over
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    assert page.errors == []  # type: ignore[attr-defined]


def test_click_on_a_finding_scrolls_to_its_figures(page):
    paste(page, SEED_000.read_text(encoding="utf-8"))
    wait_checked(page)

    def in_view(sel: str) -> bool:
        return page.evaluate("""s => { const m = document.querySelector(s), e = document.querySelector('#editor');
            const a = m.getBoundingClientRect(), b = e.getBoundingClientRect();
            return a.top >= b.top && a.bottom <= b.bottom; }""", sel)

    page.evaluate("document.querySelector('#editor').scrollTop = 0")
    first = "#backdrop mark.claim.discrepancy"  # 69个, the total, on line 84
    assert not in_view(first)
    page.click("#findings li.finding")
    page.wait_for_timeout(200)
    for n in range(4):
        assert page.evaluate(f"""() => {{ const m = document.querySelectorAll('{first}')[{n}],
            e = document.querySelector('#editor'); const a = m.getBoundingClientRect(), b = e.getBoundingClientRect();
            return a.top >= b.top && a.bottom <= b.bottom; }}""")
    sel = page.evaluate("() => { const t = document.querySelector('#text'); "
                        "return t.value.slice(t.selectionStart, t.selectionEnd); }")
    assert sel == "69个"
    assert page.locator("#findings li.finding.active").count() == 1
    assert page.locator("#backdrop mark.claim.flash").count() == 4


def test_figures_beyond_the_bmp_and_edits(page):
    text = "𠀀𠀁稿件。\n全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。"
    paste(page, text)
    wait_checked(page)
    bad = page.eval_on_selector_all("#backdrop mark.claim.discrepancy", "ms => ms.map(m => m.textContent)")
    assert sorted(bad) == sorted(["69个", "22个", "29个", "19个"])
    # an edit: the marks go at once (they would be misplaced) and come back with the new check
    page.click("#text")
    page.keyboard.press("End")
    page.keyboard.type("另有项目1个。")
    assert page.locator("#backdrop mark.claim").count() == 0
    page.evaluate("() => { const t = document.querySelector('#text'); t.value = t.value.replace('69个', '70个');"
                  " t.dispatchEvent(new Event('input')); }")
    wait_until(page, "() => document.querySelectorAll('#backdrop mark.claim.ok').length >= 4")
    assert page.locator("#findings li.finding").count() == 0
    assert "通过" in page.inner_text("#verdict") and "未通过" not in page.inner_text("#verdict")


def test_a_hostile_article_stays_text(page):
    paste(page, HOSTILE)
    wait_checked(page)
    assert page.title().startswith("factcheck") and page.evaluate("window.pwned") is None
    assert page.locator("#backdrop script, #backdrop img, #backdrop b, #findings img").count() == 0
    assert "<script>document.title" in page.text_content("#backdrop")
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_page_needs_nothing_but_the_server(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    urls = []
    pg.on("request", lambda r: urls.append(r.url))
    resp = pg.goto(server.url + "/")
    assert resp.status == 200
    csp = resp.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    pg.fill("#text", SEED_000.read_text(encoding="utf-8"))
    wait_checked(pg)
    assert urls and all(u.startswith(server.url + "/") or u.startswith("data:") for u in urls), urls
    assert {u.split(server.url, 1)[1] for u in urls} >= {"/", "/static/editor.js", "/static/editor.css",
                                                         "/v1/check"}
    ctx.close()


def test_english(page):
    page.click("#lang")
    assert page.inner_text("#check") == "Check"
    paste(page, SEED_000.read_text(encoding="utf-8"))
    wait_checked(page)
    assert "Does not pass" in page.inner_text("#verdict")
    assert "The parts do not add up to the total: 22 + 29 + 19 = 70个" in page.inner_text("#findings")
    page.click("#lang")  # back to Chinese: the labels at once, the findings' messages from a new check
    assert page.inner_text("#check") == "检查" and "未通过" in page.inner_text("#verdict")
    wait_until(page, "() => document.querySelector('#findings').innerText.includes('分项之和与合计不符')")


def test_token_prompt(browser, tmp_path):
    f = tmp_path / "token"
    f.write_text("page-token-0123456789abcdef\n")
    f.chmod(0o600)
    with Server("--token-file", str(f), log=tmp_path / "log") as s:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(s.url + "/")
        pg.fill("#text", SEED_000.read_text(encoding="utf-8"))
        pg.wait_for_selector("#token-box:not([hidden])", timeout=30_000)
        assert "令牌" in pg.inner_text("#status")
        pg.fill("#token", "page-token-0123456789abcdef")
        pg.click("#token-box button")
        wait_checked(pg)
        assert FINDING in pg.inner_text("#findings")
        ctx.close()


@pytest.mark.parametrize("env, outcome", [({"CI": "true"}, "fail"), ({"FACTCHECK_REQUIRE_BROWSER": "1"}, "fail"),
                                          ({}, "skip")])
def test_browser_tests_cannot_skip_in_ci(monkeypatch, env, outcome):
    """Without Chromium the browser tests (these and tests/test_report_html.py) skip on a developer's
    machine and fail in CI."""
    import serving

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("FACTCHECK_REQUIRE_BROWSER", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(serving.shutil, "which", lambda name: None)
    expected = pytest.fail.Exception if outcome == "fail" else pytest.skip.Exception
    with pytest.raises(expected, match="Chromium is not installed"):
        serving.chromium()
