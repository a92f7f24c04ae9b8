// What the responsibility widgets share: the frame and readout of views/widget-frame.js with this
// chapter's CSS prefix, and differences written as percentage points.

import { frame as widgetFrame } from "../../views/widget-frame.js";

export { readout, showError } from "../../views/widget-frame.js";

export const frame = (el, title) => widgetFrame(el, title, "rs");

export const pts = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} points`;
