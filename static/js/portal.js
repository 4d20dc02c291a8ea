// The portal's own script: asks before a form marked data-confirm is sent (submit, remove).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Forms marked data-autosave keep what is typed in this browser until the server confirms a save,
// so an expired session or a dropped connection loses nothing. Restored text is announced.
(() => {
  const fieldsOf = (form) =>
    Array.from(form.elements).filter(
      (el) => el.name && !["hidden", "file", "submit", "button"].includes(el.type) && el.name !== "csrfmiddlewaretoken",
    );
  const read = (form) => {
    const data = {};
    for (const el of fieldsOf(form)) {
      if (el.type === "checkbox") {
        data[`${el.name}=${el.value}`] = el.checked;
      } else {
        data[el.name] = el.value;
      }
    }
    return data;
  };
  const write = (form, data) => {
    for (const el of fieldsOf(form)) {
      const key = el.type === "checkbox" ? `${el.name}=${el.value}` : el.name;
      if (!(key in data)) continue;
      if (el.type === "checkbox") el.checked = data[key];
      else el.value = data[key];
    }
  };
  for (const form of document.querySelectorAll("form[data-autosave]")) {
    const key = `ascn-autosave:${form.dataset.autosave}`;
    const saved = document.querySelector(".alert-success") && sessionStorage.getItem("ascn-submitted") === key;
    if (saved) {
      localStorage.removeItem(key);
      sessionStorage.removeItem("ascn-submitted");
    }
    const stored = localStorage.getItem(key);
    if (stored && !form.querySelector(".is-invalid")) {
      const data = JSON.parse(stored);
      if (JSON.stringify(data) !== JSON.stringify(read(form))) {
        write(form, data);
        const note = document.createElement("div");
        note.className = "alert alert-info";
        note.setAttribute("role", "status");
        note.dataset.testid = "autosave-restored";
        note.textContent = "Text you typed here before was not saved yet; it is restored below. Save to keep it. ";
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-sm btn-outline-secondary";
        discard.textContent = "Discard it";
        discard.addEventListener("click", () => {
          localStorage.removeItem(key);
          window.location.reload();
        });
        note.append(discard);
        form.prepend(note);
      }
    }
    form.addEventListener("input", () => localStorage.setItem(key, JSON.stringify(read(form))));
    form.addEventListener("submit", () => sessionStorage.setItem("ascn-submitted", key));
  }
})();
