/* The site's search on the page: the header box with instant results on every page, the results
 * page (search.html) with filters and counts, and the filterable Programmes and Practices lists.
 * Every text from the URL or the data goes into the page as text (textContent), never as markup.
 */
(function () {
  "use strict";
  const KB = window.KBSEARCH;
  if (!KB || KB.ui) return;
  KB.ui = true;
  const ROOT = KB.base ? new URL("../../", KB.base).href : "";
  const PARAM = { country: "country", type: "type", theme: "theme", phase: "phase", target_group: "target" };
  // The page's language: kb/site/i18n.py writes assets/kb-strings.js from the catalogues (English: none).
  const STRINGS = window.KB_STRINGS || {};
  function t(message, values = {}) {
    return (STRINGS[message] || message).replace(/%\((\w+)\)s/g, (m, name) => (name in values ? String(values[name]) : m));
  }
  const TYPE_LABEL = { framework: t("Framework"), country: t("Country profile"), program: t("Programme"), practice: t("Good practice") };
  const MAX_TAGS = 3;
  const PAGE = 20;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }
  function lang() { return (document.documentElement.lang || "en").toLowerCase(); }
  function titleOf(m) { const l = lang(); return (m.t && m.t[l === "tl" ? "fil" : l]) || m.title; }
  /** `lang` for an English text shown on a page in another language (screen readers switch voice), else null. */
  function englishOn(text) { return lang().startsWith("en") || !text ? null : "en"; }
  function titleLang(m) { const l = lang(); return m.t && m.t[l === "tl" ? "fil" : l] ? null : englishOn(m.title); }

  /** A snippet with the matched words marked: the summary, cut around its first match. */
  function snippet(text, terms) {
    const frag = document.createDocumentFragment();
    const re = KB.wordPattern();
    re.lastIndex = 0;
    let last = 0, m, first = -1;
    const pieces = [];
    while ((m = re.exec(text)) !== null) {
      if (KB.marks(m[0], terms)) { pieces.push([m.index, m.index + m[0].length]); if (first < 0) first = m.index; }
    }
    let start = 0;
    if (first > 160) { start = text.lastIndexOf(" ", first - 60) + 1; frag.append("… "); }
    last = start;
    for (const [a, b] of pieces) {
      if (a < start) continue;
      frag.append(text.slice(last, a), el("mark", { text: text.slice(a, b) }));
      last = b;
    }
    frag.append(text.slice(last));
    return frag;
  }

  function resultItem(m, terms, labels) {
    const link = el("a", { href: ROOT + m.url, class: "kb-result__title", lang: titleLang(m), text: titleOf(m) });
    const countries = (m.countries || []).map((c) => labels.country[c] || c).join(", ");
    const info = el("p", { class: "kb-result__meta" }, el("span", { class: "kb-result__type", text: TYPE_LABEL[m.type] || m.type }),
      countries ? " · " + countries : "");
    const tags = (m.themes || []).slice(0, MAX_TAGS).map((t) => el("span", { class: "kb-tag", text: labels.theme[t] || t }));
    return el("li", { class: "kb-result", "data-kb-result": m.id }, link, info,
      el("p", { class: "kb-result__snippet", lang: englishOn(m.summary) }, snippet(m.summary || "", terms)), tags.length ? el("p", { class: "kb-result__tags" }, ...tags) : null);
  }

  // ---- the header box ---------------------------------------------------------------------------
  function headerBox() {
    const inner = document.querySelector(".md-header__inner");
    if (!inner || document.getElementById("kb-q")) return;
    const listId = "kb-instant";
    const input = el("input", { id: "kb-q", name: "q", type: "search", placeholder: t("Search"), autocomplete: "off", spellcheck: "false",
      role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId, maxlength: "400" });
    const label = el("label", { for: "kb-q", class: "kb-visually-hidden", text: t("Search the knowledge base") });
    const list = el("div", { id: listId, class: "kb-instant", hidden: true });
    const status = el("p", { class: "kb-visually-hidden", role: "status", "aria-live": "polite" });
    const form = el("form", { class: "kb-search-box", role: "search", action: ROOT + "search.html", method: "get" }, label, input, status, list);
    const source = inner.querySelector(".md-header__source");
    inner.insertBefore(form, source || null);
    let active = -1, token = 0;
    const options = () => [...list.querySelectorAll("[role=option]")];
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
    const show = debounce(async () => {
      const q = input.value.trim(), mine = ++token;
      if (!q) { close(); return; }
      let result;
      try { result = await KB.search(q); } catch (e) { status.textContent = t("Search is unavailable: %(reason)s", { reason: e.message }); return; }
      if (mine !== token) return;
      const top = (result.ranked || []).slice(0, 6);
      const metas = await KB.meta(top.map(([d]) => d));
      if (mine !== token) return;
      list.replaceChildren();
      const ul = el("ul", { role: "listbox", "aria-label": t("Instant results") });
      metas.forEach((m, i) => {
        const a = el("a", { href: ROOT + m.url, id: "kb-opt-" + i, role: "option", "aria-selected": "false", tabindex: "-1" },
          el("span", { class: "kb-instant__title", lang: titleLang(m), text: titleOf(m) }), el("span", { class: "kb-instant__type", text: TYPE_LABEL[m.type] || m.type }));
        ul.append(el("li", { role: "none" }, a));
      });
      list.append(ul);
      if (result.suggestion) list.append(el("p", { class: "kb-instant__suggest", text: t("Did you mean: %(query)s", { query: result.suggestion }) }));
      const all = el("a", { class: "kb-instant__all", href: ROOT + "search.html?q=" + encodeURIComponent(q), text: t("All results (%(count)s)", { count: result.total }) });
      list.append(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = result.total + " results";
      active = -1;
    }, 120);
    input.addEventListener("input", show);
    input.addEventListener("focus", () => { KB.ready().catch(() => {}); });
    input.addEventListener("keydown", (ev) => {
      const opts = options();
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!opts.length) return;
        ev.preventDefault();
        active = ev.key === "ArrowDown" ? Math.min(active + 1, opts.length - 1) : Math.max(active - 1, -1);
        opts.forEach((o, i) => o.setAttribute("aria-selected", String(i === active)));
        if (active >= 0) input.setAttribute("aria-activedescendant", opts[active].id);
        else input.removeAttribute("aria-activedescendant");
      } else if (ev.key === "Enter" && active >= 0 && opts[active]) {
        ev.preventDefault();
        window.location.href = opts[active].href;
      } else if (ev.key === "Escape") { close(); }
    });
    document.addEventListener("click", (ev) => { if (!form.contains(ev.target)) close(); });
  }

  // ---- the results page ---------------------------------------------------------------------------
  function params() {
    const p = new URLSearchParams(window.location.search);
    const filters = {};
    for (const [facet, name] of Object.entries(PARAM)) { const vs = p.getAll(name).filter(Boolean); if (vs.length) filters[facet] = vs; }
    return { q: p.get("q") || "", filters };
  }
  function writeUrl(q, filters) {
    const p = new URLSearchParams();
    if (q) p.set("q", q);
    for (const [facet, values] of Object.entries(filters)) for (const v of values) p.append(PARAM[facet], v);
    try { history.replaceState(null, "", "?" + p.toString()); } catch (e) { /* file:// may refuse: the page still works */ }
  }

  async function resultsPage(root) {
    const form = root.querySelector("form");
    const input = form.querySelector("input[name=q]");
    const selects = [...form.querySelectorAll("select[data-facet]")];
    const status = root.querySelector("[data-kb-status]");
    const list = root.querySelector("[data-kb-list]");
    const more = root.querySelector("[data-kb-more]");
    const suggestLine = root.querySelector("[data-kb-suggest]");
    let shown = 0, current = null;
    const state = params();
    input.value = state.q;
    for (const s of selects) if (state.filters[s.dataset.facet]) s.value = state.filters[s.dataset.facet][0];

    async function renderMore() {
      const slice = current.ranked.slice(shown, shown + PAGE);
      const metas = await KB.meta(slice.map(([d]) => d));
      const labels = current.labels;
      for (const m of metas) list.append(resultItem(m, current.terms, labels));
      shown += slice.length;
      more.hidden = shown >= current.ranked.length;
    }
    async function go() {
      root.removeAttribute("data-kb-results-done");
      const q = input.value.trim();
      const filters = {};
      for (const s of selects) if (s.value) filters[s.dataset.facet] = [s.value];
      writeUrl(q, filters);
      list.replaceChildren();
      suggestLine.replaceChildren();
      shown = 0;
      let result;
      try {
        result = await KB.search(q || (Object.keys(filters).length ? "*" : ""), filters);
      } catch (e) {
        status.textContent = t("Search is unavailable: %(reason)s", { reason: e.message });
        root.setAttribute("data-kb-results-done", "");
        return;
      }
      const core = await KB.ready();
      current = { ranked: result.ranked || [], terms: result.terms, labels: core.facets.labels };
      for (const s of selects) {
        const counts = (result.facets || {})[s.dataset.facet] || {};
        for (const o of s.options) if (o.value) o.textContent = o.dataset.label + " (" + (counts[o.value] || 0) + ")";
      }
      if (result.errors && result.errors.length) status.textContent = result.errors.join("; ");
      else if (!q && !Object.keys(filters).length) status.textContent = t("Type words to search, or pick a filter.");
      else status.textContent = result.total === 1 ? t("1 result") : t("%(count)s results", { count: result.total });
      if (result.suggestion) {
        const link = el("a", { href: "?q=" + encodeURIComponent(result.suggestion), text: result.suggestion });
        link.addEventListener("click", (ev) => { ev.preventDefault(); input.value = result.suggestion; go(); });
        const [before, after] = (result.corrected ? t("Showing results for %(query)s (no results for what you typed)") : t("Did you mean %(query)s?")).split("%(query)s");
        suggestLine.append(before, link, after || "");
      }
      if (result.notes && result.notes.length) suggestLine.append(el("span", { class: "kb-note", text: " " + result.notes.join("; ") }));
      await renderMore();
      root.setAttribute("data-kb-results-done", "");
    }
    form.addEventListener("submit", (ev) => { ev.preventDefault(); go(); });
    for (const s of selects) s.addEventListener("change", go);
    more.addEventListener("click", () => renderMore());
    await go();
  }

  // ---- filterable lists (Programmes, Practices) ----------------------------------------------------
  function filterList(root) {
    const selects = [...root.querySelectorAll("select[data-facet]")];
    const items = [...root.querySelectorAll("[data-kb-item]")];
    const status = root.querySelector("[data-kb-status]");
    const p = new URLSearchParams(window.location.search);
    for (const s of selects) { const v = p.get(PARAM[s.dataset.facet] || s.dataset.facet); if (v) s.value = v; }
    function apply() {
      const chosen = selects.filter((s) => s.value).map((s) => [s.dataset.facet, s.value]);
      let visible = 0;
      for (const item of items) {
        const ok = chosen.every(([facet, v]) => (item.dataset[facet] || "").split(" ").includes(v));
        item.hidden = !ok;
        if (ok) visible += 1;
      }
      for (const group of root.querySelectorAll("[data-kb-group]")) group.hidden = !group.querySelector("[data-kb-item]:not([hidden])");
      for (const s of selects) {
        for (const o of s.options) {
          if (!o.value) continue;
          const n = items.filter((item) => chosen.every(([f, v]) => f === s.dataset.facet || (item.dataset[f] || "").split(" ").includes(v))
            && (item.dataset[s.dataset.facet] || "").split(" ").includes(o.value)).length;
          o.textContent = o.dataset.label + " (" + n + ")";
        }
      }
      status.textContent = t("%(visible)s of %(count)s shown", { visible, count: items.length });
      const q = new URLSearchParams();
      for (const [f, v] of chosen) q.set(PARAM[f] || f, v);
      try { history.replaceState(null, "", (q.toString() ? "?" + q : window.location.pathname) + window.location.hash); } catch (e) { /* file:// */ }
      root.setAttribute("data-kb-filtered", "");
    }
    for (const s of selects) s.addEventListener("change", apply);
    const reset = root.querySelector("[data-kb-reset]");
    if (reset) reset.addEventListener("click", () => { for (const s of selects) s.value = ""; apply(); });
    apply();
  }

  function start() {
    headerBox();
    const page = document.querySelector("[data-kb-search-page]");
    if (page) resultsPage(page);
    for (const list of document.querySelectorAll("[data-kb-filter-list]")) filterList(list);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
