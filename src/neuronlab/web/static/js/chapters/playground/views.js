// The playground's pictures, wired to its frames: the network drawing with a thumbnail per neuron
// (hover a link for its weight, a neuron for its bias, click to edit either), the output column
// (the numbers, the output map with the points and axis ticks, the loss chart with an early-stop
// marker) and the confusion matrix. `draw(frame)` takes one frame of the `train` run.
//
// Frames before and after the validation split both draw: `history.ys.val`, `val_loss`,
// `val_accuracy`, the data frame's `n_val` and per-point `val` list, and `stopped.best_val_loss`
// are used when present.

import { fmt, h, pct } from "../../dom.js";
import { color, seriesColor } from "../../palette.js";
import { toggle } from "../../views/controls.js";
import { confusionMatrix } from "../../views/confusion.js";
import { classColor, decisionMap } from "../../views/decision-map.js";
import { colorBar, legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { networkGraph } from "../../views/network.js";
import { nameOf } from "./controls.js";
import { classNames } from "./data.js";

/** The network drawing's margins (its units), which the shape editor lines up with. */
export const NET_GEOMETRY = { padLeft: 48, padRight: 40 };

/** The drawing's width for a network box (its units are pixels at full size). */
export function netWidth(box) {
  return Math.max(300, Math.min(900, box.clientWidth - 8));
}

function outputColumn(parent, { view, onView, onMapClick }) {
  const numbers = h("div", { class: "pg-numbers", "aria-live": "polite" });
  const caption = h("p", { class: "pg-map-caption" });
  const mapBox = h("div", { class: "pg-map" }, caption);
  const chartBox = h("div", { class: "pg-chart" });
  parent.append(numbers, mapBox, chartBox);
  const map = decisionMap(mapBox, { size: 244, axes: true, label: "Output map", onClick: onMapClick });
  const legendBox = h("div", { class: "pg-legend" });
  const toggles = h("div", { class: "pg-map-toggles" });
  mapBox.append(legendBox, toggles);
  const chart = lineChart(chartBox, { title: "Loss per epoch", xLabel: "epoch", height: 100, yMin: 0 });
  const chartLegend = h("div");
  chartBox.append(chartLegend);
  const cmBox = h("div", { class: "pg-cm" });
  parent.append(cmBox);
  const cm = confusionMatrix(cmBox, { caption: "Test points: true class (rows) × predicted (columns)" });
  return { numbers, caption, map, legendBox, toggles, chart, chartLegend, cm };
}

// networkBox: where the network drawing goes; outputBox: the output column.
export function playgroundViews(networkBox, outputBox, { view, onView, onMapClick, onEdit }) {
  const out = outputColumn(outputBox, { view, onView, onMapClick });
  let net = null;
  let netKey = "";
  let setup = null; // the `data` part of the first frame: points, classes, problem, layers
  let selected = null; // [layer, index] of a neuron shown big, or null
  let lastFrame = null;
  let thumbs = null;
  let hasVal = false;
  toggle(out.toggles, { id: "pg-show-test", label: "Test points", checked: view.show_test,
    onChange: (v) => { view.show_test = v; onView(); redrawMap(); } });
  toggle(out.toggles, { id: "pg-discretize", label: "Discretize", checked: view.discretize,
    onChange: (v) => { view.discretize = v; onView(); redrawMap(); } });

  function buildLegends() {
    out.legendBox.replaceChildren();
    const split = [
      { label: "training: filled", color: color("muted"), shape: "square" },
      ...(hasVal ? [{ label: "validation: hollow", color: color("muted"), shape: "ring" }] : []),
      { label: "test: small, dark outline", color: color("text"), shape: "dot" },
    ];
    if (setup.problem === "regression") {
      colorBar(out.legendBox, { lo: -1, hi: 1, label: "predicted value" });
    } else {
      const names = classNames(setup.classes);
      legend(out.legendBox, names.map((label, k) => ({ label, color: classColor(k, setup.classes),
        shape: setup.classes <= 2 && k === 0 ? "square" : "dot" })));
    }
    legend(out.legendBox, split);
    out.chartLegend.replaceChildren();
    legend(out.chartLegend, [
      { label: "training", color: seriesColor(0), shape: "line" },
      ...(hasVal ? [{ label: "validation", color: seriesColor(2), shape: "line" }] : []),
      { label: "test", color: seriesColor(1), shape: "line", dashed: true },
    ]);
  }

  function buildNetwork(d) {
    const outputs = d.problem === "classification" && d.classes > 2 ? d.classes : 1;
    const shape = [d.features.length, ...d.layers, outputs];
    const key = JSON.stringify(shape);
    networkBox.dataset.layers = shape.join("-");
    if (key === netKey) return;
    if (net) net.destroy();
    netKey = key;
    const width = netWidth(networkBox);
    const tall = Math.max(...shape);
    net = networkGraph(networkBox, {
      width,
      height: Math.max(200, Math.min(460, 40 * tall + 30)),
      node: tall > 8 ? 26 : 30,
      ...NET_GEOMETRY,
      layers: shape,
      inputLabels: d.features.map(nameOf),
      thumbnails: true,
      label: `Network ${shape.join("-")}: links coloured by weight sign, thicker for larger weights`,
      onNodeClick(layer, index) {
        selected = selected && selected[0] === layer && selected[1] === index ? null : [layer, index];
        redrawMap();
      },
      onEdit,
    });
  }

  function mapData() {
    const f = lastFrame;
    const base = { points: setup.points, val: setup.val || null, showTest: view.show_test,
      discretize: view.discretize, problem: setup.problem, classes: setup.classes };
    const last = thumbs ? thumbs.length - 1 : 0;
    if (selected && thumbs && selected[0] < last && thumbs[selected[0]] && thumbs[selected[0]][selected[1]]) {
      const [l, i] = selected;
      out.caption.textContent = l === 0 ? `The input ${nameOf(setup.features[i])}; click it again for the output`
        : `Neuron ${i + 1} of hidden layer ${l}; click it again for the output`;
      return { ...base, grid: thumbs[l][i], probs: null, discretize: false };
    }
    out.caption.textContent = setup.problem === "regression" ? "Output: the prediction over the plane"
      : "Output: colour = class, paler = less sure";
    return { ...base, grid: f.boundary, probs: f.probs || null };
  }

  function redrawMap() {
    if (lastFrame && setup) out.map.update(mapData());
  }

  function drawNumbers(f) {
    const cls = setup.problem === "classification";
    const cell = (label, cls2, value) => h("div", {}, h("span", {}, label), h("b", { class: cls2 }, value));
    out.numbers.replaceChildren(
      cell("Train loss", "pg-train-loss", fmt(f.train_loss)),
      ...(hasVal ? [cell("Val. loss", "pg-val-loss", fmt(f.val_loss))] : []),
      cell("Test loss", "pg-test-loss", fmt(f.test_loss)),
      ...(cls ? [cell("Train acc.", "pg-train-acc", pct(f.train_accuracy)),
        ...(hasVal ? [cell("Val. acc.", "pg-val-acc", pct(f.val_accuracy))] : []),
        cell("Test acc.", "pg-test-acc", pct(f.test_accuracy))] : []),
    );
    out.numbers.classList.toggle("three", hasVal);
  }

  function drawChart(f) {
    const hist = f.history;
    const series = [{ name: "training loss", x: hist.x, y: hist.ys.train, color: seriesColor(0) }];
    if (hist.ys.val) series.push({ name: "validation loss", x: hist.x, y: hist.ys.val, color: seriesColor(2) });
    series.push({ name: "test loss", x: hist.x, y: hist.ys.test, color: seriesColor(1), dashed: true });
    // the stop is the curve's right end, so its line carries no label (it would be cut off)
    const markers = f.stopped ? [{ x: f.stopped.best_epoch, label: "best" }, { x: f.stopped.epoch, label: "" }] : [];
    out.chart.update(series, { markers });
  }

  return {
    map: out.map,
    draw(f) {
      if (f.data) {
        setup = f.data;
        hasVal = Boolean(setup.n_val || setup.val || (f.history && f.history.ys && f.history.ys.val));
        buildNetwork(setup);
        buildLegends();
        selected = null;
      }
      if (!setup) return;
      lastFrame = f;
      if (f.neurons) thumbs = [...f.neurons, f.probs || [f.boundary]];
      redrawMap();
      out.map.setLabel(`Output map at epoch ${f.epoch}: test loss ${fmt(f.test_loss)}` +
        (f.test_accuracy !== undefined ? `, test accuracy ${pct(f.test_accuracy)}` : ""));
      if (net) net.update({ weights: f.weights, biases: f.biases, thumbnails: thumbs });
      drawNumbers(f);
      drawChart(f);
      if (setup.problem === "classification" && f.confusion) {
        out.cm.update(f.confusion, classNames(setup.classes).map((n) => n.split(" (")[0]));
      } else out.cm.update(null, []);
    },
    destroy() {
      if (net) net.destroy();
      out.chart.destroy();
      out.map.destroy();
      out.cm.destroy();
    },
  };
}
