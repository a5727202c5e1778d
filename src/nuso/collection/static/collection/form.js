// A registration form, better with a script (it works without one): every change is saved
// as a draft within a second or two, the answers are checked as they are typed, and the
// questions a condition hides are hidden. A failed save (a lost connection) is retried, and
// the page warns before it is left with changes not yet saved.
(function () {
  "use strict";
  const form = document.getElementById("registrering");
  if (!form || !form.dataset.autosave) return;
  const status = document.getElementById("sparat");
  const identity = document.getElementById("personnummer");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const GIVEN = "Ett nummer är angivet. Det sparas aldrig i klartext och visas därför inte. " +
    "Skriv ett nytt nummer bara om det var fel barn.";
  let timer = null, changes = 0, savedChanges = 0, saving = false, reloading = false;

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
    if (saved.personnummer_fel) {
      status.textContent += ` Personnumret: ${saved.personnummer_fel}`;
      return;
    }
    if (!sentIdentity) return;
    Object.entries(saved.ifyllt || {}).forEach(([name, value]) => {
      const box = form.querySelector(`[name="${name}"][value="${value}"]`);
      if (box && !answers(name).length) box.checked = true;
    });
    if (identity.value === sentIdentity) identity.value = ""; // kept only as the pseudonym
    document.getElementById("personnummer-hjalp").textContent = GIVEN;
    if (saved.ladda_om) reloading = true; // the child's decisions to link to
  }

  async function save() {
    if (saving) return;
    saving = true;
    const sent = changes;
    const body = new FormData(form);
    body.delete("atgard");
    const sentIdentity = identity.value;
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      savedChanges = sent;
      status.textContent = `Utkastet sparades ${saved.sparad}.`;
      showErrors(saved.fel || {});
      identityAnswered(saved, sentIdentity);
    } catch (error) {
      status.textContent = "Inte sparat än: ingen kontakt med NUSO. Det du skriver finns " +
        "kvar på sidan och sparas när kontakten är tillbaka.";
      window.setTimeout(save, 5000);
    } finally {
      saving = false;
      if (changes !== savedChanges) save(); // typed while this was on its way
      else if (reloading) window.location.reload();
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
  form.addEventListener("submit", () => { savedChanges = changes; });
  window.addEventListener("beforeunload", (event) => {
    if (changes !== savedChanges) { save(); event.preventDefault(); }
  });
  applyConditions();
})();
