// The new-inspection form checks a field again as soon as it changes (templates/creation/new.html:
// the form posts itself to the check URL on `change`): this names the field that changed, and
// after the server has swapped in each field's errors (out of band), marks the fields that still
// have one as invalid and the others as valid again. Without script, errors go on the next submit.
(() => {
  "use strict";

  const FORM = "form[data-check-changes]";

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches(FORM)) return;
    const changed = event.detail.triggeringEvent && event.detail.triggeringEvent.target;
    event.detail.parameters.changed = (changed && changed.name) || "";
  });

  const mark = (form) => {
    form.querySelectorAll("[data-errors-for]").forEach((errors) => {
      const field = document.getElementById(errors.dataset.errorsFor);
      if (!field) return;
      const invalid = errors.children.length > 0;
      const shown = field.tomselect ? [field, field.tomselect.wrapper] : [field];
      shown.forEach((element) => element.classList.toggle("is-invalid", invalid));
      if (invalid) {
        field.setAttribute("aria-invalid", "true");
      } else {
        field.removeAttribute("aria-invalid");
      }
    });
  };

  // Each field's errors arrive as an out-of-band swap (the form itself swaps nothing).
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const form = event.target.closest && event.target.closest(FORM);
    if (form) mark(form);
  });
})();
