// A registration form, better with a script (it works without one): every change is saved
// as a draft within a second or two, the answers are checked as they are typed, and the
// questions a condition hides are hidden. A failed save (a lost connection) is retried, and
// the page warns before it is left with changes not yet saved.
(function () {
  "use strict";
  const summary = document.getElementById("fel");
  if (summary) summary.focus(); // what must be corrected is read first
  const form = document.getElementById("registrering");
  if (!form || !form.dataset.autosave) return;
  const status = document.getElementById("sparat");
  const identity = document.getElementById("personnummer");
  let csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value; // kept up to date
  // The page's texts in its language come with the form (data-text-*); Swedish otherwise.
  const words = (name, swedish) => form.dataset[name] || swedish;
  const GIVEN = words("textGiven", "Ett nummer är angivet. Det sparas aldrig i klartext och " +
    "visas därför inte. Skriv ett nytt nummer bara om det var fel barn.");
  let timer = null, changes = 0, savedChanges = 0, saving = false, reloading = false;
  let stopped = false, submitting = false; // refused for good; the page is being sent

  function answers(name) {
    return Array.from(form.querySelectorAll(`[name="${name}"]`))
      .filter((input) => (input.type === "radio" || input.type === "checkbox") ? input.checked : true)
      .map((input) => input.value).filter((value) => value !== "");
  }

  function applyConditions() {
    form.querySelectorAll("[data-shown-if]").forEach((question) => {
      const conditions = JSON.parse(question.dataset.shownIf);
      const shown = Object.entries(conditions).every(([name, wanted]) =>
        answers(name).some((value) => wanted.includes(value)));
      question.hidden = !shown;
      const words = question.querySelector(".condition");
      if (words) words.hidden = true; // the script shows and hides the question itself
    });
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-question]").forEach((question) => {
      const text = errors[question.dataset.question] || "";
      const box = question.querySelector(".error");
      if (box) { box.textContent = text; box.hidden = !text; }
      question.classList.toggle("invalid", Boolean(text));
      question.querySelectorAll("input:not([type=hidden]), textarea").forEach((input) => {
        if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      });
    });
  }

  function identityAnswered(saved, sentIdentity) {
    const box = document.getElementById("personnummer-fel");
    box.textContent = saved.personnummer_fel || "";
    box.hidden = !saved.personnummer_fel;
    if (saved.personnummer_fel) {
      identity.setAttribute("aria-invalid", "true");
      status.textContent += ` ${words("textIdentity", "Personnumret:")} ${saved.personnummer_fel}`;
      return;
    }
    identity.removeAttribute("aria-invalid");
    if (!sentIdentity) return;
    Object.entries(saved.ifyllt || {}).forEach(([name, value]) => {
      const box = form.querySelector(`[name="${name}"][value="${value}"]`);
      if (box && !answers(name).length) box.checked = true;
    });
    if (identity.value === sentIdentity) identity.value = ""; // kept only as the pseudonym
    document.getElementById("personnummer-hjalp").textContent = GIVEN;
    if (saved.ladda_om) reloading = true; // the child's decisions to link to
  }

  // A new login (in another tab, after the session ended) gives a new CSRF token, which this
  // page does not have (the cookie is HTTP-only): the form's own page has it.
  // Returns "new token", "logged out" (the form's page sends to the login), "offline" or "".
  async function freshToken() {
    try {
      // Not followed to the login page: loading it here could give the browser a new CSRF
      // cookie while the worker logs in in the other tab, and fail that login.
      const page = await fetch(window.location.href, {
        credentials: "same-origin", redirect: "manual", cache: "no-store",
      });
      if (page.type === "opaqueredirect") return "logged out";
      const html = await page.text();
      const found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
      if (!page.ok || !found || found[1] === csrf) return "";
      csrf = found[1];
      // The page's own forms (submit, log out) send the token in their fields: the new one.
      document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => {
        input.value = csrf;
      });
      return "new token";
    } catch (error) {
      return "offline";
    }
  }

  let retryTimer = null, tokenTries = 0;
  function retry(ms) { retryTimer = window.setTimeout(save, ms); }

  async function save() {
    if (saving || stopped || submitting) return;
    saving = true;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    const sent = changes;
    const body = new FormData(form);
    body.delete("atgard");
    const sentIdentity = identity.value;
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
        redirect: "manual",
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.status === 403 && json) { // refused for good: the period is closed
        status.textContent = (await response.json()).stangd;
        stopped = true; // and the page still warns before unsaved answers are left
        return;
      }
      const refused = response.status === 403 ? await freshToken() : "";
      const away = response.type === "opaqueredirect" || (response.ok && !json);
      if (refused === "offline") throw new Error("offline");
      if (away || refused === "logged out") {
        status.textContent = words("textLoggedOut", "Inte sparat än: du är utloggad. Logga " +
          "in i en ny flik, så sparas det du skrivit här.");
        retry(5000);
        return;
      }
      if (refused === "new token" && tokenTries < 2) { // logged in again meanwhile
        tokenTries += 1;
        retry(0);
        return;
      }
      if (response.status === 403 || response.status === 404) { // refused, not lost
        status.textContent = words("textRefused", "Utkastet kan inte sparas härifrån längre. " +
          "Kopiera det du skrivit sedan det senast sparades innan du lämnar sidan.");
        stopped = true; // the page still warns before unsaved answers are left
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      savedChanges = sent;
      tokenTries = 0;
      status.textContent = words("textSaved", "Utkastet sparades TID.").replace("TID", saved.sparad);
      showErrors(saved.fel || {});
      identityAnswered(saved, sentIdentity);
    } catch (error) {
      status.textContent = words("textOffline", "Inte sparat än: ingen kontakt med NUSO. Det " +
        "du skriver finns kvar på sidan och sparas när kontakten är tillbaka.");
      retry(5000);
    } finally {
      saving = false;
      const pending = changes !== savedChanges;
      if (retryTimer === null && pending) save(); // typed meanwhile
      else if (reloading && !pending && retryTimer === null) window.location.reload();
    }
  }

  function changed(event) {
    if (event.target === identity && event.type === "input") return; // when left, not per digit
    changes += 1;
    applyConditions();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => { // the page sends everything itself now
    submitting = true;
    window.clearTimeout(timer);
    window.clearTimeout(retryTimer);
    savedChanges = changes;
  });
  window.addEventListener("beforeunload", (event) => {
    if (changes !== savedChanges) { save(); event.preventDefault(); }
  });
  applyConditions();
})();
