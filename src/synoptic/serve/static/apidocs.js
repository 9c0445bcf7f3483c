/* The API reference's "Try it" (loaded on /api/v1/docs only): fills the path parameters,
 * sends the request to this same server (a relative URL; the page's policy allows no other),
 * and shows the answer. The token typed on the page is sent as a bearer header, kept nowhere.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("try")) { return; }
    ev.preventDefault();
    var path = form.getAttribute("data-path");
    var query = [];
    var inputs = form.querySelectorAll("input[data-in]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (!input.value) { continue; }
      if (input.getAttribute("data-in") === "path") {
        path = path.replace("{" + input.name + "}", encodeURIComponent(input.value));
      } else if (input.getAttribute("data-in") === "query") {
        query.push(encodeURIComponent(input.name) + "=" + encodeURIComponent(input.value));
      }
    }
    var headers = {};
    var token = document.getElementById("api-token");
    if (token && token.value) { headers.Authorization = "Bearer " + token.value; }
    var init = { method: form.getAttribute("data-method"), headers: headers };
    var body = form.querySelector("textarea[name=__body]");
    if (body && body.value) {
      headers["Content-Type"] = body.getAttribute("data-type");
      init.body = body.value;
    }
    var out = form.querySelector(".try-out");
    var url = path + (query.length ? "?" + query.join("&") : "");
    out.textContent = init.method + " " + url + " …";
    fetch(url, init).then(function (r) {
      return r.text().then(function (text) {
        try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
        out.textContent = r.status + " " + r.statusText + "\n" + text;
      });
    }).catch(function (e) { out.textContent = String(e); });
  });

})();
