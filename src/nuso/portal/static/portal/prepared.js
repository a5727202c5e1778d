// A download (rows, or every results deck) being prepared in the background (portal/prepared.html): this script asks the
// server every few seconds how far it got, says so (in the page's language: the server words it), and reloads the page once the file is
// ready (the page then links to it) or could not be prepared. Without JavaScript the page
// asks the reader to reload it.
(function () {
  "use strict";
  var EVERY_MS = 2000;
  var asking = false;
  var notice = document.getElementById("forbereds");
  if (!notice) { return; }
  var hint = notice.querySelector("[data-uppdateras]");
  if (hint) { hint.hidden = false; }
  var written = notice.querySelector("[data-skrivna]");
  var bar = document.getElementById("framsteg");
  function check() {
    if (asking) { return; }
    asking = true;
    fetch(notice.getAttribute("data-status-url"), {
      credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        if (answer.state !== "forbereds") { window.location.reload(); return; }
        if (written && answer.text) { written.textContent = answer.text; }
        if (bar && answer.rows) { bar.max = answer.rows; bar.value = answer.written; }
      })
      .catch(function () { /* asked again at the next turn */ })
      .finally(function () { asking = false; });
  }
  window.setInterval(check, EVERY_MS);
})();
