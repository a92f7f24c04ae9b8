// Widgets built only where the reader is: each [data-widget] element of a chapter gets its widget
// once it has been near the screen for a moment, and the widgets fetch their first results one
// after the other (the server runs a few quick experiments at a time, and the first ones may
// train a model). The text shows at once, the numbers follow where the reader is, and nothing
// more is asked once the reader has left.
//
//   const widgets = lazyWidgets(root, api, state, [["thresholds", thresholdWidget], ...]);
//   widgets.destroy();   // in unmount(): queued work is dropped, built widgets destroyed
//
// A widget maker is `make(element, api, state) -> Promise<{destroy()}>`.

const DWELL_MS = 400; // a reader flicking through the tour does not start any computation

export function lazyWidgets(root, api, state, makers, { dwell = DWELL_MS } = {}) {
  const built = [];
  let alive = true;
  let queue = Promise.resolve();
  const byElement = new Map();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      const make = byElement.get(entry.target);
      const pause = new Promise((resolve) => setTimeout(resolve, dwell));
      queue = queue.then(() => pause).then(() => {
        if (!alive) return null;
        const widget = make(entry.target, api, state);
        built.push(widget);
        return widget.catch(() => null);
      });
    }
  }, { rootMargin: "300px 0px" });
  for (const [name, make] of makers) {
    const el = root.querySelector(`[data-widget="${name}"]`);
    if (!el) continue;
    byElement.set(el, make);
    observer.observe(el);
  }
  return {
    destroy() {
      alive = false;
      observer.disconnect();
      for (const widget of built) widget.then((w) => w && w.destroy()).catch(() => null);
      built.length = 0;
    },
  };
}
