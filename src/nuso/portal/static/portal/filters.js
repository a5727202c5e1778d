// Filters update the results without reloading the page: the same URL is fetched with the
// header X-Del, the server answers with the results part only, and the address follows.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var results = document.getElementById("resultat");
  if (!form || !results) { return; }
  function update(event) {
    if (event) { event.preventDefault(); }
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = window.location.pathname + "?" + query;
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Del": "1" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        window.history.replaceState(null, "", url);
      })
      .catch(function () { form.submit(); })
      .finally(function () { results.removeAttribute("aria-busy"); });
  }
  form.addEventListener("submit", update);
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
