// Labelled, keyboard-operable controls: slider, select, toggle, button, and a schema builder.

import { h } from "../dom.js";

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;


/** The largest of 1, 2, 5 x 10^k not above raw (slider steps people can read). */
export function niceStep(raw) {
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [5, 2, 1].map((m) => m * mag).find((s) => s <= raw * (1 + 1e-9)) || mag;
}

function defaultFormat(step) {
  const digits = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
  return (v) => Number(v).toFixed(digits);
}

/** A range slider with a visible label and an <output>. `log`: the slider moves in log10 space. */
export function slider(parent, opts) {
  const { label, min, max, value, onInput } = opts;
  const step = opts.step ?? (max - min) / 100;
  const log = Boolean(opts.log) && min > 0;
  const format = opts.format || defaultFormat(log ? min : step);
  const id = opts.id || nextId("slider");
  const row = h("div", { class: "control" });
  const lab = h("label", { for: id }, label);
  const input = h("input", { type: "range", id });
  const out = h("output", { for: id, "aria-hidden": "true" });
  const toSlider = (v) => (log ? Math.log10(v) : v);
  const fromSlider = (s) => (log ? Number((10 ** s).toPrecision(3)) : Number(s));
  input.min = toSlider(min);
  input.max = toSlider(max);
  input.step = log ? (Math.log10(max) - Math.log10(min)) / 200 : step;
  let current = value;
  const show = () => {
    out.textContent = format(current);
    input.setAttribute("aria-valuetext", `${label} ${format(current)}`);
  };
  input.value = toSlider(value);
  show();
  input.addEventListener("input", () => {
    current = fromSlider(input.value);
    show();
    if (onInput) onInput(current);
  });
  row.append(lab, input, out);
  parent.append(row);
  return {
    el: row,
    input,
    get value() { return current; },
    set(v) { current = v; input.value = toSlider(v); show(); },
    setDisabled(d) { input.disabled = d; },
  };
}

/** A <select> with a label; options: [{value, label}] or plain strings. */
export function select(parent, { id, label, options, value, onChange }) {
  const sid = id || nextId("select");
  const row = h("div", { class: "control" });
  const lab = h("label", { for: sid }, label);
  const sel = h("select", { id: sid });
  for (const o of options) {
    const opt = typeof o === "object" ? o : { value: o, label: o };
    sel.append(h("option", { value: opt.value }, opt.label));
  }
  sel.value = value;
  sel.addEventListener("change", () => onChange && onChange(sel.value));
  row.append(lab, sel);
  parent.append(row);
  return {
    el: row,
    input: sel,
    get value() { return sel.value; },
    set(v) { sel.value = v; },
    setDisabled(d) { sel.disabled = d; },
  };
}

/** A checkbox with a label. */
export function toggle(parent, { id, label, checked, onChange }) {
  const tid = id || nextId("toggle");
  const row = h("div", { class: "control toggle" });
  const input = h("input", { type: "checkbox", id: tid });
  input.checked = Boolean(checked);
  const lab = h("label", { for: tid }, label);
  input.addEventListener("change", () => onChange && onChange(input.checked));
  row.append(input, lab);
  parent.append(row);
  return {
    el: row,
    input,
    get value() { return input.checked; },
    set(v) { input.checked = Boolean(v); },
    setDisabled(d) { input.disabled = d; },
  };
}

/** A button; kind "primary" or "secondary". */
export function button(parent, { label, onClick, kind = "secondary", ariaLabel, id }) {
  const b = h("button", { type: "button", class: `btn ${kind}`, "aria-label": ariaLabel, id }, label);
  b.addEventListener("click", () => onClick && onClick());
  parent.append(b);
  return b;
}

/** One control per parameter of an experiment's schema (int/float -> slider, choice -> select,
 * bool -> toggle). onChange(name, value, allValues). */
export function controlsFromSchema(parent, schema, values, onChange) {
  const controls = {};
  const all = { ...values };
  const box = h("div", { class: "controls" });
  parent.append(box);
  for (const p of schema) {
    const label = p.label || p.name;
    const changed = (v) => {
      all[p.name] = v;
      if (onChange) onChange(p.name, v, { ...all });
    };
    if (p.type === "int" || p.type === "float") {
      const step = p.type === "int" ? 1 : niceStep((p.max - p.min) / 100);
      controls[p.name] = slider(box, {
        label, min: p.min, max: p.max, step, value: all[p.name], log: p.log, onInput: changed,
      });
    } else if (p.type === "choice") {
      controls[p.name] = select(box, { label, options: p.choices, value: all[p.name], onChange: changed });
    } else if (p.type === "bool") {
      controls[p.name] = toggle(box, { label, checked: all[p.name], onChange: changed });
    }
    if (p.help && controls[p.name]) controls[p.name].el.title = p.help;  // the schema's help text
  }
  return {
    el: box,
    controls,
    values: () => ({ ...all }),
    set(vals) {
      for (const [k, v] of Object.entries(vals)) {
        all[k] = v;
        if (controls[k]) controls[k].set(v);
      }
    },
    destroy: () => box.remove(),
  };
}
