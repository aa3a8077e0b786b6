// The overview's charts, drawn with Chart.js from figures the page carries as JSON
// (`json_script`), so the markup holds no inline script or style for a strict CSP. Every chart has
// a table with the same figures beside it; without script the tables are all there is, and the
// chart boxes stay hidden rather than blank.
(() => {
  // Okabe–Ito colours: told apart with every common colour-vision deficiency.
  const COLOURS = {
    accepted: "#0072B2", // blue
    rejected: "#D55E00", // vermillion
    median: "#56B4E9", // sky blue
    p90: "#E69F00", // orange
  };

  function figures(canvas) {
    const source = document.getElementById(canvas.dataset.chartData);
    return source ? JSON.parse(source.textContent) : null;
  }

  function numbers(values) {
    return values.map((value) => (value === null ? null : Number(value)));
  }

  function dataset(label, values, colour) {
    return { label, data: values, backgroundColor: colour, borderColor: colour, borderWidth: 1 };
  }

  const CHARTS = {
    trend: (data) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset("Accepted", data.accepted, COLOURS.accepted),
          dataset("Rejected", data.rejected, COLOURS.rejected),
        ],
      },
      options: {
        aspectRatio: 2,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
               title: { display: true, text: "Inspections closed" } },
        },
      },
    }),
    stages: (data) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset("Median days", numbers(data.median), COLOURS.median),
          dataset("90th percentile days", numbers(data.p90), COLOURS.p90),
        ],
      },
      options: {
        aspectRatio: 2,
        indexAxis: "y",
        scales: { x: { beginAtZero: true, title: { display: true, text: "Days in stage" } } },
      },
    }),
  };

  function draw(root) {
    if (typeof Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const build = CHARTS[canvas.dataset.chart];
      const data = figures(canvas);
      if (!build || !data) {
        return;
      }
      const box = canvas.closest("[data-chart-box]");
      if (box) {
        box.hidden = false;
      }
      const previous = Chart.getChart(canvas);
      if (previous) {
        previous.destroy();
      }
      const config = build(data);
      config.options.animation = false;
      config.options.plugins = { legend: { position: "bottom" } };
      new Chart(canvas, config);
    });
  }

  // Deferred: the document is parsed by now. After an htmx swap of the period, draw again.
  draw(document);
  document.body.addEventListener("htmx:afterSettle", () => draw(document));
})();
