// The overview's charts and a supplier's Pareto, drawn with Chart.js from figures the page carries
// as JSON (`json_script`), so the markup holds no inline script or style for a strict CSP. Every
// chart has a table with the same figures beside it; without script the tables are all there is,
// and the chart boxes stay hidden rather than blank. Colours come from chart-theme.js, and the
// charts are drawn again when the colour mode changes.
(() => {
  const theme = window.QualityHubChartTheme;
  const say = (english, values) => theme.say(english, values);

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
    trend: (data, colours) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset(say("Accepted"), data.accepted, colours.blue),
          dataset(say("Rejected"), data.rejected, colours.vermillion),
        ],
      },
      options: {
        aspectRatio: 2,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
               title: { display: true, text: say("Inspections closed") } },
        },
      },
    }),
    stages: (data, colours) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset(say("Median days"), numbers(data.median), colours.skyBlue),
          dataset(say("90th percentile days"), numbers(data.p90), colours.orange),
        ],
      },
      options: {
        aspectRatio: 2,
        indexAxis: "y",
        scales: { x: { beginAtZero: true, title: { display: true, text: say("Days in stage") } } },
      },
    }),
    // Failures per characteristic, most first (the server's order), and the running share of all
    // failures on a second axis in per cent; the tooltips show the table's own texts.
    pareto: (data, colours) => ({
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            ...dataset(say("Failures"), data.counts, colours.blue),
            yAxisID: "y",
            order: 2,
          },
          {
            type: "line",
            label: say("Cumulative share of failures"),
            data: numbers(data.cumulative),
            borderColor: colours.vermillion,
            backgroundColor: colours.vermillion,
            borderWidth: 2,
            pointStyle: "rectRot",
            pointRadius: 5,
            yAxisID: "share",
            order: 1,
          },
        ],
      },
      options: {
        aspectRatio: 1.5,
        scales: {
          x: { title: { display: true, text: say("Characteristic") } },
          y: { beginAtZero: true, ticks: { precision: 0 },
               title: { display: true, text: say("Failures") } },
          share: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                   ticks: { callback: (value) => `${value}%` },
                   title: { display: true, text: say("Cumulative share") } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) =>
                item.datasetIndex === 1
                  ? say("Cumulative share: %(share)s", { share: `${data.cumulative[item.dataIndex]}%` })
                  : say("Failures: %(count)s", { count: data.counts[item.dataIndex] }),
            },
          },
        },
      },
    }),
  };

  function draw(root) {
    if (typeof Chart === "undefined" || !theme) {
      return;
    }
    const colours = theme.colours();
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
      const config = build(data, colours);
      config.options.animation = false;
      const plugins = config.options.plugins || {};
      config.options.plugins = { ...plugins, legend: { position: "bottom" } };
      theme.themed(config.options);
      new Chart(canvas, config);
      canvas.dataset.ready = "true"; // drawn (tests wait for it)
    });
  }

  // Deferred: the document is parsed by now. After an htmx swap of the period, draw again.
  draw(document);
  document.body.addEventListener("htmx:afterSettle", () => draw(document));
  if (theme) {
    theme.onChange(() => draw(document));
  }
})();
