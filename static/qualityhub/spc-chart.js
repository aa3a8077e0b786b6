// The individuals (SPC) chart on the trends page and the moving-range chart under it, drawn with
// Chart.js from the page's <script type="application/json" id="spc-data">. No inline script or
// style: strict CSP. Numbers arrive as the server's Decimal text and are parsed here only for
// drawing; the page's stats panel and table show the exact text. Colours come from
// chart-theme.js, and both charts are drawn again when the colour mode changes.
(() => {
  const source = document.getElementById("spc-data");
  const canvas = document.getElementById("spc-chart");
  const rangeCanvas = document.getElementById("mr-chart");
  const theme = window.QualityHubChartTheme;
  if (!source || !canvas || typeof window.Chart === "undefined" || !theme) {
    return;
  }
  const say = (english, values) => theme.say(english, values);
  const data = JSON.parse(source.textContent);
  const points = data.points || [];
  if (!points.length) {
    return;
  }

  // Okabe–Ito colours (safe for the common colour-vision deficiencies) in the colour mode's
  // variant; every meaning also has its own shape or dash pattern, so nothing depends on colour
  // alone.
  const palette = () => {
    const colours = theme.colours();
    return {
      value: colours.blue,
      outOfControl: colours.vermillion,
      outOfSpec: colours.purple,
      centre: colours.green,
      control: colours.orange,
      spec: colours.purple,
    };
  };
  const LINE_STYLES = {
    centre: { colour: "centre", dash: [] },
    ucl: { colour: "control", dash: [10, 5] },
    lcl: { colour: "control", dash: [4, 4] },
    usl: { colour: "spec", dash: [2, 3] },
    lsl: { colour: "spec", dash: [8, 3, 2, 3] },
    mr_bar: { colour: "centre", dash: [] },
    mr_ucl: { colour: "control", dash: [10, 5] },
  };

  const markerStyle = (point, colours) => {
    if (point.outOfControl && point.outOfSpec) {
      return { shape: "star", colour: colours.outOfControl, radius: 8 };
    }
    if (point.outOfControl) {
      return { shape: "triangle", colour: colours.outOfControl, radius: 7 };
    }
    if (point.outOfSpec) {
      return { shape: "rectRot", colour: colours.outOfSpec, radius: 7 };
    }
    return { shape: "circle", colour: colours.value, radius: 3 };
  };
  const rangeMarkerStyle = (point, colours) =>
    point.rangeAboveUcl
      ? { shape: "triangle", colour: colours.outOfControl, radius: 7 }
      : { shape: "circle", colour: colours.value, radius: 3 };

  // The series of recorded values (or moving ranges), each point marked by `style`.
  const series = (label, values, styles, colours) => ({
    label,
    data: values,
    borderColor: colours.value,
    backgroundColor: styles.map((marker) => marker.colour),
    pointBorderColor: styles.map((marker) => marker.colour),
    pointStyle: styles.map((marker) => marker.shape),
    pointRadius: styles.map((marker) => marker.radius),
    pointHoverRadius: styles.map((marker) => marker.radius + 2),
    borderWidth: 1.5,
    tension: 0,
    order: 0,
  });
  // A horizontal line (centre, control or spec limit) across every point.
  const level = (line, colours) => {
    const style = LINE_STYLES[line.key];
    const value = Number.parseFloat(line.value);
    return {
      label: line.label,
      data: points.map(() => value),
      borderColor: colours[style.colour],
      backgroundColor: "transparent",
      borderDash: style.dash,
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 0,
      tension: 0,
      order: 1,
    };
  };
  // A marker drawn once into a small canvas: the legend stretches its own shapes to the
  // width of the line samples, but draws an image as it is.
  const markerImage = (shape, colour) => {
    const image = document.createElement("canvas");
    image.width = 18;
    image.height = 18;
    const context = image.getContext("2d");
    context.fillStyle = colour;
    context.strokeStyle = colour;
    const style = { pointStyle: shape, radius: 6, borderWidth: 1.5, rotation: 0 };
    window.Chart.helpers.drawPoint(context, style, 9, 9);
    return image;
  };
  // Legend entries only, explaining the special markers (they carry no data).
  const legendMarker = (label, colour, shape) => ({
    label,
    data: [],
    borderColor: colour,
    backgroundColor: colour,
    pointStyle: shape,
    pointRadius: 7,
    showLine: false,
    legendMarker: true,
  });
  const markerLegend = [
    [say("Beyond a control limit"), "triangle", (p) => p.outOfControl && !p.outOfSpec],
    [say("Outside the spec"), "rectRot", (p) => p.outOfSpec && !p.outOfControl],
    [say("Beyond a control limit and outside the spec"), "star", (p) => p.outOfControl && p.outOfSpec],
  ];

  const individualsDatasets = (colours) => {
    const datasets = [
      series(
        say("Recorded value"),
        points.map((point) => Number.parseFloat(point.value)),
        points.map((point) => markerStyle(point, colours)),
        colours,
      ),
      ...(data.lines || []).map((line) => level(line, colours)),
    ];
    for (const [label, shape, applies] of markerLegend) {
      const point = points.find(applies);
      if (point) {
        datasets.push(legendMarker(label, markerStyle(point, colours).colour, shape));
      }
    }
    return datasets;
  };

  const rangeDatasets = (colours) => {
    const datasets = [
      series(
        say("Moving range"),
        points.map((point) => (point.range === null ? null : Number.parseFloat(point.range))),
        points.map((point) => rangeMarkerStyle(point, colours)),
        colours,
      ),
      ...(data.rangeLines || []).map((line) => level(line, colours)),
    ];
    const flagged = points.find((point) => point.rangeAboveUcl);
    if (flagged) {
      datasets.push(legendMarker(say("Above the MR UCL"), colours.outOfControl, "triangle"));
    }
    return datasets;
  };

  const valuePoint = (chart, event) =>
    chart
      .getElementsAtEventForMode(event, "nearest", { intersect: true }, true)
      .find((element) => element.datasetIndex === 0);

  // Options both charts share: the legend explaining lines and markers, tooltips on the values
  // only, and a click on a point opening its inspection.
  const options = (yTitle, tooltipText) => ({
    animation: false,
    responsive: true,
    interaction: { mode: "nearest", intersect: true },
    scales: {
      x: { title: { display: true, text: say("Inspection (request date · id)") } },
      y: { title: { display: true, text: yTitle } },
    },
    plugins: {
      legend: {
        position: "bottom",
        labels: {
          usePointStyle: true,
          pointStyleWidth: 36,
          // Lines show their colour and dash; the marker entries show their shape.
          generateLabels: (current) =>
            window.Chart.defaults.plugins.legend.labels.generateLabels(current).map((item) => {
              const dataset = current.data.datasets[item.datasetIndex];
              const colours = { fillStyle: dataset.borderColor, strokeStyle: dataset.borderColor };
              if (dataset.legendMarker) {
                const image = markerImage(dataset.pointStyle, dataset.borderColor);
                return { ...item, ...colours, pointStyle: image, lineDash: [] };
              }
              const dash = dataset.borderDash || [];
              return { ...item, ...colours, pointStyle: "line", lineDash: dash, lineWidth: 2 };
            }),
        },
      },
      tooltip: {
        filter: (item) => item.datasetIndex === 0,
        callbacks: {
          label: (item) => tooltipText(points[item.dataIndex]),
          footer: () => say("Click to open the inspection"),
        },
      },
    },
    onHover: (event, elements, current) => {
      const hit = event.native ? valuePoint(current, event.native) : undefined;
      current.canvas.style.cursor = hit ? "pointer" : "default";
    },
    onClick: (event, elements, current) => {
      const hit = event.native ? valuePoint(current, event.native) : undefined;
      if (hit) {
        window.location.assign(points[hit.index].url);
      }
    },
  });

  const labels = points.map((point) => point.label);

  const drawOne = (target, datasets, chartOptions) => {
    const previous = window.Chart.getChart(target);
    if (previous) {
      previous.destroy();
    }
    new window.Chart(target, {
      type: "line",
      data: { labels, datasets },
      options: theme.themed(chartOptions),
    });
    target.dataset.ready = "true"; // drawn (tests wait for it); Chart.getChart(target) finds it
  };

  const draw = () => {
    const colours = palette();
    const individuals = options(say("Recorded value"), (point) =>
      point.flags ? `${point.text} (${point.flags})` : point.text,
    );
    individuals.maintainAspectRatio = false; // the box around the canvas sets its shape
    drawOne(canvas, individualsDatasets(colours), individuals);
    if (rangeCanvas && data.rangeLines) {
      const ranges = options(say("Moving range"), (point) =>
        point.rangeAboveUcl ? say("%(range)s (above the MR UCL)", { range: point.rangeText }) : point.rangeText,
      );
      ranges.aspectRatio = 4;
      ranges.scales.y.beginAtZero = true; // a range is never negative: its lower limit is 0
      drawOne(rangeCanvas, rangeDatasets(colours), ranges);
    }
  };

  draw();
  theme.onChange(draw);
})();
