/* Synoptic web UI: small enhancements only; every page works without this file.
 * - A citation chip jumps to its passage (the link does that alone); here the passage is
 *   scrolled to the middle of its panel, every piece of it highlighted and focused, and
 *   Escape returns to the chip.
 * - "/" focuses the search box.
 */
(function () {
  "use strict";

  var lastChip = null;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function activate(id, scroll) {
    var el = document.getElementById(id);
    if (!el || el.tagName !== "MARK") { return false; }
    var active = document.querySelectorAll("mark.active");
    for (var i = 0; i < active.length; i++) { active[i].classList.remove("active"); }
    var key = el.getAttribute("data-cite");
    var parts = key ? document.querySelectorAll('mark[data-cite="' + key.replace(/"/g, "") + '"]') : [el];
    for (var j = 0; j < parts.length; j++) { parts[j].classList.add("active"); }
    if (scroll) {
      el.scrollIntoView({ block: "center", inline: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
    }
    el.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
    var link = ev.target.closest ? ev.target.closest("a.chip, a.tick") : null;
    if (!link) { return; }
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#") { return; }
    if (activate(href.slice(1), true)) {
      ev.preventDefault();
      lastChip = link;
      if (history.pushState) { history.pushState(null, "", href); }
    }
  });

  document.addEventListener("keydown", function (ev) {
    var target = ev.target;
    var typing = target && target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (ev.key === "/" && !typing && !ev.metaKey && !ev.ctrlKey && !ev.altKey) {
      var q = document.getElementById("q");
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    } else if (ev.key === "Escape" && lastChip && !typing) {
      lastChip.focus();
      lastChip = null;
    }
  });

  function fromHash() {
    if (location.hash.length > 1) {
      try { activate(decodeURIComponent(location.hash.slice(1)), true); } catch (e) { /* bad hash */ }
    }
  }
  window.addEventListener("hashchange", fromHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromHash);
  } else {
    fromHash();
  }
})();
