/* Keyboard access to wide tables: Material wraps each table in .md-typeset__scrollwrap; one that
 * scrolls sideways (the compare matrices on a phone) becomes a focusable region named after the
 * table's caption or the heading before it, so arrow keys can scroll it (WCAG 2.1.1).
 */
(function () {
  "use strict";
  function nameOf(wrap) {
    const table = wrap.querySelector("table");
    const caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    let node = wrap;
    while (node && !/^H[1-6]$/.test(node.tagName || "")) node = node.previousElementSibling || node.parentElement;
    return node ? node.textContent.replace(/¶$/, "").trim() + " (table)" : "Table";
  }
  function update() {
    for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap));
      } else if (!scrolls && wrap.getAttribute("tabindex") === "0") {
        for (const name of ["tabindex", "role", "aria-label"]) wrap.removeAttribute(name);
      }
    }
  }
  let timer;
  const later = () => { clearTimeout(timer); timer = setTimeout(update, 100); };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(update);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.addEventListener("resize", later);
})();
