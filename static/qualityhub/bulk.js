// The list's bulk bar: "select all on this page", the selected count, and its confirmation text.
// The rows and the bar are swapped by htmx with the results, so every listener is delegated.
(() => {
  const rows = () => document.querySelectorAll("input[data-bulk-row]");
  const checked = () => document.querySelectorAll("input[data-bulk-row]:checked");

  function refresh() {
    const count = checked().length;
    const total = rows().length;
    const all = document.querySelector("input[data-bulk-all]");
    if (all) {
      all.checked = total > 0 && count === total;
      all.indeterminate = count > 0 && count < total;
    }
    const label = document.querySelector("[data-bulk-count]");
    if (label) label.textContent = "Selected: " + count;
    document.querySelectorAll("button[data-bulk-selected]").forEach((button) => {
      button.disabled = count === 0;
      // Assigning asks for a colleague on the next page instead of a confirmation.
      if (button.dataset.confirmTemplate) {
        button.dataset.confirm = button.dataset.confirmTemplate.replace("{n}", count);
      }
    });
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("input[data-bulk-all]")) {
      rows().forEach((box) => { box.checked = event.target.checked; });
    }
    if (event.target.matches("input[data-bulk-all], input[data-bulk-row]")) refresh();
  });

  // app.js has asked for confirmation by the time the form submits: no second page needed.
  document.addEventListener("submit", (event) => {
    const flag = event.target.querySelector("input[data-bulk-confirmed]");
    if (flag) flag.value = "1";
  });

  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSwap", refresh);
})();
