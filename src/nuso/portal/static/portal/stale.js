// While a study's tables are computed again after new data, a page shows the earlier figures
// with a notice (#omraknas, portal/_stale.html) that names the data shown. This script asks
// the server every few seconds which tables are ready, and reloads the page (its address keeps
// the filters) once the current ones differ from those shown. Without JavaScript the notice
// asks the reader to reload. The notice may also arrive with the filters' partial answers.
(function () {
  "use strict";
  var EVERY_MS = 3000;
  var asking = false;
  function check() {
    var notice = document.getElementById("omraknas");
    if (!notice || asking) { return; }
    var hint = notice.querySelector("[data-uppdateras]");
    if (hint) { hint.hidden = false; }
    asking = true;
    fetch(notice.getAttribute("data-version-url"), {
      credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.version && answer.version !== notice.getAttribute("data-version")) {
          window.location.reload();
        }
      })
      .catch(function () { /* asked again at the next turn */ })
      .finally(function () { asking = false; });
  }
  check();
  window.setInterval(check, EVERY_MS);
})();
