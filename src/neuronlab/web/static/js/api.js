// The lab's client: JSON routes and the live-run WebSocket (docs/lab-architecture.md, B).

export class ApiError extends Error {
  constructor(message, { status = 0, param = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.param = param;
  }
}

async function request(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new ApiError(`The lab server cannot be reached (${err.message}). Is it still running?`);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data && data.error) || `${method} ${url} failed with status ${response.status}`;
    throw new ApiError(message, { status: response.status, param: data && data.param });
  }
  return data;
}

/** A grid from the server ({kind: "grid", w, h, lo, hi, extent, data: base64 uint8}) decoded
 * into {w, h, lo, hi, extent, data: Float32Array} with values back in [lo, hi]. */
export function decodeGrid(g) {
  const bytes = atob(g.data);
  const out = new Float32Array(bytes.length);
  const scale = (g.hi - g.lo) / 255;
  for (let i = 0; i < bytes.length; i++) out[i] = g.lo + bytes.charCodeAt(i) * scale;
  return { kind: "grid", w: g.w, h: g.h, lo: g.lo, hi: g.hi, extent: g.extent, data: out };
}

/** Decode every grid inside a result or frame, in place where possible. */
export function decodeGrids(value) {
  if (Array.isArray(value)) return value.map(decodeGrids);
  if (value && typeof value === "object") {
    if (value.kind === "grid" && typeof value.data === "string") return decodeGrid(value);
    for (const key of Object.keys(value)) value[key] = decodeGrids(value[key]);
  }
  return value;
}

export const listChapters = () => request("GET", "/api/chapters");
export const getChapter = (id) => request("GET", `/api/chapters/${encodeURIComponent(id)}`);

/** One live run over a WebSocket. Frames are acked after the next paint, so the server never
 * sends faster than the page draws, and stale frames are dropped on the server. */
export class LiveRun {
  constructor(chapterId, name, params, handlers = {}) {
    this.handlers = handlers;
    this.state = "connecting";
    this.lastStep = 0;
    this.frames = 0;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${proto}//${location.host}/api/chapters/${chapterId}/live/${name}`;
    this.ws = new WebSocket(url);
    this.ws.onopen = () =>
      this._send({ type: "start", params, paused: Boolean(handlers.paused) });
    this.ws.onmessage = (event) => this._receive(JSON.parse(event.data));
    this.ws.onerror = () => {};
    this.ws.onclose = () => {
      if (this.state !== "ended") this._end({ reason: "closed", step: this.lastStep });
    };
  }

  _send(message) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  _receive(msg) {
    const h = this.handlers;
    if (msg.type === "frame") {
      this.lastStep = msg.step;
      this.frames += 1;
      if (h.onFrame) h.onFrame(decodeGrids(msg.data), { seq: msg.seq, step: msg.step });
      requestAnimationFrame(() => this._send({ type: "ack", seq: msg.seq }));
    } else if (msg.type === "started") {
      this.state = this.handlers.paused ? "paused" : "running";
      this.limits = msg.limits;
      if (h.onStart) h.onStart(msg);
      if (h.onState) h.onState(this.state, 0);
    } else if (msg.type === "state") {
      this.state = msg.state;
      this.lastStep = msg.step;
      if (h.onState) h.onState(msg.state, msg.step);
    } else if (msg.type === "error") {
      if (h.onError) h.onError(msg.error, msg.param || null);
    } else if (msg.type === "end") {
      this._end(msg);
    }
  }

  _end(info) {
    this.state = "ended";
    if (this.handlers.onEnd) this.handlers.onEnd(info);
    this.handlers = {};
  }

  pause() { this._send({ type: "pause" }); }
  resume() { this._send({ type: "resume" }); }
  step() { this._send({ type: "step" }); }
  update(params) { this._send({ type: "update", params }); }
  /** Set one weight (from: index of the source neuron) or one bias (from: null) of the running
   * network: {layer, to, from, value}; layer l is the weight matrix from layer l to l + 1. */
  edit({ layer, to, from = null, value }) { this._send({ type: "edit", layer, to, from, value }); }
  stop() {
    this.handlers = {};
    this.state = "ended";
    if (this.ws.readyState === WebSocket.CONNECTING) {
      // Closing a socket that is still connecting makes the browser log a warning; close it as
      // soon as it opens instead (the server then sees the page leave and ends the run).
      this.ws.onopen = () => this.ws.close();
      return;
    }
    this._send({ type: "stop" });
    try { this.ws.close(); } catch { /* already closed */ }
  }
}

/** The api object passed to a chapter's mount(): routes bound to that chapter. */
export function chapterApi(chapter) {
  const base = `/api/chapters/${encodeURIComponent(chapter.id)}`;
  const runs = new Set();
  return {
    chapter,
    schema(name) {
      const exp = chapter.experiments.find((e) => e.name === name);
      if (!exp) throw new ApiError(`chapter ${chapter.id} has no experiment ${name}`);
      return exp.params;
    },
    async run(name, params = {}) {
      const data = await request("POST", `${base}/experiments/${name}`, { params });
      return decodeGrids(data.result);
    },
    claim: (claimId) => request("POST", `${base}/claims/${claimId}`),
    live(name, params, handlers) {
      const run = new LiveRun(chapter.id, name, params, handlers);
      runs.add(run);
      return run;
    },
    stopAll() {
      for (const run of runs) run.stop();
      runs.clear();
    },
  };
}

/** Calls fn(params) at most one at a time; while one is in flight only the latest is kept
 * (the others are dropped, as stale frames are). */
export function latestOnly(fn) {
  let busy = false;
  let queued = null;
  return async function call(params) {
    if (busy) {
      queued = params;
      return;
    }
    busy = true;
    try {
      await fn(params);
    } finally {
      busy = false;
      if (queued) {
        const next = queued;
        queued = null;
        call(next);
      }
    }
  };
}
