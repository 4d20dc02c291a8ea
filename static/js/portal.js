// The portal's own script. Every page works without it; it adds confirmations, keeps typed text
// through expired sessions and dropped connections, and keeps the plan editor's forms in step.

// Ask before a form marked data-confirm is sent (submit, remove). Forms sent by htmx ask with hx-confirm.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !form.hasAttribute("hx-post") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A link marked data-clear="#id" empties that element instead of leaving the page (cancel an inline form).
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-clear]");
  if (!link) return;
  const target = document.querySelector(link.dataset.clear);
  if (!target) return;
  event.preventDefault();
  for (const form of target.querySelectorAll("form[data-autosave]")) {
    localStorage.removeItem(`ascn-autosave:${form.dataset.autosave}`);
  }
  target.replaceChildren();
});

// After a save made in place, every form on the page carries the plan's new version.
document.body.addEventListener("planVersion", (event) => {
  for (const input of document.querySelectorAll("input[data-plan-version]")) {
    input.value = event.detail.version;
  }
});

// Forms marked data-autosave keep what is typed in this browser until the server confirms a save,
// so an expired session or a dropped connection loses nothing. Restored text is announced.
(() => {
  const keyOf = (form) => `ascn-autosave:${form.dataset.autosave}`;
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
  const restore = (form) => {
    const key = keyOf(form);
    const stored = localStorage.getItem(key);
    // A form the server sent back with messages shows what was just sent: nothing to restore.
    if (!stored || form.querySelector(".is-invalid, [data-testid='form-errors']")) return;
    const data = JSON.parse(stored);
    if (JSON.stringify(data) === JSON.stringify(read(form))) return;
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
  };
  const watch = (form) => {
    if (form.dataset.autosaveWatched) return;
    form.dataset.autosaveWatched = "1";
    restore(form);
    form.addEventListener("input", () => localStorage.setItem(keyOf(form), JSON.stringify(read(form))));
    form.addEventListener("submit", () => sessionStorage.setItem("ascn-submitted", keyOf(form)));
  };

  // A full-page save that succeeded shows a success message: what it kept is no longer needed here.
  const submitted = sessionStorage.getItem("ascn-submitted");
  if (submitted && document.querySelector(".alert-success")) {
    localStorage.removeItem(submitted);
    sessionStorage.removeItem("ascn-submitted");
  }
  // A save made in place (a form submitted through htmx) that succeeded clears its copy too, before
  // the answer is swapped in: the blank form it brings must not be filled with what was just saved.
  // The live checks a form sends as the officer types do not clear it.
  // The event's own `elt` is the swap's target (the container the answer replaces), not the form that
  // was sent: the form comes from the request's configuration.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const config = event.detail.requestConfig || {};
    const elt = config.elt;
    const form = elt && elt.closest ? elt.closest("form[data-autosave]") : null;
    const trigger = config.triggeringEvent;
    const status = event.detail.xhr && event.detail.xhr.status;
    const saved = status >= 200 && status < 300;
    if (saved && form && trigger && trigger.type === "submit") {
      localStorage.removeItem(keyOf(form));
      sessionStorage.removeItem("ascn-submitted");
    }
  });
  const scan = (root) => {
    const forms = root.matches && root.matches("form[data-autosave]") ? [root] : [];
    forms.push(...root.querySelectorAll("form[data-autosave]"));
    forms.forEach(watch);
  };
  scan(document);
  document.body.addEventListener("htmx:load", (event) => scan(event.detail.elt));
})();
