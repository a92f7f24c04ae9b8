// The untouched test set: a live run trains 16 configurations per repeat; the table marks the
// winner by test accuracy and the winner by validation accuracy; the readout shows the optimism.

import { fmt, h } from "../../dom.js";
import { button, slider } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { seriesColor } from "../../palette.js";
import { dataTable } from "../../views/table.js";
import { frame, readout } from "./shared.js";

export async function untouchedWidget(el, api, state) {
  const { body, status } = frame(el, "Tuning on the test set against a validation set");
  const buttons = h("div", { class: "buttons" });
  const controls = h("div", { class: "controls" });
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  const tableBox = h("div", { class: "ev-table" });
  body.append(controls, buttons, tableBox, row);
  const progress = h("p", { class: "widget-note", "aria-live": "polite" });
  const table = dataTable(tableBox, { caption: "This repeat's configurations (accuracy)" });
  const numbers = readout(left, "Optimism");
  legend(right, [{ label: "winner picked on the test set", color: seriesColor(0) },
    { label: "winner picked on validation", color: seriesColor(1) }]);
  const chart = lineChart(right, { title: "Reported minus fresh accuracy, per repeat", xLabel: "repeat", yLabel: "points", height: 180 });
  left.append(progress);
  const values = { repeats: state.getNumber("repeats", 8) };
  slider(controls, { id: "ev-repeats", label: "Repeats", min: 1, max: 20, step: 1, value: values.repeats,
    onInput: (v) => { values.repeats = v; state.set({ repeats: v === 8 ? null : v }); } });
  let run = null;
  const start = button(buttons, { id: "ev-untouched-start", label: "Run the experiment", kind: "primary", onClick: () => go() });
  const stop = button(buttons, { id: "ev-untouched-stop", label: "Stop", onClick: () => halt() });
  stop.disabled = true;

  function draw(f) {
    const winners = f.results.length ? f.results[f.results.length - 1] : null;
    const complete = winners && f.rows.length === f.configs.length;
    const picked = (i) => {
      if (!complete) return "";
      const byTest = i === winners.test_tuned.config, byVal = i === winners.val_tuned.config;
      return byTest && byVal ? "both" : byTest ? "test" : byVal ? "validation" : "";
    };
    table.update(["width", "weight decay", "lr", "init", "validation", "test", "fresh", "picked by"],
      f.rows.map((r, i) => [...r, picked(i)]), {
        format: (v, j) => (j <= 3 || j === 7 ? String(v) : fmt(v, 3)),
        highlight: (i) => winners && f.rows.length === f.configs.length && (i === winners.test_tuned.config || i === winners.val_tuned.config),
      });
    progress.textContent = `repeat ${Math.min(f.repeat + 1, f.repeats)} of ${f.repeats}: ${f.rows.length} of ${f.configs.length} configurations trained`;
    if (f.results.length) {
      const pts = (o) => `${o >= 0 ? "+" : ""}${fmt(100 * o, 1)} points`;
      numbers.set([
        ["reported − fresh, winner on test", pts(f.optimism.test_tuned)],
        ["reported − fresh, winner on validation", pts(f.optimism.val_tuned)],
        ["5-fold estimate − fresh", pts(f.cv_gap)],
        ["repeats done", String(f.results.length)],
      ]);
      const xs = f.results.map((_, i) => i + 1);
      chart.update([
        { name: "tuned on test", color: seriesColor(0), x: xs, y: f.results.map((r) => 100 * (r.test_tuned.reported - r.test_tuned.fresh)) },
        { name: "tuned on validation", color: seriesColor(1), x: xs, y: f.results.map((r) => 100 * (r.val_tuned.reported - r.val_tuned.fresh)) },
      ]);
    }
  }

  function halt() {
    if (run) run.stop();
    run = null;
    start.disabled = false;
    stop.disabled = true;
    el.dataset.state = "stopped";
  }

  function go() {
    if (run) run.stop();
    start.disabled = true;
    stop.disabled = false;
    el.dataset.state = "running";
    status.textContent = "";
    run = api.live("untouched_test", { repeats: values.repeats }, {
      onFrame: (f) => draw(f),
      onEnd(info) {
        if (el.dataset.state === "stopped") return;
        start.disabled = false;
        stop.disabled = true;
        el.dataset.state = info.reason;
        if (info.reason === "error") status.textContent = info.error || "the run failed";
      },
      onError(message) { status.textContent = message; },
    });
  }

  return { destroy() { if (run) run.stop(); chart.destroy(); el.replaceChildren(); } };
}
