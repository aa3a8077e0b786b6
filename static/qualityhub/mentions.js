// @mentions in a note: typing "@" and the start of a name in a <textarea data-mentions="<url>">
// lists the colleagues who may see the inspection (`GET <url>?q=<text>` →
// {"results": [{"value": "priya", "text": "priya", "detail": "Priya Shah"}]}) in the listbox the
// textarea's aria-controls names. Arrow keys move through it, Enter or Tab chooses, Escape
// closes; a click chooses too. The choice replaces the typed "@pri" with "@priya ". Without
// script the textarea is a plain one: a typed "@priya" mentions just the same.
(() => {
  "use strict";

  // The "@name" being typed just before the caret (as in qualityhub/notes/mentions.py).
  const TYPING = /(?:^|[^\p{L}\p{N}_.@+-])@([\p{L}\p{N}_.@+-]{0,150})$/u;

  const enhance = (textarea) => {
    if (textarea.dataset.mentionsReady) return;
    textarea.dataset.mentionsReady = "1";
    const list = document.getElementById(textarea.getAttribute("aria-controls"));
    const status = textarea.form && textarea.form.querySelector("[role=status][aria-live]");
    if (!list) return;
    let options = [];
    let active = -1;
    let asked = null; // the AbortController of the question in flight
    let timer = 0;

    const typed = () => {
      const found = TYPING.exec(textarea.value.slice(0, textarea.selectionStart));
      return found ? { name: found[1], start: textarea.selectionStart - found[1].length - 1 } : null;
    };

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    };

    const highlight = (index) => {
      active = index;
      options.forEach((option, at) => {
        const chosen = at === index;
        option.setAttribute("aria-selected", chosen ? "true" : "false");
        option.classList.toggle("active", chosen);
      });
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    };

    const choose = (index) => {
      const at = typed();
      const option = options[index];
      if (!at || !option) return;
      const before = textarea.value.slice(0, at.start);
      const after = textarea.value.slice(textarea.selectionStart);
      const inserted = `@${option.dataset.username} `;
      textarea.value = before + inserted + after.replace(/^ /, "");
      const caret = before.length + inserted.length;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
    };

    const show = (results) => {
      list.replaceChildren();
      options = results.map((person, index) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${index}`;
        option.setAttribute("role", "option");
        option.className = "list-group-item list-group-item-action py-1 small";
        option.dataset.username = person.value;
        option.textContent = `@${person.text}`;
        if (person.detail) {
          const detail = document.createElement("span");
          detail.className = "ms-2 text-body-secondary";
          detail.textContent = person.detail;
          option.append(detail);
        }
        // mousedown, not click: the textarea keeps its focus and caret.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(index);
        });
        list.append(option);
        return option;
      });
      if (status) status.textContent = options.length ? `${options.length} colleague${options.length === 1 ? "" : "s"} found` : "No colleague found";
      if (!options.length) {
        close();
        return;
      }
      list.hidden = false;
      highlight(0);
    };

    const ask = () => {
      const at = typed();
      if (!at) {
        close();
        return;
      }
      if (asked) asked.abort();
      asked = new AbortController();
      const address = new URL(textarea.dataset.mentions, window.location.href);
      address.searchParams.set("q", at.name);
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: asked.signal,
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((answer) => {
          const still = typed();
          if (!still || still.name !== at.name) return; // an answer to what is no longer typed
          show(Array.isArray(answer.results) ? answer.results : []);
        })
        .catch(() => {});
    };

    textarea.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 150);
    });
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", () => window.setTimeout(close, 100));
  };

  const enhanceWithin = (root) => {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("textarea[data-mentions]")) enhance(root);
    root.querySelectorAll("textarea[data-mentions]").forEach(enhance);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceWithin(document));
  } else {
    enhanceWithin(document);
  }
  // The form htmx swaps in after a note is added (or refused) gets its mentions again.
  document.addEventListener("htmx:load", (event) => enhanceWithin(event.detail && event.detail.elt));
})();
