// Name pickers: a <select data-picker="/names/suppliers/"> (with `multiple` or not) becomes a
// searchable select (Tom Select, static/vendor/tom-select-*). The server renders only the chosen
// <option value="<id>" selected>Name</option>s; the picker asks the URL for the rest
// (`GET ?q=<text>` → {"results": [{"value": 8, "text": "Northwind Polymers", "detail": "SUP-0008"}]}).
// The form still sends ids, so URLs and shared links keep ids. Without script, the select shows
// the chosen names (and an id box beside it may be offered by the page).
(() => {
  "use strict";

  const ask = (url, query) => {
    const address = new URL(url, window.location.href);
    address.searchParams.set("q", query);
    return fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((answer) => (Array.isArray(answer.results) ? answer.results : []));
  };

  const render = (data, escape) => {
    const detail = data.detail ? ` <small class="text-body-secondary">${escape(data.detail)}</small>` : "";
    return `<div>${escape(data.text)}${detail}</div>`;
  };

  const enhance = (select) => {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    const url = select.dataset.picker;
    // eslint-disable-next-line no-new
    new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server has matched name, display name and number: keep its answer and its order.
      score: () => () => 1,
      sortField: [{ field: "$order" }],
      maxOptions: 20,
      preload: "focus",
      loadThrottle: 250,
      shouldLoad: () => true,
      // A single picker's empty option is no item (a cleared box, with a button to clear it):
      // with an item shown, Tom Select hides its typing field until focus settles, and the
      // first keys typed after the click were lost.
      plugins: select.multiple ? ["remove_button"] : ["clear_button"],
      allowEmptyOption: false,
      load(query, callback) {
        ask(url, query)
          .then((results) => {
            // An answer to what the box no longer holds (the first names asked on opening,
            // arriving after the typed text's) is dropped: every answer is shown as it comes.
            if (query !== (this.lastValue || "")) {
              callback();
              return;
            }
            this.clearOptions(); // the chosen stay; the last answer goes
            callback(results);
          })
          .catch(() => callback());
      },
      render: {
        option: render,
        item: (data, escape) => `<div title="${escape(data.detail || "")}">${escape(data.text)}</div>`,
        no_results: () => '<div class="no-results">No match</div>',
      },
    });
    // The label now names Tom Select's own field: the hidden select is no second, nameless one.
    select.setAttribute("aria-hidden", "true");
  };

  const enhanceWithin = (root) => {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-picker]")) enhance(root);
    root.querySelectorAll("select[data-picker]").forEach(enhance);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceWithin(document));
  } else {
    enhanceWithin(document);
  }
  // Markup htmx swaps in (a form row, a partial) gets its pickers too.
  document.addEventListener("htmx:load", (event) => enhanceWithin(event.detail && event.detail.elt));
})();
