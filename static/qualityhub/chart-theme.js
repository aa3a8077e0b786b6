// The colours every chart draws with, read from Bootstrap's colour mode (`data-bs-theme` on
// <html>): text and grid lines from its CSS variables, so a chart reads in light and dark mode,
// and the charts are drawn again when the mode changes. Loaded before the chart scripts.
(() => {
  const root = document.documentElement;

  function variable(name, fallback) {
    return getComputedStyle(root).getPropertyValue(name).trim() || fallback;
  }

  function isDark() {
    return root.dataset.bsTheme === "dark";
  }

  // Okabe–Ito colours: told apart with every common colour-vision deficiency. On a dark
  // background its blue is too dark to make out, so the palette's sky blue takes its place.
  function colours() {
    const dark = isDark();
    return {
      text: variable("--bs-body-color", dark ? "#dee2e6" : "#212529"),
      muted: variable("--bs-secondary-color", dark ? "#adb5bd" : "#6c757d"),
      grid: variable(
        "--bs-border-color-translucent",
        dark ? "rgba(255, 255, 255, 0.15)" : "rgba(0, 0, 0, 0.175)",
      ),
      surface: variable("--bs-body-bg", dark ? "#212529" : "#fff"),
      blue: dark ? "#56B4E9" : "#0072B2",
      skyBlue: "#56B4E9",
      vermillion: "#D55E00",
      orange: "#E69F00",
      green: "#009E73",
      purple: "#CC79A7",
    };
  }

  // Text, ticks, axis titles, grid lines and legend in the mode's colours (set on the options,
  // so `Chart.getChart(canvas).options` says what is drawn).
  function themed(options) {
    const { text, grid } = colours();
    // Every chart here is cartesian: x and y are there even when only the other is configured.
    options.scales = { x: {}, y: {}, ...options.scales };
    for (const scale of Object.values(options.scales)) {
      scale.ticks = { ...scale.ticks, color: text };
      scale.grid = { ...scale.grid, color: grid };
      scale.border = { ...scale.border, color: grid };
      scale.title = { ...scale.title, color: text };
    }
    const plugins = options.plugins || {};
    const legend = plugins.legend || {};
    const labels = { ...legend.labels, color: text };
    options.plugins = { ...plugins, legend: { ...legend, labels } };
    options.color = text;
    options.borderColor = grid;
    return options;
  }

  const redraws = [];

  function onChange(redraw) {
    redraws.push(redraw);
  }

  function changed() {
    for (const redraw of redraws) {
      redraw();
    }
  }

  new MutationObserver(changed).observe(root, {
    attributes: true,
    attributeFilter: ["data-bs-theme"],
  });

  // The charts' words in the reader's language: the page carries them as JSON in
  // #chart-words's data-words ({% chart_words %}), keyed by the English; a word it lacks stays
  // English. "%(name)s" takes values[name].
  let words = null;
  function say(english, values = {}) {
    if (words === null) {
      const source = document.getElementById("chart-words");
      words = source ? JSON.parse(source.dataset.words) : {};
    }
    return (words[english] || english).replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }

  window.QualityHubChartTheme = { colours, themed, onChange, isDark, say };
})();
