// The individuals (SPC) chart on the trends page, drawn with Chart.js from the page's
// <script type="application/json" id="spc-data">. No inline script or style: strict CSP.
// Numbers arrive as the server's Decimal text and are parsed here only for drawing; the page's
// stats panel and table show the exact text.
(() => {
  const source = document.getElementById("spc-data");
  const canvas = document.getElementById("spc-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const points = data.points || [];
  if (!points.length) {
    return;
  }

  // Okabe–Ito colours (safe for the common colour-vision deficiencies); every meaning also has
  // its own shape or dash pattern, so nothing depends on colour alone.
  const COLOURS = {
    value: "#0072B2",
    outOfControl: "#D55E00",
    outOfSpec: "#CC79A7",
    centre: "#009E73",
    control: "#E69F00",
    spec: "#CC79A7",
  };
  const LINE_STYLES = {
    centre: { color: COLOURS.centre, dash: [] },
    ucl: { color: COLOURS.control, dash: [10, 5] },
    lcl: { color: COLOURS.control, dash: [4, 4] },
    usl: { color: COLOURS.spec, dash: [2, 3] },
    lsl: { color: COLOURS.spec, dash: [8, 3, 2, 3] },
  };

  const markerStyle = (point) => {
    if (point.outOfControl && point.outOfSpec) {
      return { shape: "star", colour: COLOURS.outOfControl, radius: 8 };
    }
    if (point.outOfControl) {
      return { shape: "triangle", colour: COLOURS.outOfControl, radius: 7 };
    }
    if (point.outOfSpec) {
      return { shape: "rectRot", colour: COLOURS.outOfSpec, radius: 7 };
    }
    return { shape: "circle", colour: COLOURS.value, radius: 3 };
  };
  const markers = points.map(markerStyle);

  const datasets = [
    {
      label: "Recorded value",
      data: points.map((point) => Number.parseFloat(point.value)),
      borderColor: COLOURS.value,
      backgroundColor: markers.map((marker) => marker.colour),
      pointBorderColor: markers.map((marker) => marker.colour),
      pointStyle: markers.map((marker) => marker.shape),
      pointRadius: markers.map((marker) => marker.radius),
      pointHoverRadius: markers.map((marker) => marker.radius + 2),
      borderWidth: 1.5,
      tension: 0,
      order: 0,
    },
  ];
  for (const line of data.lines || []) {
    const style = LINE_STYLES[line.key];
    const level = Number.parseFloat(line.value);
    datasets.push({
      label: line.label,
      data: points.map(() => level),
      borderColor: style.color,
      backgroundColor: "transparent",
      borderDash: style.dash,
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 0,
      tension: 0,
      order: 1,
    });
  }
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
    ["Beyond a control limit", "triangle", (p) => p.outOfControl && !p.outOfSpec],
    ["Outside the spec", "rectRot", (p) => p.outOfSpec && !p.outOfControl],
    ["Beyond a control limit and outside the spec", "star", (p) => p.outOfControl && p.outOfSpec],
  ];
  for (const [label, shape, applies] of markerLegend) {
    const point = points.find(applies);
    if (point) {
      datasets.push(legendMarker(label, markerStyle(point).colour, shape));
    }
  }

  const valuePoint = (chart, event) =>
    chart
      .getElementsAtEventForMode(event, "nearest", { intersect: true }, true)
      .find((element) => element.datasetIndex === 0);

  new window.Chart(canvas, {
    type: "line",
    data: { labels: points.map((point) => point.label), datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", intersect: true },
      scales: {
        x: { title: { display: true, text: "Inspection (request date · id)" } },
        y: { title: { display: true, text: "Recorded value" } },
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
            label: (item) => {
              const point = points[item.dataIndex];
              return point.flags ? `${point.text} (${point.flags})` : point.text;
            },
            footer: () => "Click to open the inspection",
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
    },
  });
  canvas.dataset.ready = "true"; // drawn (tests wait for it); Chart.getChart(canvas) finds it
})();
