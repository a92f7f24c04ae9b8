// A 28x28 drawing pad: draw with the mouse, a pen or a finger; strokes are soft, as the
// Fashion-MNIST images are. `values()` gives the 784 pixels in [0, 1], row by row.

import { h } from "../../dom.js";

export function drawingPad(parent, { size = 196, onChange } = {}) {
  const pixels = new Float32Array(28 * 28);
  const canvas = h("canvas", { class: "px-pad", width: 28, height: 28, role: "img",
    "aria-label": "drawing pad, 28 by 28 pixels", "data-testid": "pad" });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  parent.append(canvas);
  const ctx = canvas.getContext("2d");
  let down = false;

  function redraw() {
    const img = ctx.createImageData(28, 28);
    for (let i = 0; i < pixels.length; i++) {
      const c = Math.round(255 * pixels[i]);
      img.data.set([c, c, c, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }

  function ink(event) {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * 28;
    const y = ((event.clientY - box.top) / box.height) * 28;
    for (let r = Math.floor(y) - 2; r <= Math.floor(y) + 2; r++) {
      for (let c = Math.floor(x) - 2; c <= Math.floor(x) + 2; c++) {
        if (r < 0 || r > 27 || c < 0 || c > 27) continue;
        const d2 = (r + 0.5 - y) ** 2 + (c + 0.5 - x) ** 2;
        pixels[r * 28 + c] = Math.min(1, pixels[r * 28 + c] + Math.exp(-d2 / 1.6));
      }
    }
    redraw();
  }

  canvas.addEventListener("pointerdown", (e) => { down = true; canvas.setPointerCapture(e.pointerId); ink(e); });
  canvas.addEventListener("pointermove", (e) => { if (down) ink(e); });
  const end = () => { if (down && onChange) onChange(); down = false; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  redraw();
  return {
    el: canvas,
    values: () => Array.from(pixels, (v) => Math.round(v * 1000) / 1000),
    empty: () => pixels.every((v) => v === 0),
    load(grid) { pixels.set(grid.data); redraw(); },
    clear() { pixels.fill(0); redraw(); },
  };
}
