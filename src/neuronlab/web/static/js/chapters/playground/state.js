// The playground's whole setup <-> the page address, so any setup is a shareable link.
//
// Keys are the `train` experiment's parameter names (seed included). Lists are written
// compactly: layers=8,8  activations=tanh,relu  features=x1,x2,x1x2  and the user's points as
// points=x1,x2,label;x1,x2,label (two decimals). Two view-only keys ride along: show_test and
// discretize. Values that do not fit the schema fall back to the defaults, so a hand-edited link
// can never break the page; the server validates everything again anyway.

const VIEW_KEYS = { show_test: true, discretize: false };

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

function parseItem(param, text) {
  if (param.type === "int" || param.type === "float") {
    const v = Number(text);
    if (text === "" || !Number.isFinite(v)) return undefined;
    const r = param.type === "int" ? Math.round(v) : v;
    return clamp(r, param.min, param.max);
  }
  if (param.type === "choice") return param.choices.includes(text) ? text : undefined;
  if (param.type === "bool") return text === "true" ? true : text === "false" ? false : undefined;
  return text;
}

export function encodePoints(points) {
  return points.map((p) => p.map((v) => +v.toFixed(2)).join(",")).join(";");
}

// param: the schema of `points` (a list of [x1, x2, label] lists on the plane [lo, hi]²).
export function decodePoints(text, param) {
  if (!text) return [];
  const { min: lo, max: hi } = param.item.item;
  const out = [];
  for (const row of text.split(";")) {
    const v = row.split(",").map(Number);
    if (v.length === 3 && v.every(Number.isFinite)) out.push(v.map((x, i) => (i < 2 ? clamp(x, lo, hi) : x)));
    if (out.length >= param.max_len) break;
  }
  return out;
}

function parseValue(param, text) {
  if (text === null || text === undefined) return undefined;
  if (param.name === "points") return decodePoints(text, param);
  if (param.type === "list") {
    const items = text === "" ? [] : text.split(",");
    const out = items.map((t) => parseItem(param.item, t)).filter((v) => v !== undefined);
    if (out.length !== items.length || out.length < param.min_len) return undefined;
    return out.slice(0, param.max_len);
  }
  return parseItem(param, text);
}

function formatValue(param, value) {
  if (param.name === "points") return encodePoints(value);
  if (param.type === "list") return value.join(",");
  return String(value);
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// schema: the `train` experiment's parameter schema (api.schema("train")).
export function playgroundState(state, schema) {
  const byName = Object.fromEntries(schema.map((p) => [p.name, p]));

  function read() {
    const values = {};
    for (const p of schema) {
      const v = parseValue(p, state.get(p.name, null));
      values[p.name] = v === undefined ? structuredClone(p.default) : v;
    }
    // one activation per hidden layer: pad with the last one, cut extras
    const acts = values.activations.length ? values.activations : [byName.activations.item.default];
    values.activations = values.layers.map((_, i) => acts[Math.min(i, acts.length - 1)]);
    const view = {};
    for (const [k, dflt] of Object.entries(VIEW_KEYS)) {
      const t = state.get(k, null);
      view[k] = t === null ? dflt : t === "true";
    }
    return { params: values, view };
  }

  function write(params, view) {
    const out = {};
    for (const [name, value] of Object.entries(params)) {
      const p = byName[name];
      if (!p) continue;
      // the seed is always written, so the link reproduces the run
      out[name] = same(value, p.default) && name !== "seed" ? null : formatValue(p, value);
    }
    for (const [k, dflt] of Object.entries(VIEW_KEYS)) out[k] = view[k] === dflt ? null : String(view[k]);
    state.set(out);
  }

  return { read, write, schema: byName };
}
