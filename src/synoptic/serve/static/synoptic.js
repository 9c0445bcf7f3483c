/* Synoptic web UI: small enhancements only; every page works without this file.
 * - A citation chip jumps to its passage (the link does that alone); here the history entry
 *   is pushed first (so Back returns to the chip whatever the scrolling does), the collapsed
 *   source holding the passage is opened, the passage scrolled to the middle of its panel,
 *   every piece of it highlighted and focused, and Escape returns to the chip.
 * - On a phone (at most 40rem wide) a chip opens a sheet right under it with the cited passage
 *   and its source; "Read it in the report" jumps to the passage as above, and Back returns
 *   to the chip. Without this file the chip is a plain link to the passage.
 * - A link to a collapsed section opens it.
 * - "/" focuses the search box.
 * - The story list marks the stories that changed since this browser's last visit (the time
 *   of the visit is kept in localStorage, nowhere else).
 */
(function () {
  "use strict";

  var lastChip = null;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  var sheet = null;
  var sheetChip = null;

  function passageOf(mark) {
    var key = mark.getAttribute("data-cite");
    var parts = key ? document.querySelectorAll('mark[data-cite="' + key.replace(/"/g, "") + '"]') : [mark];
    var text = [];
    for (var i = 0; i < parts.length; i++) { text.push(parts[i].textContent); }
    return text.join(" ").replace(/\s+/g, " ").trim();
  }

  function closeSheet(focusChip) {
    if (!sheet) { return; }
    sheet.parentNode.removeChild(sheet);
    sheetChip.setAttribute("aria-expanded", "false");
    if (focusChip) { sheetChip.focus(); }
    sheet = null;
  }

  // The sheet goes after the chips' row, inside the item the chip cites for.
  function openSheet(chip, mark) {
    var again = sheetChip === chip && sheet;
    closeSheet(false);
    if (again) { return; }
    var box = document.createElement("div");
    box.className = "cite-sheet";
    box.id = "sheet-" + mark.id;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Cited passage");
    box.tabIndex = -1;
    var source = document.createElement("p");
    source.className = "sheet-source";
    source.textContent = chip.getAttribute("aria-label") || "Source";
    var quote = document.createElement("blockquote");
    quote.textContent = passageOf(mark);
    var actions = document.createElement("p");
    actions.className = "sheet-actions";
    var go = document.createElement("a");
    go.className = "sheet-go";
    go.href = "#" + mark.id;
    go.textContent = "Read it in the report";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button secondary sheet-close";
    close.textContent = "Close";
    close.addEventListener("click", function () { closeSheet(true); });
    actions.appendChild(go);
    actions.appendChild(close);
    box.appendChild(source);
    box.appendChild(quote);
    box.appendChild(actions);
    var row = chip.parentNode;
    row.parentNode.insertBefore(box, row.nextSibling);
    chip.setAttribute("aria-expanded", "true");
    chip.setAttribute("aria-controls", box.id);
    sheet = box;
    sheetChip = chip;
    box.focus({ preventScroll: true });
  }

  function openAncestors(el) {
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) { node.open = true; }
    }
  }

  function activate(id, scroll) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    if (el.tagName !== "MARK") {
      openAncestors(el);
      return false;
    }
    var active = document.querySelectorAll("mark.active");
    for (var i = 0; i < active.length; i++) { active[i].classList.remove("active"); }
    var key = el.getAttribute("data-cite");
    var parts = key ? document.querySelectorAll('mark[data-cite="' + key.replace(/"/g, "") + '"]') : [el];
    for (var j = 0; j < parts.length; j++) { parts[j].classList.add("active"); }
    openAncestors(el);
    if (scroll) {
      el.scrollIntoView({ block: "center", inline: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
    }
    el.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
    var link = ev.target.closest ? ev.target.closest("a") : null;
    if (!link) { return; }
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#" || href.length < 2) { return; }
    var target = document.getElementById(href.slice(1));
    if (!target) { return; }
    if (target.tagName !== "MARK") {
      openAncestors(target);  // the browser's own jump follows, to an open section
      return;
    }
    ev.preventDefault();
    if (narrow && narrow.matches && link.classList.contains("chip")) {
      openSheet(link, target);
      return;
    }
    if (sheet && sheet.contains(link)) { lastChip = sheetChip; } else { lastChip = link; }
    // The history entry first: a scroll without smooth motion can fire events that, before
    // this order, left Back with no entry to return to.
    if (history.pushState && location.hash !== href) { history.pushState({ chip: true }, "", href); }
    activate(href.slice(1), true);
  });

  document.addEventListener("keydown", function (ev) {
    var target = ev.target;
    var typing = target && target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (ev.key === "/" && !typing && !ev.metaKey && !ev.ctrlKey && !ev.altKey) {
      var q = document.getElementById("q");
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    } else if (ev.key === "Escape" && sheet) {
      closeSheet(true);
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

  function markNew() {
    var list = document.querySelector(".story-list[data-now]");
    if (!list) { return; }
    var last = null;
    try { last = window.localStorage.getItem("synoptic.lastVisit"); } catch (e) { return; }
    if (last) {
      var cards = list.querySelectorAll(".story-card[data-updated]");
      for (var i = 0; i < cards.length; i++) {
        if (cards[i].getAttribute("data-updated") > last) {
          var badge = cards[i].querySelector(".badge-new");
          if (badge) { badge.hidden = false; }
        }
      }
    }
    try { window.localStorage.setItem("synoptic.lastVisit", list.getAttribute("data-now")); } catch (e) { /* private mode */ }
  }

  window.addEventListener("hashchange", fromHash);
  window.addEventListener("popstate", fromHash);
  function ready() { fromHash(); markNew(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
