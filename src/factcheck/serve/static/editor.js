// factcheck serve: the editors' page. The article is sent to POST v1/check (relative: the page works
// under any path prefix of a reverse proxy); the report's figures are marked in a copy of the text that
// lies under the textarea, and every finding is listed with its arithmetic. Text from the article or
// the report only ever goes into the page as text (textContent), never as markup.
"use strict";

(function () {
  const I18N = {
    zh: {
      subtitle: "稿件数字核查", check: "检查", checkTitle: "检查（Ctrl+Enter）", auto: "输入时自动检查",
      failOn: "不通过的级别", never: "从不", title: "标题", date: "日期", path: "文件名", article: "稿件",
      results: "核查结果", legend: "数字：", token: "访问令牌", useToken: "使用", findings: "差错",
      noFindings: "没有发现差错。", others: "其他核查（核对无误、无法核实）",
      placeholder: "在此粘贴或输入稿件（纯文本或 Markdown），数字会按核查结果标出颜色。",
      ready: "粘贴稿件后自动检查。", checking: "检查中……", edited: "稿件已修改，等待检查……",
      checked: (ms) => `已检查，用时 ${ms} 毫秒。`, empty: "稿件为空。",
      "sev.error": "错误", "sev.warning": "警告", "sev.info": "提示",
      "st.discrepancy": "有差错", "st.unverifiable": "无法核实", "st.ok": "核对无误", "st.unchecked": "未核对",
      pass: "通过：没有达到不通过级别的差错。", fail: "未通过：有需要修改的差错。",
      failErrors: "未通过：稿件无法检查。",
      claims: "个数字", checks: "项核查", discrepancies: "处差错", unverifiable: "项无法核实", ok: "项核对无误",
      suppressed: "处已忽略", inputErrors: "个输入错误",
      stated: "稿件数值", recomputed: "重算", miss: "相差", tolerance: "区间", formula: "公式", confidence: "置信度",
      archived: "存档稿件", untitled: "无标题", undated: "无日期", line: (l, c) => `第${l}行第${c}列`,
      tokenNeeded: "此服务需要访问令牌。", network: "无法连接到服务：", httpError: (s) => `服务返回 HTTP ${s}：`,
      roles: { total: "总数", part: "部分", parts: "分项", whole: "整体", pct: "比例", first: "首次", second: "再次",
               current: "本期", previous: "上期", rate: "增速", increase: "增量", average: "平均数",
               count: "数量", sum: "合计", a: "甲", b: "乙", diff: "差值" },
    },
    en: {
      subtitle: "figures in news copy, checked", check: "Check", checkTitle: "Check (Ctrl+Enter)",
      auto: "Check while typing", failOn: "Fail on", never: "never", title: "Title", date: "Date", path: "Name",
      article: "Article", results: "Results", legend: "Figures:", token: "Access token", useToken: "Use",
      findings: "Discrepancies", noFindings: "No discrepancy.", others: "Other checks (ok, unverifiable)",
      placeholder: "Paste or type an article (plain text or Markdown); its figures are coloured by the checks.",
      ready: "Paste an article: it is checked as you type.", checking: "Checking…",
      edited: "The article changed; it will be checked again…", checked: (ms) => `Checked in ${ms} ms.`,
      empty: "The article is empty.",
      "sev.error": "error", "sev.warning": "warning", "sev.info": "info",
      "st.discrepancy": "discrepancy", "st.unverifiable": "unverifiable", "st.ok": "checked, ok",
      "st.unchecked": "not in any check",
      pass: "Passes: no discrepancy at the failing level.", fail: "Does not pass: discrepancies to fix.",
      failErrors: "Does not pass: the article could not be checked.",
      claims: "figures", checks: "checks", discrepancies: "discrepancies", unverifiable: "unverifiable", ok: "ok",
      suppressed: "suppressed", inputErrors: "input errors",
      stated: "stated", recomputed: "recomputed", miss: "misses by", tolerance: "intervals", formula: "formula",
      confidence: "confidence", archived: "archived", untitled: "untitled", undated: "undated",
      line: (l, c) => `line ${l}, column ${c}`, tokenNeeded: "This server needs an access token.",
      network: "Cannot reach the server: ", httpError: (s) => `The server answered HTTP ${s}: `,
      roles: {},
    },
  };

  const $ = (id) => document.getElementById(id);
  const text = $("text"), backdrop = $("backdrop"), editor = $("editor");
  const state = { lang: "zh", report: null, sent: null, seq: 0, timer: 0, controller: null, marks: new Map() };

  function t(key, ...args) {
    const v = I18N[state.lang][key] ?? I18N.zh[key];
    return typeof v === "function" ? v(...args) : v;
  }

  function el(tag, cls, content) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined && content !== null) e.textContent = String(content);
    return e;
  }

  // ---------------------------------------------------------------- language

  function applyLang(lang) {
    state.lang = I18N[lang] ? lang : "zh";
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    for (const e of document.querySelectorAll("[data-i18n-placeholder]")) e.placeholder = t(e.dataset.i18nPlaceholder);
    for (const e of document.querySelectorAll("[data-i18n-title]")) e.title = t(e.dataset.i18nTitle);
    const other = state.lang === "zh" ? "en" : "zh";
    $("lang").textContent = other === "en" ? "English" : "中文";
    $("lang").lang = other === "en" ? "en" : "zh-CN";
    try { localStorage.setItem("factcheck.lang", state.lang); } catch (e) { /* private mode */ }
    if (state.report) {
      render(state.report, state.sent);
      if (text.value.trim()) check(); // the findings' messages in the new language
    }
  }

  // ---------------------------------------------------------------- offsets

  // The report counts code points; the textarea's string counts UTF-16 units. For text with characters
  // beyond the BMP (𠀀, emoji) the offsets are translated; otherwise they are the same.
  function unitOffsets(s) {
    if (!/[\uD800-\uDFFF]/.test(s)) return null;
    const map = [];
    let u = 0;
    for (const ch of s) { map.push(u); u += ch.length; }
    map.push(u);
    return map;
  }

  // ---------------------------------------------------------------- the backdrop

  function plainBackdrop() {
    backdrop.textContent = text.value + "\n\u200b"; // the last line, even an empty one, has its height
    state.marks = new Map();
    text.scrollTop = 0;
  }

  const RANK = { ok: 1, unverifiable: 2, discrepancy: 3 };

  function markBackdrop(report, value) {
    const status = new Map(), checksOf = new Map();
    report.checks.forEach((chk, n) => {
      for (const c of chk.claims) {
        if (c.path !== report.files[0]?.path) continue; // an archived article's figure
        const prev = status.get(c.start);
        if (!prev || RANK[chk.status] > RANK[prev]) status.set(c.start, chk.status);
        if (!checksOf.has(c.start)) checksOf.set(c.start, []);
        checksOf.get(c.start).push(n);
      }
    });
    const map = unitOffsets(value);
    const u = (i) => (map ? map[Math.min(i, map.length - 1)] : i);
    const frag = document.createDocumentFragment();
    const marks = new Map();
    let pos = 0;
    const claims = report.claims.filter((c) => c.path === report.files[0]?.path)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    for (const c of claims) {
      const a = u(c.start), b = u(c.end);
      if (a < pos || b > value.length || value.slice(a, b) !== c.text) continue; // overlapping, or stale
      if (a > pos) frag.appendChild(document.createTextNode(value.slice(pos, a)));
      const st = status.get(c.start) || "unchecked";
      const m = el("mark", `claim ${st}`, c.text);
      m.id = `fig-${c.start}`;
      m.dataset.start = c.start;
      const names = (checksOf.get(c.start) || []).map((n) => `${report.checks[n].rule} ${report.checks[n].name}`);
      m.title = `${c.text.replace(/\n/g, "")} — ${t("st." + st)}${names.length ? " (" + names.join("; ") + ")" : ""}`;
      frag.appendChild(m);
      marks.set(c.start, m);
      pos = b;
    }
    frag.appendChild(document.createTextNode(value.slice(pos) + "\n\u200b"));
    backdrop.replaceChildren(frag);
    state.marks = marks;
    text.scrollTop = 0;
  }

  // ---------------------------------------------------------------- the results

  function roleLabel(role) {
    const m = /^(\w+?)s?\[(\d+)\]$/.exec(role);
    const roles = I18N[state.lang].roles;
    if (m) return `${roles[m[1] + "s"] || roles[m[1]] || m[1]} ${Number(m[2]) + 1}`;
    return roles[role] || role;
  }

  function finding(chk, n, value) {
    const li = el("li", "finding");
    li.tabIndex = 0;
    li.dataset.check = n;
    li.id = `check-${n + 1}`;
    const head = el("div", "head");
    const sev = chk.status === "discrepancy" ? chk.severity : chk.status;
    head.append(el("span", `sev sev-${sev}`, chk.status === "discrepancy" ? t("sev." + chk.severity) : t("st." + chk.status)),
                el("span", "rule", `${chk.rule} ${chk.name}`));
    li.append(head, el("div", "msg", chk.message));
    const calc = el("dl", "calc");
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "") calc.append(el("dt", null, t(k)), el("dd", null, v)); };
    add("stated", chk.stated);
    add("recomputed", chk.recomputed);
    add("miss", chk.miss);
    if (typeof chk.confidence === "number") add("confidence", `${Math.round(chk.confidence * 100)}%`);
    add("formula", chk.details && chk.details.formula);
    if (calc.childElementCount) li.append(calc);
    const figs = el("ul", "figs");
    const own = chk.claims.filter((c) => c.path === state.report.files[0]?.path);
    for (const c of chk.claims) {
      const f = el("li");
      const mine = own.includes(c);
      f.append(el("span", null, `${roleLabel(c.role)}: `), el("span", mine ? "fig" : null, c.text.replace(/\n/g, "")),
               el("span", "loc", ` ${mine ? "" : c.path + " "}${t("line", c.line, c.column)}`));
      figs.append(f);
    }
    li.append(figs);
    const arch = chk.details && chk.details.archived;
    if (arch && arch.path) {
      li.append(el("div", "archived", `${t("archived")}: ${arch.path} 《${arch.title || t("untitled")}》, ${arch.date || t("undated")}`));
    }
    if (chk.note) li.append(el("div", "note", chk.note));
    const go = () => showFigures(chk, li);
    li.addEventListener("click", go);
    li.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    return li;
  }

  function showFigures(chk, li) {
    for (const a of document.querySelectorAll(".finding.active")) a.classList.remove("active");
    li.classList.add("active");
    const marks = chk.claims.map((c) => state.marks.get(c.start)).filter(Boolean);
    if (!marks.length) return;
    // scroll the editor (only the editor) so that the figures are in view, the first near the top third
    const box = editor.getBoundingClientRect();
    const first = marks[0].getBoundingClientRect();
    const last = marks[marks.length - 1].getBoundingClientRect();
    const span = last.bottom - first.top;
    const target = editor.scrollTop + (first.top - box.top) - Math.max(16, (box.height - span) / 3);
    editor.scrollTo({ top: Math.max(0, target), behavior: "instant" });
    for (const m of marks) { m.classList.remove("flash"); void m.offsetWidth; m.classList.add("flash"); }
    const map = unitOffsets(text.value);
    const c = chk.claims.find((x) => state.marks.has(x.start));
    const u = (i) => (map ? map[i] : i);
    text.focus({ preventScroll: true });
    text.setSelectionRange(u(c.start), u(c.end));
    editor.scrollTo({ top: Math.max(0, target), behavior: "instant" });
  }

  function render(report, value) {
    const s = report.summary;
    const nDisc = s.discrepancies.error + s.discrepancies.warning + s.discrepancies.info;
    const verdict = $("verdict");
    verdict.hidden = false;
    verdict.className = `verdict ${report.pass ? "pass" : "fail"}`;
    verdict.textContent = report.pass ? t("pass") : s.errors ? t("failErrors") : t("fail");
    const summary = $("summary");
    summary.replaceChildren();
    const chip = (n, label, cls) => {
      const li = el("li", cls);
      li.append(el("span", "n", n), el("span", null, label));
      summary.append(li);
    };
    chip(s.claims, t("claims"));
    chip(s.checks, t("checks"));
    chip(nDisc, `${t("discrepancies")} (${t("sev.error")} ${s.discrepancies.error} / ${t("sev.warning")} ` +
         `${s.discrepancies.warning} / ${t("sev.info")} ${s.discrepancies.info})`, nDisc ? "bad" : "");
    chip(s.unverifiable, t("unverifiable"));
    chip(s.ok, t("ok"));
    if (s.suppressed) chip(s.suppressed, t("suppressed"));
    if (s.errors) chip(s.errors, t("inputErrors"), "bad");
    const errors = $("errors");
    errors.replaceChildren(...report.errors.map((e) => el("li", null, `${e.path}: ${e.reason}`)));
    const list = $("findings"), others = $("other-list");
    list.replaceChildren();
    others.replaceChildren();
    report.checks.forEach((chk, n) => (chk.status === "discrepancy" ? list : others).append(finding(chk, n, value)));
    $("no-findings").hidden = list.childElementCount > 0;
    $("others").hidden = others.childElementCount === 0;
    $("n-others").textContent = `(${others.childElementCount})`;
    if (text.value === value) markBackdrop(report, value);
  }

  // ---------------------------------------------------------------- checking

  function setStatus(msg, isError) {
    const st = $("status");
    st.textContent = msg;
    st.classList.toggle("error", !!isError);
  }

  function token() {
    try { return sessionStorage.getItem("factcheck.token") || ""; } catch (e) { return ""; }
  }

  async function check() {
    clearTimeout(state.timer);
    const value = text.value;
    if (!value.trim()) {
      setStatus(t("empty"));
      return;
    }
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const seq = ++state.seq;
    const body = { text: value, path: $("path").value.trim() || "article.md", fail_on: $("fail-on").value,
                   lang: state.lang };
    if ($("title").value.trim()) body.title = $("title").value.trim();
    if ($("date").value) body.date = $("date").value;
    const headers = { "Content-Type": "application/json" };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    setStatus(t("checking"));
    const t0 = performance.now();
    let resp, data;
    try {
      resp = await fetch("v1/check", { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
      data = await resp.json().catch(() => null);
    } catch (e) {
      if (e.name === "AbortError") return;
      setStatus(t("network") + e.message, true);
      return;
    }
    if (seq !== state.seq) return; // a newer check is under way
    if (resp.status === 401) {
      $("token-box").hidden = false;
      setStatus(t("tokenNeeded"), true);
      return;
    }
    if (!resp.ok || !data || !data.summary) {
      const msg = data && data.error ? data.error.message : resp.statusText;
      setStatus(t("httpError", resp.status) + msg, true);
      return;
    }
    state.report = data;
    state.sent = value;
    render(data, value);
    setStatus(text.value === value ? t("checked", Math.round(performance.now() - t0)) : t("edited"));
  }

  function edited() {
    plainBackdrop();
    if (state.report) setStatus(t("edited"));
    clearTimeout(state.timer);
    if ($("auto").checked) state.timer = setTimeout(check, text.value.length > 20000 ? 900 : 450);
  }

  // ---------------------------------------------------------------- start

  text.addEventListener("input", edited);
  text.addEventListener("scroll", () => { text.scrollTop = 0; });
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); }
  });
  $("check").addEventListener("click", check);
  for (const id of ["title", "date", "path", "fail-on"]) $(id).addEventListener("change", () => { if (text.value.trim()) check(); });
  $("lang").addEventListener("click", () => applyLang(state.lang === "zh" ? "en" : "zh"));
  $("token-box").addEventListener("submit", (e) => {
    e.preventDefault();
    try { sessionStorage.setItem("factcheck.token", $("token").value.trim()); } catch (err) { /* private mode */ }
    $("token-box").hidden = true;
    check();
  });
  let lang = new URLSearchParams(location.search).get("lang");
  try { lang = lang || localStorage.getItem("factcheck.lang"); } catch (e) { /* private mode */ }
  applyLang(lang || "zh");
  plainBackdrop();
  fetch("healthz").then((r) => r.json()).then((h) => { $("version").textContent = `factcheck ${h.version} (${h.build})`; })
    .catch(() => {});
})();
