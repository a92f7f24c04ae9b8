// What the evaluation widgets share: the frame and readout of views/widget-frame.js with this
// chapter's CSS prefix, and the names of Adult's two classes.

import { frame as widgetFrame } from "../../views/widget-frame.js";

export { readout, showError } from "../../views/widget-frame.js";

export const CLASS_NAMES = ["≤ $50K", "> $50K"];

export const frame = (el, title) => widgetFrame(el, title, "ev");
