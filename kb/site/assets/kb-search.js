/* The site's search engine: the query rules of `kb search`, over data that kb/search/site_data.py
 * computes at build time. Plain JavaScript, no library, no fetch (the site works from file://):
 * data files are <script> tags that call KBSEARCH.put(name, data).
 *
 * What this file does itself: read the query grammar of `kb search` (words, "phrases", -word,
 * word*, word~, field:value), look words up in the shipped lexicon and fold table, and score with
 * Whoosh's BM25F. What it never does: stem, fold or expand by rules of its own. A word that the
 * lexicon does not know is searched as it is, and offered a correction from the lexicon.
 */
(function () {
  "use strict";
  const KB = (window.KBSEARCH = window.KBSEARCH || {});
  if (KB.search) return;
  const current = document.currentScript;
  const BASE = current ? new URL("kb-search/", current.src).href : "";
  const store = new Map();
  const waiting = new Map();

  KB.put = function (name, data) {
    store.set(name, data);
    const w = waiting.get(name);
    if (w) w.resolve(data);
  };

  function load(name, file) {
    if (store.has(name)) return Promise.resolve(store.get(name));
    let w = waiting.get(name);
    if (!w) {
      w = {};
      w.promise = new Promise((resolve, reject) => { w.resolve = resolve; w.reject = reject; });
      waiting.set(name, w);
      const tag = document.createElement("script");
      tag.src = BASE + file;
      tag.async = true;
      tag.onerror = () => { waiting.delete(name); tag.remove(); w.reject(new Error("search data missing: " + file)); };
      document.head.appendChild(tag);
    }
    return w.promise;
  }

  let core = null;
  let rx = null;
  async function ready() {
    if (core) return core;
    core = await load("core", "core.js");
    rx = {
      word: new RegExp(core.word, "gu"),
      unspaced: new RegExp(core.unspaced, "u"),
      invisible: new RegExp(core.invisible, "gu"),
      token: /([-!]?)(?:([A-Za-z_-]+):)?(?:"([^"]*)"?|([^\s"]+))/g,
    };
    core.stopSet = new Set(core.stop);
    core.glossaryWords = new Set(core.glossary.words);
    return core;
  }

  // ---- text: table lookups only ---------------------------------------------------------------
  function clean(text) { return String(text).replace(rx.invisible, " ").normalize("NFC"); }
  function fold(word) {
    let out = "";
    for (const ch of word) {
      const f = core.fold[ch];
      out += f !== undefined ? f : ch.toLowerCase();
    }
    return out.normalize("NFC");
  }
  function words(text) { return (String(text).match(rx.word) || []).map(fold); }
  function isUnspaced(word) { return rx.unspaced.test(word); }
  function bigrams(word) {
    const chars = Array.from(word);
    if (chars.length < 2) return chars;
    const out = [];
    for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }
  function shardOf(term, shards) {
    let h = 0x811c9dc5;
    for (let i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }
  function lexKey(word) { return Array.from(word)[0]; }
  function lexFile(ch) { return "lex-" + ch.codePointAt(0).toString(16) + ".js"; }

  async function loadLexicons(list) {
    const wanted = new Set();
    const known = new Set(core.lexicon);
    for (const w of list) { const k = lexKey(w); if (k && known.has(k)) wanted.add(k); }
    await Promise.all([...wanted].map((k) => load("lex:" + k, lexFile(k))));
  }
  function lexRecord(word) {
    const shard = store.get("lex:" + lexKey(word));
    return shard ? shard.w[word] : undefined;
  }
  /** Index terms of one folded word (English and Indonesian stems), from the lexicon. */
  function stems(word) {
    if (core.stopSet.has(word)) return [];
    const rec = lexRecord(word);
    return rec && rec.length > 2 ? rec[2] : [word];
  }
  function primary(word) { const s = stems(word); return s.length ? s[0] : word; }
  /** Positions of a text as the index analyzer makes them: each a list of index terms. */
  function positions(text) {
    const out = [];
    for (const w of words(text)) {
      if (isUnspaced(w)) { for (const pair of bigrams(w)) out.push([pair]); continue; }
      if (core.stopSet.has(w)) continue;
      out.push(stems(w));
    }
    return out;
  }

  // ---- the query grammar of kb.search.text.parse_query ----------------------------------------
  function parseQuery(text) {
    const parsed = { clauses: [], filters: {}, matchAll: false, notes: [] };
    const L = core.limits;
    text = clean(text);
    if (text.length > L.chars) { text = text.slice(0, L.chars); parsed.notes.push("query cut to its first " + L.chars + " characters"); }
    text = text.replace(/[“”„]/g, '"').replace(/[()[\]{}^]/g, " ");
    let negateNext = false, star = false;
    const add = (clause) => {
      if (parsed.clauses.length >= L.clauses) {
        if (!parsed.notes.some((n) => n.includes("too many words"))) parsed.notes.push("too many words: only the first " + L.clauses + " are searched");
        return;
      }
      parsed.clauses.push(clause);
    };
    rx.token.lastIndex = 0;
    let m;
    while ((m = rx.token.exec(text)) !== null) {
      if (m[0] === "") { rx.token.lastIndex++; continue; }
      const negated = Boolean(m[1]) || negateNext;
      negateNext = false;
      const name = (m[2] || "").toLowerCase();
      let value = m[3] !== undefined ? m[3] : m[4];
      if (name && core.filterFields[name]) {
        const values = value.split(/[,|]/).map((v) => v.trim()).filter(Boolean);
        if (values.length) (parsed.filters[core.filterFields[name]] = parsed.filters[core.filterFields[name]] || []).push(...values);
        continue;
      }
      if (name) value = name + " " + value;
      if (m[3] !== undefined) {
        const ws = words(value);
        if (ws.length) add({ kind: "phrase", text: ws.slice(0, L.phraseWords).join(" "), negated });
        continue;
      }
      if (["AND", "OR", "&&", "||"].includes(value)) continue;
      if (!value.replace(/^[*?]+|[*?]+$/g, "")) { star = true; continue; }
      if (value === "NOT") { negateNext = true; continue; }
      addWord(parsed, add, value, negated);
    }
    parsed.matchAll = star && !parsed.clauses.some((c) => !c.negated);
    return parsed;
  }
  function addWord(parsed, add, value, negated) {
    const L = core.limits;
    const fuzzy = /^(.+?)~(\d*)$/su.exec(value);
    if (fuzzy) {
      const digits = fuzzy[2];
      const distance = /^\d{1,3}/.test(digits) ? Math.min(parseInt(digits || "1", 10), L.fuzzy) : 1;
      const base = words(fuzzy[1]);
      if (base.length === 1 && !negated) { add({ kind: "fuzzy", text: base[0], negated: false, maxdist: Math.max(distance, 1) }); return; }
      value = fuzzy[1];
    }
    const stripped = value.replace(/^[*?]+/, "");
    if (stripped !== value && stripped.replace(/[*?]/g, "")) parsed.notes.push("leading wildcards are not supported; searched without them");
    if (/^[^*?]+\*$/su.test(stripped)) {
      const base = words(stripped.slice(0, -1));
      if (base.length === 1 && Array.from(base[0]).length >= L.prefix && !negated) { add({ kind: "prefix", text: base[0], negated: false }); return; }
      if (base.length === 1 && Array.from(base[0]).length < L.prefix) parsed.notes.push("wildcards need at least " + L.prefix + " letters before the *");
    }
    const found = words(stripped);
    if (found.length > 1) add({ kind: "phrase", text: found.slice(0, L.phraseWords).join(" "), negated });
    else if (found.length) add({ kind: "word", text: found[0], negated });
  }
  function clauseWords(clause) { return clause.text.split(" ").filter(Boolean); }
  function plainWords(parsed) {
    const out = [];
    for (const c of parsed.clauses) if (!c.negated && c.kind === "word") out.push(...words(c.text));
    return out;
  }
  function queryWithout(parsed, replacements) {
    const parts = [];
    for (const c of parsed.clauses) {
      if (c.kind === "phrase") parts.push((c.negated ? "-" : "") + '"' + c.text + '"');
      else if (c.kind === "word") parts.push((c.negated ? "-" : "") + (replacements[c.text] || c.text));
      else if (c.kind === "prefix") parts.push(c.text + "*");
      else parts.push(replacements[c.text] || c.text);
    }
    for (const [name, values] of Object.entries(parsed.filters)) for (const v of values) parts.push(v.includes(" ") ? name + ':"' + v + '"' : name + ":" + v);
    return parts.join(" ");
  }

  // ---- glossary concepts (kb.search.vocab.Glossary) ---------------------------------------------
  function findSpans(sequence) {
    const g = core.glossary, found = [];
    let i = 0;
    while (i < sequence.length) {
      let matched = false;
      for (const n of g.lengths[sequence[i]] || []) {
        const ids = g.spaced[sequence.slice(i, i + n).join(" ")];
        if (ids) { found.push([i, i + n, ids]); i += n; matched = true; break; }
      }
      if (!matched) i += 1;
    }
    return found;
  }
  function findUnspaced(word) {
    const ids = [];
    for (const [label, cid] of core.glossary.unspaced) {
      const count = word.split(label).length - 1;
      if (count) { for (let k = 0; k < count; k++) ids.push(cid); word = word.split(label).join(" "); }
    }
    return ids;
  }

  // ---- query trees (kb.search.searcher.Searcher.build_query) ------------------------------------
  const T = (field, term, boost) => ({ op: "term", field, term, boost });
  const OR = (subs) => ({ op: "or", subs });
  function textQuery(text, boost = 1) {
    const pos = positions(text);
    if (!pos.length) return null;
    const subs = [];
    core.fields.forEach((field, i) => {
      const weight = core.weights[i] * boost;
      if (pos.length === 1) for (const form of pos[0]) subs.push(T(field, form, weight));
      else subs.push({ op: "phrase", field, terms: pos.map((forms) => forms[0]), boost: weight });
    });
    return OR(subs);
  }
  function conceptQuery(ids, original) {
    const subs = original ? [original] : [];
    for (const cid of [...new Set(ids)].sort()) subs.push(T("concepts", cid, core.conceptWeight));
    const themes = new Set();
    for (const cid of new Set(ids)) if (core.glossary.themes[cid]) themes.add(core.glossary.themes[cid]);
    for (const term of themes) {
      const facet = core.glossary.vocabOf[term];
      if (facet) subs.push({ op: "const", facet, value: term, score: 1 });
    }
    return OR(subs);
  }
  function expanded(clause) {
    const L = core.limits, subs = [];
    if (clause.kind === "prefix") {
      const shard = store.get("lex:" + lexKey(clause.text));
      const terms = shard ? shard.t.filter((t) => t.startsWith(clause.text)).slice(0, L.expansions * 5) : [];
      core.fields.forEach((field, i) => { for (const term of terms) subs.push(T(field, term, core.weights[i] * 0.8)); });
      return subs.length ? { op: "or", subs, perField: L.expansions } : null;
    }
    const within = spellWithin(clause.text, clause.maxdist).sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1)).slice(0, L.expansions);
    core.fields.forEach((field, i) => { for (const [word] of within) for (const form of stems(word)) subs.push(T(field, form, core.weights[i] * 0.8)); });
    return subs.length ? OR(subs) : null;
  }
  function buildQuery(parsed) {
    const groups = [];
    const positive = parsed.clauses.filter((c) => !c.negated);
    const plain = positive.filter((c) => c.kind === "word" && !core.stopSet.has(c.text));
    const spaced = plain.map((c, i) => [c, i]).filter(([c]) => !isUnspaced(c.text)).map(([, i]) => i);
    const spans = findSpans(spaced.map((i) => primary(plain[i].text)));
    const covered = new Set();
    for (const [start, end, ids] of spans) {
      const members = spaced.slice(start, end).map((i) => plain[i]);
      members.forEach((c) => covered.add(c));
      const singles = members.map((c) => textQuery(c.text, members.length === 1 ? 0.7 : 0.4)).filter(Boolean);
      groups.push(conceptQuery(ids, singles.length ? OR(singles) : null));
    }
    for (const clause of plain) {
      if (covered.has(clause)) continue;
      let query = textQuery(clause.text);
      const ids = isUnspaced(clause.text) ? findUnspaced(clause.text) : [];
      if (ids.length) query = conceptQuery(ids, query);
      if (query) groups.push(query);
    }
    for (const clause of positive) {
      let query = null;
      if (clause.kind === "phrase") {
        const ws = clauseWords(clause).filter((w) => !core.stopSet.has(w));
        const found = findSpans(ws.map(primary));
        query = textQuery(clause.text, 1.5);
        if (found.length === 1 && found[0][1] - found[0][0] === ws.length) query = conceptQuery(found[0][2], query);
      } else if (clause.kind === "prefix" || clause.kind === "fuzzy") {
        query = expanded(clause);
      } else continue;
      if (query) groups.push(query);
    }
    const negative = parsed.clauses.filter((c) => c.negated).map((c) => textQuery(c.text)).filter(Boolean);
    return { positive: groups.length > 1 ? OR(groups) : groups[0] || null, negative: negative.length ? OR(negative) : null };
  }

  // ---- scoring: Whoosh's BM25F over the shipped postings ----------------------------------------
  function termsOf(node, out = new Set()) {
    if (!node) return out;
    if (node.op === "term") out.add(node.term);
    else if (node.op === "phrase") node.terms.forEach((t) => out.add(t));
    else if (node.subs) node.subs.forEach((s) => termsOf(s, out));
    return out;
  }
  async function loadPostings(terms) {
    const shards = new Set([...terms].map((t) => shardOf(t, core.shards)));
    await Promise.all([...shards].map((k) => load("post:" + k, "post-" + k + ".js")));
  }
  function postings(field, term) {
    const shard = store.get("post:" + shardOf(term, core.shards));
    return shard && shard[field] ? shard[field][term] : undefined;
  }
  function termScores(field, term, boost) {
    const list = postings(field, term), out = new Map();
    if (!list) return out;
    const n = core.n, df = list.length / 2;
    const idf = Math.log(n / (df + 1)) + 1;
    const avg = core.avg[field] || 1, lengths = core.lengths[field], B = core.B, K1 = core.K1;
    for (let i = 0; i < list.length; i += 2) {
      const doc = list[i], tf = list[i + 1];
      const s = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * lengths[doc]) / avg)));
      out.set(doc, s * boost);
    }
    return out;
  }
  function evaluate(node) {
    if (node.op === "term") return termScores(node.field, node.term, node.boost);
    if (node.op === "const") {
      const out = new Map(), column = core.facets.columns[node.facet], index = core.facets.values[node.facet].indexOf(node.value);
      if (column && index >= 0) column.forEach((vals, doc) => { if (vals.includes(index)) out.set(doc, node.score); });
      return out;
    }
    if (node.op === "phrase") {
      // All words in the field; the browser has no positions, so adjacency is not checked.
      let out = null;
      for (const term of node.terms) {
        const s = termScores(node.field, term, node.boost);
        if (out === null) out = s;
        else { const next = new Map(); for (const [d, v] of out) if (s.has(d)) next.set(d, v + s.get(d)); out = next; }
        if (!out.size) break;
      }
      return out || new Map();
    }
    const out = new Map();
    let subs = node.subs;
    if (node.perField) {  // prefix expansion: at most this many present terms per field, as Whoosh expands
      const count = {};
      subs = subs.filter((s) => postings(s.field, s.term) && (count[s.field] = (count[s.field] || 0) + 1) <= node.perField);
    }
    for (const sub of subs) for (const [d, v] of evaluate(sub)) out.set(d, (out.get(d) || 0) + v);
    return out;
  }

  function spellWithin(word, maxdist) {
    const shard = store.get("lex:" + lexKey(word));
    if (!shard) return [];
    const out = [];
    for (const [candidate, rec] of Object.entries(shard.w)) {
      if (rec[1] > 0 && candidate !== word && Math.abs(candidate.length - word.length) <= maxdist && distance(candidate, word, maxdist) <= maxdist) out.push([candidate, rec[0], rec[1]]);
    }
    return out;
  }
  function distance(a, b, limit) {  // Damerau-Levenshtein (adjacent transpositions), as Whoosh's terms_within
    const A = Array.from(a), B = Array.from(b);
    let prev2 = null, prev = Array.from({ length: B.length + 1 }, (_, j) => j);
    for (let i = 1; i <= A.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= B.length; j++) {
        const cost = A[i - 1] === B[j - 1] ? 0 : 1;
        let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        best = Math.min(best, v);
      }
      if (best > limit) return limit + 1;
      prev2 = prev; prev = row;
    }
    return prev[B.length];
  }
  function suggest(ws) {
    const out = {};
    for (const word of ws) {
      if (Array.from(word).length < 3 || core.stopSet.has(word) || core.glossaryWords.has(word) || isUnspaced(word)) continue;
      const rec = lexRecord(word);
      if (rec && rec[1] > 0) continue;
      const found = spellWithin(word, Array.from(word).length > 5 ? 2 : 1).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (found.length) out[word] = found[0][0];
    }
    return out;
  }

  // ---- filters and running (kb.search.engine) ------------------------------------------------
  function resolveFilter(name, value) {
    const F = core.facets;
    const v = value.trim();
    if (name === "country") {
      const labels = F.labels.country;
      if (labels[v.toUpperCase()]) return v.toUpperCase();
      for (const [code, label] of Object.entries(labels)) if (fold(label) === fold(v)) return code;
      return null;
    }
    if (name === "type") {
      const kind = core.typeAliases[v.toLowerCase()] || v.toLowerCase();
      return F.labels.type[kind] ? kind : null;
    }
    const ids = F.labels[name] || {};
    const slug = fold(v).replace(/_/g, " ").split(/\s+/).filter(Boolean).join("-");
    if (ids[slug]) return slug;
    for (const [alias, term] of Object.entries(F.aliases[name] || {})) if (fold(alias) === slug || fold(alias) === fold(v)) return term;
    for (const [term, label] of Object.entries(ids)) if (fold(label) === fold(v)) return term;
    return null;
  }
  function docHas(facet, doc, values) {
    const column = core.facets.columns[facet];
    if (!column) return false;
    const known = core.facets.values[facet];
    return column[doc].some((i) => values.includes(known[i]));
  }

  async function run(parsed, filters) {
    const { positive, negative } = buildQuery(parsed);
    if (!positive && !parsed.matchAll && !Object.keys(filters).length) return { ranked: [], terms: new Set() };
    const terms = new Set([...termsOf(positive), ...termsOf(negative)]);
    await loadPostings(terms);
    let scores;
    if (positive) scores = evaluate(positive);
    else { scores = new Map(); for (let d = 0; d < core.n; d++) scores.set(d, 1); }
    if (negative) for (const d of evaluate(negative).keys()) scores.delete(d);
    for (const [name, values] of Object.entries(filters)) for (const d of [...scores.keys()]) if (!docHas(name, d, values)) scores.delete(d);
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return { ranked, terms: termsOf(positive) };
  }

  function facetCounts(ranked) {
    const counts = {};
    for (const facet of core.facetNames) {
      const c = {}, column = core.facets.columns[facet], values = core.facets.values[facet];
      for (const [d] of ranked) for (const i of column[d]) c[values[i]] = (c[values[i]] || 0) + 1;
      counts[facet] = c;
    }
    return counts;
  }

  /** Search: resolves to {query, hits: [{doc, score}], total, facets, suggestion, corrected, notes, terms, errors}. */
  async function search(query, extraFilters = {}) {
    await ready();
    const parsed = parseQuery(query);
    for (const [given, values] of Object.entries(extraFilters)) {
      const name = core.filterFields[given] || given;
      for (const v of values) (parsed.filters[name] = parsed.filters[name] || []).push(v);
    }
    const result = { query: clean(query).slice(0, core.limits.chars), hits: [], total: 0, facets: {}, suggestion: null, corrected: false,
                     notes: [...parsed.notes], errors: [], terms: new Set(), filters: {} };
    const resolved = {};
    for (const [name, values] of Object.entries(parsed.filters)) {
      const ids = [];
      for (const v of values) {
        const id = resolveFilter(name, v);
        if (id === null) result.errors.push("unknown " + name.replace("_", " ") + " '" + v + "'");
        else if (!ids.includes(id)) ids.push(id);
      }
      if (ids.length) resolved[name] = ids;
    }
    result.filters = resolved;
    if (result.errors.length) return result;
    if (!parsed.clauses.some((c) => !c.negated) && !parsed.matchAll && !Object.keys(resolved).length) {
      result.notes.push("nothing to search for: give some words, a quoted phrase, * or a filter");
      return result;
    }
    const allWords = parsed.clauses.flatMap((c) => clauseWords(c));
    await loadLexicons(allWords);
    let { ranked, terms } = await run(parsed, resolved);
    const ws = plainWords(parsed);
    const replacements = ws.length ? suggest(ws) : {};
    if (Object.keys(replacements).length) {
      result.suggestion = queryWithout(parsed, replacements);
      if (ranked.length < core.limits.suggestBelow || 2 * Object.keys(replacements).length >= ws.length) {
        const again = parseQuery(result.suggestion);
        await loadLexicons(again.clauses.flatMap((c) => clauseWords(c)));
        const second = await run(again, resolved);
        if (second.ranked.length) { ranked = second.ranked; terms = second.terms; result.corrected = true; }
      }
    }
    result.total = ranked.length;
    result.ranked = ranked;
    result.facets = facetCounts(ranked);
    result.terms = terms;
    return result;
  }

  /** Metadata of documents (title, url, summary, ...), loading the files that hold them. */
  async function meta(docs) {
    await ready();
    const chunks = new Set(docs.map((d) => Math.floor(d / core.metaChunk)));
    await Promise.all([...chunks].map((c) => load("meta:" + c, "meta-" + c + ".js")));
    return docs.map((d) => store.get("meta:" + Math.floor(d / core.metaChunk))[d % core.metaChunk]);
  }

  /** Whether a word of a text should be marked for these index terms (display only, never ranking). */
  function marks(word, terms) {
    const w = fold(word);
    if (terms.has(w)) return true;
    const rec = lexRecord(w);
    if (rec && rec.length > 2) return rec[2].some((t) => terms.has(t));
    for (const t of terms) if (t.length >= 4 && w.startsWith(t)) return true;
    return false;
  }

  Object.assign(KB, { ready, search, meta, marks, wordPattern: () => rx.word, loaded: () => [...store.keys()], base: BASE });
})();
