// Tell the server the reader's time zone, so dates are shown in it (see BrowserTimezoneMiddleware).
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split("; ").includes("tz=" + zone)) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  }
})();

// Behaviour that needs script, kept out of the markup for a strict Content-Security-Policy.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Keyboard shortcuts (listed in templates/web/_shortcuts.html): "/" search, j/k rows, "?" help.
(() => {
  const ROWS = "tr[data-inspection-id], tr[data-characteristic-id]";
  const CURRENT = "row-current";

  const typing = (element) =>
    element instanceof Element &&
    (element.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null);

  const rows = () => [...document.querySelectorAll(ROWS)].filter((row) => row.querySelector("a[href]"));

  const move = (step) => {
    const all = rows();
    if (all.length === 0) return false;
    let index = all.findIndex((row) => row.classList.contains(CURRENT));
    if (index === -1) index = all.findIndex((row) => row.contains(document.activeElement));
    const next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    for (const row of all) row.classList.remove(CURRENT);
    const row = all[next];
    row.classList.add(CURRENT);
    // Focus the row's own link: Enter then opens it, and a screen reader reads it.
    row.querySelector("a[href]").focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest", behavior: "instant" });
    return true;
  };

  const showShortcuts = () => {
    const dialog = document.getElementById("shortcuts");
    if (!dialog || !window.bootstrap) return false;
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
    return true;
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector(".modal.show")) return;
    let handled = false;
    if (event.key === "/") {
      const search = document.querySelector("main input[type=search], main [data-shortcut-search]");
      if (search) {
        search.focus();
        search.select?.();
        handled = true;
      }
    } else if (event.key === "j") {
      handled = move(1);
    } else if (event.key === "k") {
      handled = move(-1);
    } else if (event.key === "?") {
      handled = showShortcuts();
    }
    if (handled) event.preventDefault();
  });

  // A click or Tab elsewhere ends the keyboard highlight.
  document.addEventListener("focusin", (event) => {
    const current = document.querySelector(`.${CURRENT}`);
    if (current && !current.contains(event.target)) current.classList.remove(CURRENT);
  });
})();
