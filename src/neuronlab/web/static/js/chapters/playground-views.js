// The playground's pictures, wired to its frames: the decision map with the points, the network
// drawing with a thumbnail per neuron, the loss chart (with an early-stop marker), the numbers
// (loss, accuracy) and the confusion matrix. `draw(frame)` takes one frame of the `train` run.

import { colorBar, legend } from "../views/legend.js";
import { lineChart } from "../views/linechart.js";
import { networkGraph } from "../views/network.js";
import { toggle } from "../views/controls.js";
import { color, seriesColor } from "../palette.js";
import { confusionMatrix } from "../views/confusion.js";
import { classColor, decisionMap } from "../views/decision-map.js";
import { classNames } from "./playground-data.js";
import { FEATURE_LABELS } from "./playground-controls.js";

function fmt(v, digits = 3) {
  return v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toFixed(digits);
}

function pct(v) {
  return v === null || v === undefined || Number.isNaN(v) ? "–" : `${(100 * v).toFixed(1)}%`;
}

// networkParent: where the network drawing goes; outputParent: the output column.
export function playgroundViews(networkParent, outputParent, { view, onView, onMapClick }) {
  let net = null;
  let netKey = "";
  let setup = null; // the `data` part of the first frame: points, classes, problem, layers
  let selected = null; // [layer, index] of a neuron shown big, or null
  let lastFrame = null;
  let thumbs = null;
  const netCaption = document.createElement("p");
  netCaption.className = "pg-hint pg-net-caption";

  const numbers = document.createElement("div");
  numbers.className = "pg-numbers";
  numbers.setAttribute("aria-live", "polite");
  outputParent.appendChild(numbers);
  const chartBox = document.createElement("div");
  chartBox.className = "pg-chart";
  outputParent.appendChild(chartBox);
  const chart = lineChart(chartBox, { title: "Loss per epoch", xLabel: "epoch", yLabel: "loss", height: 150, yMin: 0 });
  legend(chartBox, [
    { label: "training loss", color: seriesColor(0), shape: "line" },
    { label: "test loss", color: seriesColor(1), shape: "line", dashed: true },
  ]);
  const mapBox = document.createElement("div");
  mapBox.className = "pg-map";
  outputParent.appendChild(mapBox);
  const caption = document.createElement("p");
  caption.className = "pg-map-caption";
  mapBox.appendChild(caption);
  const map = decisionMap(mapBox, { size: 380, label: "Decision boundary", onClick: (x1, x2) => onMapClick(x1, x2) });
  const legendBox = document.createElement("div");
  legendBox.className = "pg-legend";
  mapBox.appendChild(legendBox);
  const toggles = document.createElement("div");
  toggles.className = "pg-map-toggles";
  mapBox.appendChild(toggles);
  toggle(toggles, { id: "pg-show-test", label: "Show test data", checked: view.show_test, onChange: (v) => { view.show_test = v; onView(); redrawMap(); } });
  toggle(toggles, { id: "pg-discretize", label: "Discretize output", checked: view.discretize, onChange: (v) => { view.discretize = v; onView(); redrawMap(); } });
  const cmBox = document.createElement("div");
  cmBox.className = "pg-cm";
  outputParent.appendChild(cmBox);
  const cm = confusionMatrix(cmBox, { caption: "Test points: true class (rows) × predicted (columns)" });

  function buildLegend() {
    legendBox.replaceChildren();
    if (setup.problem === "regression") {
      colorBar(legendBox, { lo: -1, hi: 1, label: "predicted value" });
      return;
    }
    const names = classNames(setup.classes);
    const two = setup.classes <= 2;
    const items = names.map((label, k) => ({
      label: two ? `${label}: ${k === 1 ? "filled dots" : "rings"}` : label,
      color: classColor(k, setup.classes),
      shape: two && k === 0 ? "square" : "dot",
    }));
    items.push({ label: "test points: smaller, dark outline", color: color("text"), shape: "dot" });
    legend(legendBox, items);
  }

  function buildNetwork(d) {
    const out = d.problem === "classification" && d.classes > 2 ? d.classes : 1;
    const key = JSON.stringify([d.features, d.layers, out]);
    netCaption.textContent = `Inputs, top to bottom: ${d.features.map((f) => FEATURE_LABELS[f] || f).join(", ")}. ` +
      "Each square shows that neuron's output over the plane; click one to see it large in the output. " +
      "Links: blue positive, orange negative, thicker = larger weight.";
    networkParent.after(netCaption);
    if (key === netKey) return;
    if (net) net.destroy();
    netKey = key;
    net = networkGraph(networkParent, {
      width: Math.max(360, Math.min(900, networkParent.clientWidth - 12)),
      layers: [d.features.length, ...d.layers, out],
      inputLabels: d.features.map((f) => FEATURE_LABELS[f] || f),
      thumbnails: true,
      label: `Network ${[d.features.length, ...d.layers, out].join("-")}: links coloured by weight sign, thicker for larger weights`,
      onNodeClick(layer, index) {
        selected = selected && selected[0] === layer && selected[1] === index ? null : [layer, index];
        redrawMap();
      },
    });
  }

  function mapData() {
    const f = lastFrame;
    const base = { points: setup.points, showTest: view.show_test, discretize: view.discretize, problem: setup.problem, classes: setup.classes };
    const last = thumbs ? thumbs.length - 1 : 0;
    if (selected && thumbs && selected[0] < last && thumbs[selected[0]] && thumbs[selected[0]][selected[1]]) {
      const [l, i] = selected;
      caption.textContent = l === 0 ? `Showing the input ${FEATURE_LABELS[setup.features[i]]} — click it again for the output`
        : `Showing neuron ${i + 1} of hidden layer ${l} — click it again for the output`;
      return { ...base, grid: thumbs[l][i], probs: null, discretize: false };
    }
    caption.textContent = setup.problem === "regression" ? "The network's prediction over the plane" : "The network's prediction: colour = class, paler = less sure";
    return { ...base, grid: f.boundary, probs: f.probs || null };
  }

  function redrawMap() {
    if (lastFrame && setup) map.update(mapData());
  }

  function drawNumbers(f) {
    const cls = setup.problem === "classification";
    numbers.innerHTML =
      `<div><span>Training loss</span><b class="pg-train-loss">${fmt(f.train_loss)}</b></div>` +
      `<div><span>Test loss</span><b class="pg-test-loss">${fmt(f.test_loss)}</b></div>` +
      (cls ? `<div><span>Training accuracy</span><b class="pg-train-acc">${pct(f.train_accuracy)}</b></div>` +
        `<div><span>Test accuracy</span><b class="pg-test-acc">${pct(f.test_accuracy)}</b></div>` : "");
  }

  function drawChart(f) {
    const h = f.history;
    const series = [
      { name: "training loss", x: h.x, y: h.ys.train, color: seriesColor(0) },
      { name: "test loss", x: h.x, y: h.ys.test, color: seriesColor(1), dashed: true },
    ];
    // the stop is the curve's right end, so its line carries no label (it would be cut off)
    const markers = f.stopped ? [{ x: f.stopped.best_epoch, label: "best" }, { x: f.stopped.epoch, label: "" }] : [];
    chart.update(series, { markers });
  }

  return {
    map,
    draw(f) {
      if (f.data) {
        setup = f.data;
        buildNetwork(setup);
        buildLegend();
        selected = null;
      }
      if (!setup) return;
      lastFrame = f;
      if (f.neurons) {
        const out = f.probs || [f.boundary];
        thumbs = [...f.neurons, out];
      }
      redrawMap();
      map.setLabel(`Decision map at epoch ${f.epoch}: test loss ${fmt(f.test_loss)}` +
        (f.test_accuracy !== undefined ? `, test accuracy ${pct(f.test_accuracy)}` : ""));
      if (net) net.update({ weights: f.weights, biases: f.biases, thumbnails: thumbs });
      drawNumbers(f);
      drawChart(f);
      if (setup.problem === "classification" && f.confusion) cm.update(f.confusion, classNames(setup.classes).map((n) => n.split(" (")[0]));
      else cm.update(null, []);
    },
    destroy() {
      if (net) net.destroy();
      netCaption.remove();
      chart.destroy();
      map.destroy();
      cm.destroy();
    },
  };
}
