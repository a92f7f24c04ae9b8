// The sequence widgets: train a character model live, the shipped models, attention maps for a
// typed word, and next-letter accuracy against context.

import { latestOnly } from "../../api.js";
import { clear, fmt, h, pct } from "../../dom.js";
import { select, slider } from "../../views/controls.js";
import { picture } from "../../views/images.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { seriesColor } from "../../palette.js";
import { liveRunner } from "../../views/runner.js";
import { tableView } from "../../views/table.js";

const KINDS = [
  { value: "rnn", label: "plain RNN" },
  { value: "lstm", label: "LSTM" },
  { value: "transformer", label: "Transformer" },
];

/** Train a character model live; invented words appear as it learns. */
export function wordsTrain(slot, api) {
  const values = { kind: "lstm", epochs: 6, learning_rate: 0.005 };
  slot.append(h("h3", {}, "Train a character model on 3,600 words"));
  const controls = h("div", { class: "controls" });
  slot.append(controls);
  select(controls, { label: "Model", options: KINDS, value: values.kind, onChange: (v) => { values.kind = v; } });
  slider(controls, { label: "Epochs", min: 1, max: 30, step: 1, value: values.epochs, onInput: (v) => { values.epochs = v; } });
  slider(controls, { label: "Learning rate", min: 0.0005, max: 0.05, log: true, value: values.learning_rate,
    onInput: (v) => { values.learning_rate = v; } });
  const readout = h("p", { class: "ar-readout", "data-testid": "words-readout", "aria-live": "polite" }, "Not trained yet.");
  const runner = liveRunner(slot, api, "train_words", {
    host: slot,
    params: () => ({ ...values }),
    describe: (f) => `step ${f.step} of ${f.total_steps}`,
    onFrame: draw,
  });
  const layout = h("div", { class: "ar-two" });
  const left = h("div", {});
  const samples = h("div", { class: "ar-samples", "data-testid": "samples" });
  layout.append(left, samples);
  slot.append(readout, layout);
  const chart = lineChart(left, { title: "Nats per character (lower is better)", xLabel: "step", yLabel: "nats", height: 220 });
  legend(left, [
    { label: "training", color: seriesColor(0) }, { label: "validation", color: seriesColor(1) },
    { label: "unigram counts", color: seriesColor(2), dashed: true }, { label: "bigram counts", color: seriesColor(3), dashed: true },
  ]);

  function draw(f) {
    const c = f.curves;
    chart.update([
      { name: "training", x: c.x, y: c.ys.train },
      { name: "validation", x: c.x, y: c.ys.validation },
      { name: "unigram counts", x: c.x, y: c.ys.unigram, dashed: true },
      { name: "bigram counts", x: c.x, y: c.ys.bigram, dashed: true },
    ]);
    readout.textContent = `${f.model}, ${f.parameters.toLocaleString()} weights · step ${f.step} of ${f.total_steps} · ` +
      `${fmt(f.nats)} nats per character on unseen words (bigram counts ${fmt(f.bigram)}, unigram ${fmt(f.unigram)})`;
    clear(samples).append(h("p", { class: "view-title" }, "Invented words, newest first"),
      h("dl", {}, [...f.samples].reverse().flatMap((s) => [h("dt", {}, `step ${s.step}`), h("dd", {}, s.words.join(" · "))])));
  }
  return () => { runner.destroy(); chart.destroy(); };
}

/** The shipped character models and their invented words. */
export async function wordsModels(slot, api) {
  slot.append(h("h3", {}, "The trained models"));
  const r = await api.run("sequence_models", { n_samples: 8 });
  slot.append(tableView(r.models, "words-models"),
    h("dl", { class: "ar-samples" }, KINDS.flatMap((k) => [h("dt", {}, k.label), h("dd", {}, r.samples[k.value].join(" · "))])));
  return null;
}

function attentionMap(grid, tokens, label) {
  const size = Math.max(120, Math.min(220, tokens.length * 22));
  const canvas = picture(grid, { size, label });
  const cols = h("div", { class: "att-cols" }, tokens.map((t) => h("span", {}, t === "<bos>" ? "▸" : t)));
  const rows = h("div", { class: "att-rows" }, tokens.map((t) => h("span", {}, t === "<bos>" ? "▸" : t)));
  cols.style.width = `${size}px`;
  rows.style.height = `${size}px`;
  return h("figure", { class: "att-map" }, h("figcaption", {}, label),
    h("div", { class: "att-grid" }, h("span", {}), cols, rows, canvas));
}

/** Type a word: the attention of every head of every layer of the shipped Transformer. */
export function attention(slot, api) {
  slot.append(h("h3", {}, "Where the Transformer looks"));
  const input = h("input", { type: "text", id: "attention-word", value: "learning", maxlength: "40", autocomplete: "off", spellcheck: "false" });
  slot.append(h("div", { class: "control" }, h("label", { for: "attention-word" }, "Word"), input));
  const note = h("p", { class: "widget-note", "data-testid": "attention-note", "aria-live": "polite" });
  const nextOut = h("p", { class: "ar-readout", "data-testid": "attention-next" });
  const maps = h("div", { class: "att-layers" });
  slot.append(note, nextOut, maps);
  const show = latestOnly(async (word) => {
    const r = await api.run("attention", { word });
    note.textContent = r.note ? `${r.note[0].toUpperCase()}${r.note.slice(1)}.` : "";
    nextOut.textContent = `After “${r.word}” the model expects: ` +
      r.next.map(([t, p]) => `${t} ${pct(p, 0)}`).join(", ");
    maps.replaceChildren(...r.maps.rows.map((row) => h("div", { class: "att-layer" },
      row.grids.map((g, head) => attentionMap(g, r.tokens, `${row.label}, head ${head + 1}`)))));
    slot.dataset.updates = String(Number(slot.dataset.updates || 0) + 1);
  });
  input.addEventListener("input", () => show(input.value));
  show(input.value);
  return null;
}

/** Next-letter accuracy of the shipped models when they may read only the last k characters. */
export async function context(slot, api) {
  slot.append(h("h3", {}, "How much context helps"));
  const chart = lineChart(slot, { title: "Next-letter accuracy on unseen words", xLabel: "characters of context", yLabel: "accuracy", height: 220, yMin: 0 });
  const r = await api.run("context", {});
  chart.update(Object.entries(r.accuracy.ys).map(([name, y]) => ({ name, x: r.accuracy.x, y, dashed: name === "bigram" })));
  legend(slot, Object.keys(r.accuracy.ys).map((name, i) => ({ label: name, color: seriesColor(i), dashed: name === "bigram" })));
  return () => chart.destroy();
}
