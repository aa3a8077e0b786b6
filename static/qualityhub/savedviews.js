// Saved views (templates/savedviews/_bar.html): the save form posts the list's current query, and
// the view on screen stays marked while htmx changes the filters and the address.
(() => {
  const PAGING = new Set(["after", "before", "size"]);

  // The same filters read the same: no empty values, no paging, each pair once, ordered.
  const canonical = (search) => {
    const pairs = [];
    const seen = new Set();
    for (const [key, value] of new URLSearchParams(search)) {
      const pair = JSON.stringify([key, value]);
      if (value.trim() && !PAGING.has(key) && !seen.has(pair)) {
        seen.add(pair);
        pairs.push([key, value]);
      }
    }
    pairs.sort((a, b) => (a[0] + "\u0000" + a[1] < b[0] + "\u0000" + b[1] ? -1 : 1));
    return new URLSearchParams(pairs).toString();
  };

  const mark = () => {
    const here = canonical(window.location.search);
    for (const link of document.querySelectorAll("[data-saved-view-query]")) {
      const active = canonical(link.dataset.savedViewQuery) === here;
      link.classList.toggle("active", active);
      if (active) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  };
  document.addEventListener("htmx:pushedIntoHistory", mark);
  document.addEventListener("htmx:historyRestore", mark);

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-save-view]");
    if (form) form.elements.query.value = window.location.search.replace(/^\?/, "");
  });
})();
