// Pages that follow the cache. Every LIVE_POLL_SECONDS (the cue's data-live-seconds) an open,
// visible page asks /live/ whether anything it shows changed, sending the markers it was drawn
// with: the freshness cue's key, and a list's, detail page's or overview's own (the
// [data-live-view] element, templates/sync/_follow.html). "Nothing new" is a 204; otherwise each
// element of the answer replaces the page's element of the same id (the cue, the notice), and
// the overview draws its figures again. A hidden tab does not ask; it asks once it is shown.
(() => {
  const cue = () => document.getElementById("sync-freshness");
  const first = cue();
  if (!first || !first.dataset.liveUrl) return;
  const url = first.dataset.liveUrl;
  const every = Math.max(1, Number(first.dataset.liveSeconds) || 30) * 1000;
  let missed = false;
  let asking = false;
  let timer = null;

  function question() {
    const query = new URLSearchParams({ cue: cue()?.dataset.liveCue || "" });
    const page = document.querySelector("[data-live-view]");
    if (page) {
      const { liveView, liveSince, liveInspection, liveVersion, liveFigures } = page.dataset;
      query.set("view", liveView);
      if (liveView === "list") {
        query.set("since", liveSince || "");
        query.set("filters", window.location.search.slice(1));
      } else if (liveView === "detail") {
        query.set("inspection", liveInspection || "");
        query.set("version", liveVersion || "");
      } else if (liveView === "overview") {
        query.set("figures", liveFigures || "");
      }
    }
    return `${url}?${query}`;
  }

  function put(html) {
    const answer = document.createElement("template");
    answer.innerHTML = html;
    for (const element of answer.content.querySelectorAll("[id]")) {
      const here = document.getElementById(element.id);
      if (!here || element.parentElement?.closest("[id]")) continue;
      here.replaceWith(element);
      window.htmx?.process(element);
    }
    if (answer.content.querySelector("[data-live-reload]") && window.htmx) {
      window.htmx.ajax("GET", window.location.href, {
        target: "#content",
        select: "#content",
        swap: "outerHTML",
      });
    }
  }

  async function ask() {
    if (document.hidden) {
      missed = true;
      return;
    }
    if (asking) return;
    asking = true;
    try {
      const response = await fetch(question(), {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.type === "opaqueredirect" || [401, 403].includes(response.status)) {
        window.clearInterval(timer); // signed out: the next page view says so
        return;
      }
      if (response.status === 200) put(await response.text());
    } catch {
      // Offline or the server restarting: the next turn asks again.
    } finally {
      asking = false;
    }
  }

  // Once a list's results are drawn again (by "show them" or any filter), they are current:
  // later changes are counted from the newest one the notice had counted.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "results") return;
    const notice = document.getElementById("live-notice");
    const page = document.querySelector('[data-live-view="list"]');
    if (!notice || !page) return;
    if (notice.dataset.liveNewest) page.dataset.liveSince = notice.dataset.liveNewest;
    const empty = document.createElement("div");
    empty.id = "live-notice";
    notice.replaceWith(empty);
  });

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && missed) {
      missed = false;
      ask();
    }
  });
  timer = window.setInterval(ask, every);
})();
