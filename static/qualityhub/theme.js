// Colour mode (light / dark / auto), after Bootstrap 5.3's colour-modes docs. Loaded in <head>
// without defer, so <html data-bs-theme> is set before the first paint: no flash of light.
(() => {
  const KEY = "qualityhub-theme";
  const MODES = ["light", "dark", "auto"];
  const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

  const stored = () => {
    try {
      const mode = window.localStorage.getItem(KEY);
      return MODES.includes(mode) ? mode : "auto";
    } catch {
      return "auto"; // storage refused (private window, policy): follow the system
    }
  };
  const store = (mode) => {
    try {
      window.localStorage.setItem(KEY, mode);
    } catch {
      // nothing to remember with: the choice lasts for this page
    }
  };
  const resolved = (mode) => (mode === "auto" ? (darkQuery.matches ? "dark" : "light") : mode);

  const apply = (mode) => {
    document.documentElement.setAttribute("data-bs-theme", resolved(mode));
    document.documentElement.dataset.themeChoice = mode;
    for (const button of document.querySelectorAll("[data-theme-value]")) {
      const active = button.dataset.themeValue === mode;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", String(active));
    }
    const current = document.querySelector("[data-theme-current]");
    if (current) {
      // The page gives each mode's word in the reader's language (data-light, data-dark, data-auto).
      current.textContent = current.dataset[mode] || mode;
    }
  };

  apply(stored());
  darkQuery.addEventListener("change", () => apply(stored()));
  // Another tab changed the choice.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) apply(stored());
  });
  document.addEventListener("DOMContentLoaded", () => {
    apply(stored());
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-theme-value]");
      if (!button) return;
      store(button.dataset.themeValue);
      apply(button.dataset.themeValue);
    });
  });
})();
