// Filters update the results without reloading the page: the same URL is fetched with the
// header X-Del, the server answers with the results part only, and the address follows.
//
// Only the latest request counts. Changing a filter while an earlier request is on its way
// cancels that request (AbortController), and an answer to anything but the latest request is
// never shown: otherwise an answer that arrives late (the server was slower with it) would
// replace newer figures, and the dropdowns, the address and the figures would disagree.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var results = document.getElementById("resultat");
  if (!form || !results) { return; }
  var latest = 0;
  var pending = null;
  function update(event) {
    if (event) { event.preventDefault(); }
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = window.location.pathname + "?" + query;
    var request = ++latest;
    if (pending) { pending.abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    results.setAttribute("aria-busy", "true");
    fetch(url, {
      headers: { "X-Del": "1" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        if (request !== latest) { return; }  // superseded while it was read
        results.innerHTML = html;
        window.history.replaceState(null, "", url);
        // the language switch returns to this address, not the one the page was loaded with
        document.querySelectorAll("form.language-form input[name='next']").forEach(
          function (next) { next.value = url; }
        );
      })
      .catch(function (error) {
        if (request !== latest || (error && error.name === "AbortError")) { return; }
        form.submit();  // the whole page, as without JavaScript
      })
      .finally(function () {
        if (request !== latest) { return; }
        pending = null;
        results.removeAttribute("aria-busy");
      });
  }
  form.addEventListener("submit", update);
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
