// A 28x28 drawing pad: white ink on black, as in Fashion-MNIST. Mouse, pen and touch through
// pointer events; onChange(pixels) gets the 784 values in [0, 1] (row by row) while drawing.

import { h } from "../../dom.js";

const N = 28;

export function drawPad(parent, { size = 224, onChange } = {}) {
  const pixels = new Float32Array(N * N);
  const canvas = h("canvas", {
    class: "drawpad", width: String(N), height: String(N), tabindex: "0",
    role: "img", "aria-label": "Drawing pad, 28 by 28 pixels: draw with the mouse, a pen or a finger",
  });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  parent.append(canvas);
  const ctx = canvas.getContext("2d");
  let down = false;
  let last = null;

  function paint() {
    const img = ctx.createImageData(N, N);
    for (let i = 0; i < pixels.length; i++) {
      const v = Math.round(pixels[i] * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }

  // A soft round brush about 2.5 pixels wide, added to what is there (capped at 1).
  function dab(x, y) {
    for (let r = Math.floor(y - 2); r <= Math.ceil(y + 2); r++) {
      for (let c = Math.floor(x - 2); c <= Math.ceil(x + 2); c++) {
        if (r < 0 || c < 0 || r >= N || c >= N) continue;
        const d2 = (r + 0.5 - y) ** 2 + (c + 0.5 - x) ** 2;
        const ink = Math.max(0, 1 - d2 / 2.6);
        pixels[r * N + c] = Math.min(1, pixels[r * N + c] + ink);
      }
    }
  }

  function stroke(event) {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * N;
    const y = ((event.clientY - box.top) / box.height) * N;
    const from = last || { x, y };
    const steps = Math.max(1, Math.ceil(Math.hypot(x - from.x, y - from.y) / 0.5));
    for (let s = 1; s <= steps; s++) dab(from.x + ((x - from.x) * s) / steps, from.y + ((y - from.y) * s) / steps);
    last = { x, y };
    paint();
    if (onChange) onChange(Array.from(pixels));
  }

  canvas.addEventListener("pointerdown", (e) => {
    down = true;
    last = null;
    try {
      canvas.setPointerCapture(e.pointerId);  // keep the stroke when the pointer leaves the pad
    } catch {
      // a pointer the browser does not track (a synthetic event) cannot be captured; draw anyway
    }
    stroke(e);
    e.preventDefault();
  });
  canvas.addEventListener("pointermove", (e) => { if (down) stroke(e); });
  const up = () => { down = false; last = null; };
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  paint();

  return {
    el: canvas,
    pixels: () => Array.from(pixels),
    set(values) {
      pixels.set(values);
      paint();
      if (onChange) onChange(Array.from(pixels));
    },
    clear() {
      pixels.fill(0);
      paint();
      if (onChange) onChange(Array.from(pixels));
    },
  };
}
