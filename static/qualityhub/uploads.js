// Attachment uploads: drag and drop, upload on choosing, a size check before sending, progress.
// The forms work without this file (a plain multipart POST); htmx sends them when it is here.
(() => {
  if (window.qualityhubUploads) return; // the panel may be swapped in again with its script tag
  window.qualityhubUploads = true;

  const formOf = (element) => element && element.closest && element.closest("form.attachment-upload");

  function refuse(form, messages) {
    const box = form.querySelector(".upload-refusals");
    box.replaceChildren(...messages.map((text) => {
      const line = document.createElement("div");
      line.dataset.testid = "upload-refusal";
      line.textContent = text;
      return line;
    }));
  }

  // What the server would refuse anyway, said before megabytes travel.
  function tooMany(form, files) {
    const maxBytes = Number(form.dataset.maxBytes);
    const maxFiles = Number(form.dataset.maxFiles);
    const megabytes = Math.round(maxBytes / 1048576 * 10) / 10;
    const problems = [];
    if (files.length > maxFiles) problems.push(`Choose at most ${maxFiles} files at once.`);
    for (const file of files) {
      if (file.size === 0) problems.push(`${file.name}: the file is empty`);
      else if (file.size > maxBytes) problems.push(`${file.name}: the file is larger than the limit of ${megabytes} MB`);
    }
    return problems;
  }

  function send(form) {
    const input = form.querySelector("input[type=file]");
    const problems = tooMany(form, Array.from(input.files));
    if (problems.length) {
      refuse(form, problems);
      input.value = "";
      return;
    }
    form.requestSubmit();
  }

  document.addEventListener("change", (event) => {
    const form = formOf(event.target);
    if (form && event.target.matches("input[type=file]") && event.target.files.length) send(form);
  });

  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (event) => {
      const form = formOf(event.target);
      if (!form) return;
      event.preventDefault();
      form.querySelector(".drop-zone").classList.add("border-primary");
    });
  }
  document.addEventListener("dragleave", (event) => {
    const form = formOf(event.target);
    if (form) form.querySelector(".drop-zone").classList.remove("border-primary");
  });
  document.addEventListener("drop", (event) => {
    const form = formOf(event.target);
    if (!form || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    form.querySelector(".drop-zone").classList.remove("border-primary");
    form.querySelector("input[type=file]").files = event.dataTransfer.files;
    send(form);
  });

  // htmx reports the request body's progress on the form that sent it.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = formOf(event.target);
    if (!form || event.target !== form) return;
    refuse(form, []);
    const bar = form.querySelector("progress");
    bar.value = 0;
    bar.hidden = false;
    form.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = formOf(event.target);
    if (!form || !event.detail.total) return;
    const percent = Math.round(event.detail.loaded / event.detail.total * 100);
    form.querySelector("progress").value = percent;
    form.dataset.progress = String(percent);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = formOf(event.target);
    if (!form || event.target !== form) return;
    form.removeAttribute("aria-busy");
    form.querySelector("input[type=file]").value = "";
    const bar = form.querySelector("progress");
    setTimeout(() => { if (!form.hasAttribute("aria-busy")) bar.hidden = true; }, 1500);
    if (!event.detail.successful) refuse(form, ["The upload did not reach QualityHub; try again."]);
  });

  // With script the choice itself sends the files; the button is for pages without it.
  const hideButtons = (root) => {
    root.querySelectorAll("form.attachment-upload [data-upload-button]").forEach((b) => { b.hidden = true; });
  };
  document.addEventListener("htmx:load", (event) => hideButtons(event.target));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => hideButtons(document));
  } else {
    hideButtons(document);
  }
})();
