/* "What changed" panel (templates/_changes.html.j2): marks the revisions made after this
 * browser's last visit to the story. The time of the visit is kept in localStorage, per story,
 * nowhere else. The panel is complete without this file. */
(function () {
  "use strict";
  function mark() {
    var panel = document.querySelector(".changes[data-story][data-now]");
    if (!panel) { return; }
    var key = "synoptic.changes." + panel.getAttribute("data-story");
    var last = null;
    try { last = window.localStorage.getItem(key); } catch (e) { return; }
    if (last) {
      var items = panel.querySelectorAll(".change[data-ts]");
      for (var i = 0; i < items.length; i++) {
        if (parseFloat(items[i].getAttribute("data-ts")) > parseFloat(last)) {
          var badge = items[i].querySelector(".badge-new");
          if (badge) { badge.hidden = false; }
        }
      }
    }
    try { window.localStorage.setItem(key, panel.getAttribute("data-now")); } catch (e) { /* private mode */ }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
})();
