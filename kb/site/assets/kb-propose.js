/* "Propose an entry" (contribute/propose.html): checks as you type, a live YAML preview that
 * `kb validate` accepts as is, duplicate warnings, Download, Copy and Submit.
 * Rules and choices come from window.KB_PROPOSE (kb/site/propose.py, written at build time from the
 * JSON Schemas and the taxonomy); every word shown comes from the page (templates/propose.md.j2).
 * Plain script, no network, works from file://. */
(function () {
  "use strict";
  var root = document.querySelector("[data-kb-propose]");
  var data = window.KB_PROPOSE;
  if (!root || !data) return;
  var msg = JSON.parse(root.querySelector("[data-kb-propose-messages]").textContent);
  var form = root.querySelector("form");
  var preview = root.querySelector("[data-kb-yaml]");
  var statusLine = root.querySelector("[data-kb-propose-status]");
  var problemList = root.querySelector("[data-kb-problems]");
  var pathNote = root.querySelector("[data-kb-propose-path]");
  var submitted = root.querySelector("[data-kb-submitted]");
  var duplicates = root.querySelector("[data-kb-duplicates]");
  var buttons = root.querySelectorAll("[data-kb-download], [data-kb-copy], [data-kb-submit]");
  var idEdited = false;

  // Same characters as kb.content.yaml_strict and kb.content.values refuse.
  var CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
  var INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u180e]/;
  var BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var LINKABLE = /^https?:\/\/[^\s<>"'`\\]+$/i;
  var PLACEHOLDER_HOST = /(^|\.)(example|localhost|invalid|test|local|localdomain)$|(^|\.)example\.(com|org|net|edu)$|^(127\.|0\.0\.0\.0$|\[?::1\]?$)/;

  function say(key, values) {
    return String(msg[key] || key).replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "{" + name + "}";
    });
  }
  function field(name) { return form.elements[name]; }
  function value(name) { var el = field(name); return el ? String(el.value || "").trim() : ""; }
  function kind() { return form.querySelector("input[name=kind]:checked").value; }
  function countries() {
    return Array.prototype.filter.call(field("countries").options, function (o) { return o.selected; }).map(function (o) { return o.value; });
  }
  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (el) { return el.value; });
  }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function slug(text) {
    var out = fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    while (out.length > data.rules.id.max) out = out.indexOf("-") > 0 ? out.slice(0, out.lastIndexOf("-")) : out.slice(0, data.rules.id.max);
    return out;
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 2; });
  }

  function suggestedId() {
    var base = slug(value("title"));
    var cc = countries();
    if (kind() === "program" && cc.length && base && base.indexOf(cc[0].toLowerCase() + "-") !== 0) base = cc[0].toLowerCase() + "-" + base;
    return base.slice(0, data.rules.id.max).replace(/-+$/, "");
  }

  function textProblems(text, limits, strict) {
    if (!text) return say("required");
    if (CONTROL.test(text)) return say("control");
    if ((strict ? INVISIBLE : BIDI).test(text)) return say("invisible");
    if (text.indexOf(data.placeholder) >= 0) return say("placeholder", { word: data.placeholder });
    if (limits && limits.min && text.length < limits.min) return say("too_short", { n: limits.min, len: text.length });
    if (limits && limits.max && text.length > limits.max) return say("too_long", { n: limits.max, len: text.length });
    return "";
  }
  function optionalText(text, limits) { return text ? textProblems(text, limits, false) : ""; }
  function urlProblem(url) {
    if (!url) return say("required");
    if (!/^https?:\/\//i.test(url)) return say("url_scheme");
    var bad = url.match(/[\s<>"'`\\]/) || (url.indexOf(")(") >= 0 ? [")("] : null);
    if (bad || !LINKABLE.test(url)) return say("url_chars", { char: bad ? (bad[0].trim() ? bad[0] : "space") : "?" });
    if (CONTROL.test(url) || INVISIBLE.test(url)) return say("invisible");
    if (url.indexOf(data.placeholder) >= 0) return say("placeholder", { word: data.placeholder });
    var host = url.replace(/^https?:\/\//i, "").split(/[\/?#]/)[0].replace(/^[^@]*@/, "").replace(/:\d+$/, "").toLowerCase().replace(/\.$/, "");
    if (!host) return say("url_scheme");
    if (PLACEHOLDER_HOST.test(host)) return say("url_placeholder", { host: host });
    if (url.length > data.rules.source_url.max) return say("too_long", { n: data.rules.source_url.max, len: url.length });
    return "";
  }

  function check() {
    var id = value("id");
    var problems = {
      title: textProblems(value("title"), data.rules.title, true),
      id: !id ? say("required") : !ID.test(id) || id.length > data.rules.id.max ? say("id_pattern")
        : data.reserved.indexOf(id) >= 0 ? say("id_reserved") : "",
      countries: kind() === "program" ? (countries().length === 1 ? "" : say("countries_one")) : (countries().length ? "" : say("countries_some")),
      summary: textProblems(value("summary"), data.rules.summary, false),
      source_title: textProblems(value("source_title"), data.rules.source_title, false),
      source_url: urlProblem(value("source_url")),
      publisher: optionalText(value("publisher"), data.rules.publisher),
      agency: optionalText(value("agency"), data.rules.agency),
      start_year: ""
    };
    var taken = data.entries.filter(function (e) { return e[0] === id; })[0];
    if (!problems.id && taken) problems.id = say("id_taken", { title: taken[1] });
    var year = value("start_year");
    if (year && !(/^\d{4}$/.test(year) && +year >= data.rules.start_year.min && +year <= data.rules.start_year.max)) {
      problems.start_year = say("year", data.rules.start_year);
    }
    return problems;
  }

  function likelyDuplicates() {
    var mine = words(value("title"));
    var id = value("id");
    var bare = id.indexOf("-") > 0 ? id.slice(id.indexOf("-") + 1) : id;
    if (mine.length < 2 && bare.length < 6) return [];
    return data.entries.filter(function (e) {
      var theirs = words(e[1] + " " + e[4]);
      var shared = mine.filter(function (w) { return theirs.indexOf(w) >= 0; }).length;
      return (mine.length >= 2 && shared === mine.length) || (bare.length >= 6 && e[0] !== id && e[0].indexOf(bare) >= 0);
    }).slice(0, 5);
  }

  // YAML: strings as JSON strings (a JSON string is a valid YAML double-quoted scalar).
  function q(text) {
    var clean = String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, "$1\ufffd");
    // Line and paragraph separators and non-characters as escapes: YAML reads them raw as breaks or refuses them.
    return JSON.stringify(clean.normalize("NFC")).replace(/[\u2028\u2029\ufffe\uffff]/g, function (c) {
      return "\\u" + c.charCodeAt(0).toString(16);
    });
  }
  function list(values) { return "[" + values.join(", ") + "]"; }
  function folder() {
    var spec = data.kinds[kind()];
    return "content/" + spec.folder.replace("{cc}", (countries()[0] || "xx").toLowerCase());
  }
  function yaml() {
    var k = kind();
    var lines = ["# yaml-language-server: $schema=" + data.kinds[k].schema, "id: " + (value("id") || "new-entry"),
      "title: " + q(value("title"))];
    var cc = countries();
    lines.push(k === "program" ? "country: " + (cc[0] || "") : "countries: " + list(cc));
    lines.push("summary: " + q(value("summary").replace(/\s+/g, " ")));
    ["themes", "phases", "target_groups"].forEach(function (name) {
      var terms = checked(name);
      if (terms.length) lines.push(name + ": " + list(terms));
    });
    if (value("agency")) lines.push("agency: " + q(value("agency")));
    if (value("status")) lines.push("status: " + value("status"));
    if (/^\d{4}$/.test(value("start_year"))) lines.push("start_year: " + value("start_year"));
    lines.push("sources:", "  - title: " + q(value("source_title")), "    url: " + q(value("source_url")));
    if (value("publisher")) lines.push("    publisher: " + q(value("publisher")));
    return lines.join("\n") + "\n";
  }
  function filePath() { return folder() + "/" + (value("id") || "new-entry") + ".yaml"; }

  function show(name, text) {
    var el = root.querySelector("[data-field=" + name + "] .kb-propose__msg");
    var input = field(name);
    var touched = input && (input.dataset.touched || (input.value && name !== "countries"));
    if (el) el.textContent = touched ? text : "";
    if (input && input.setAttribute) input.setAttribute("aria-invalid", touched && text ? "true" : "false");
  }

  function update() {
    if (!idEdited) field("id").value = suggestedId();
    var problems = check();
    var open = [];
    Object.keys(problems).forEach(function (name) {
      show(name, problems[name]);
      if (problems[name]) open.push([name, problems[name]]);
    });
    preview.textContent = yaml();
    pathNote.textContent = say("save_as", { path: filePath() });
    problemList.textContent = "";
    open.forEach(function (p) {
      var li = document.createElement("li");
      var label = root.querySelector("[data-field=" + p[0] + "] label");
      li.textContent = (label ? label.textContent + ": " : "") + p[1];
      problemList.appendChild(li);
    });
    statusLine.textContent = open.length ? say("problems", { n: open.length }) : say("ready");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = open.length > 0; });
    var found = likelyDuplicates();
    duplicates.textContent = "";
    duplicates.hidden = !found.length;
    if (found.length) {
      duplicates.appendChild(document.createTextNode(say("duplicates") + " "));
      found.forEach(function (e, i) {
        var a = document.createElement("a");
        a.href = "../" + e[3];
        a.textContent = e[1];
        if (i) duplicates.appendChild(document.createTextNode("; "));
        duplicates.appendChild(a);
      });
    }
    return open.length === 0;
  }

  function download() {
    if (!update()) return;
    var blob = new Blob([yaml()], { type: "application/x-yaml;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = (value("id") || "new-entry") + ".yaml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    submitted.textContent = say("save_as", { path: filePath() });
  }

  function copy() {
    if (!update()) return;
    var text = yaml();
    var done = function () { submitted.textContent = say("copied", { path: filePath() }); };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(preview);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      submitted.textContent = ok ? say("copied", { path: filePath() }) : say("copy_failed");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function issueUrl() {
    var params = new URLSearchParams();
    params.set("template", data.issue_template);
    params.set("title", say("issue_title", { title: value("title") }));
    params.set("kind", kind());
    params.set("entry-title", value("title"));
    params.set("summary", value("summary"));
    params.set("countries", countries().join(", "));
    ["themes", "phases", "target_groups"].forEach(function (name) { params.set(name.replace("_", "-"), checked(name).join(", ")); });
    params.set("source-title", value("source_title"));
    params.set("source-url", value("source_url"));
    ["agency", "status", "start_year", "publisher"].forEach(function (name) {
      if (value(name)) params.set(name.replace("_", "-"), value(name));
    });
    params.set("id", value("id"));
    return data.repo_url + "/issues/new?" + params.toString();
  }

  function submit() {
    if (!update()) return;
    submitted.textContent = "";
    if (data.repo_url) {
      submitted.textContent = say("submit_repo");
      window.open(issueUrl(), "_blank", "noopener");
    } else if (data.contact) {
      submitted.textContent = say("submit_contact", { contact: data.contact }) + " ";
      var a = document.createElement("a");
      a.href = "mailto:" + encodeURIComponent(data.contact).replace("%40", "@") + "?subject=" +
        encodeURIComponent(say("mail_subject", { title: value("title") })) + "&body=" + encodeURIComponent(yaml());
      a.textContent = data.contact;
      a.setAttribute("data-kb-contact", "");
      submitted.appendChild(a);
    } else {
      submitted.textContent = say("submit_none");
    }
  }

  var status = field("status");
  data.rules.status.forEach(function (s) {
    var option = document.createElement("option");
    option.value = option.textContent = s;
    status.appendChild(option);
  });
  field("id").addEventListener("input", function () { idEdited = value("id") !== "" && value("id") !== suggestedId(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("focusout", function (event) {
    if (event.target && event.target.dataset) { event.target.dataset.touched = "1"; update(); }
  });
  root.querySelector("[data-kb-download]").addEventListener("click", download);
  root.querySelector("[data-kb-copy]").addEventListener("click", copy);
  root.querySelector("[data-kb-submit]").addEventListener("click", submit);
  root.kbIssueUrl = issueUrl;  // for tests and for people who want the link itself
  update();
})();
