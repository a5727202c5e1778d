// A registration form, better with a script (it works without one): every change is saved
// as a draft within a second or two, the answers are checked as they are typed, and the
// questions a condition hides are hidden. A failed save (a lost connection) is retried, and
// the page warns before it is left with changes not yet saved.
(function () {
  "use strict";
  const form = document.getElementById("registrering");
  if (!form || !form.dataset.autosave) return;
  const status = document.getElementById("sparat");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null, unsaved = false, saving = false, again = false;

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
      const name = question.dataset.question;
      const text = errors[name] || "";
      const box = question.querySelector(".error");
      if (box) { box.textContent = text; box.hidden = !text; }
      question.classList.toggle("invalid", Boolean(text));
      question.querySelectorAll("input:not([type=hidden]), textarea").forEach((input) => {
        if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      });
    });
  }

  async function save() {
    if (saving) { again = true; return; }
    saving = true;
    const body = new FormData(form);
    body.delete("atgard");
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      unsaved = false;
      status.textContent = `Utkastet sparades ${saved.sparad}.`;
      showErrors(saved.fel || {});
      const identity = document.getElementById("personnummer");
      if (saved.personnummer_fel) {
        status.textContent += ` Personnumret: ${saved.personnummer_fel}`;
      } else if (saved.ladda_om) {
        identity.value = ""; // never kept on the page once it is the pseudonym
        window.location.reload(); // the child's decisions to link to, and its facts
      }
    } catch (error) {
      status.textContent = "Inte sparat än: ingen kontakt med NUSO. Det du skriver finns kvar på sidan och sparas när kontakten är tillbaka.";
      window.setTimeout(save, 5000);
    } finally {
      saving = false;
      if (again) { again = false; save(); }
    }
  }

  function changed(event) {
    if (event.target.name === "personnummer" && event.type === "input") return; // on change only
    unsaved = true;
    applyConditions();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => { unsaved = false; });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) { save(); event.preventDefault(); }
  });
  applyConditions();
})();
