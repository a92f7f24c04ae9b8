// Colours from the CSS variables (Okabe-Ito, colour-blind safe) and a diverging colour map.

const cache = new Map();

/** A CSS variable's colour, e.g. color("--c-pos") or color("pos"). */
export function color(name) {
  const key = name.startsWith("--") ? name : `--c-${name}`;
  if (!cache.has(key)) {
    const v = getComputedStyle(document.documentElement).getPropertyValue(key).trim();
    cache.set(key, v || "#000000");
  }
  return cache.get(key);
}

export function rgb(hex) {
  const h = hex.replace("#", "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

let stops = null;
function diverStops() {
  if (!stops) stops = [rgb(color("neg")), rgb(color("mid")), rgb(color("pos"))];
  return stops;
}

/** t in [-1, 1] -> [r, g, b]: orange at -1, near white at 0, blue at +1. */
export function diverging(t) {
  const [neg, mid, pos] = diverStops();
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const [a, b, s] = x < 0 ? [mid, neg, -x] : [mid, pos, x];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
}

/** A 256-entry lookup table of diverging colours for values mapped to 0..255. */
export function divergingTable() {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) table.set(diverging((i / 255) * 2 - 1), i * 3);
  return table;
}

const SERIES = ["s1", "s2", "s3", "s4", "s5", "s6"];
export const seriesColor = (i) => color(SERIES[i % SERIES.length]);
