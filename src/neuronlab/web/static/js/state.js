// URL state: `#/<chapter>?key=value&...`. The query is the chapter's state, so any experiment
// is a shareable link (include a seed to make it reproducible).

/** The chapter id and query of the current hash. */
export function parseHash(hash = location.hash) {
  const body = hash.replace(/^#\/?/, "");
  const [path, query = ""] = body.split("?");
  return { chapter: decodeURIComponent(path || ""), params: new URLSearchParams(query) };
}

function coerce(param, raw) {
  if (raw === null || raw === undefined) return param.default;
  if (param.type === "int" || param.type === "float") {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < param.min || v > param.max) return param.default;
    if (param.type === "int" && !Number.isInteger(v)) return param.default;
    return v;
  }
  if (param.type === "bool") return raw === "1" || raw === "true";
  if (param.type === "choice") return param.choices.includes(raw) ? raw : param.default;
  if (param.type === "list") {
    try {
      const v = JSON.parse(raw);
      return Array.isArray(v) ? v : param.default;
    } catch {
      return param.default;
    }
  }
  return raw;
}

function encode(value) {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/** The state helper handed to a chapter's mount(). */
export function chapterState(chapterId) {
  const current = () => parseHash().params;
  const write = (params) => {
    const q = params.toString();
    const url = `#/${chapterId}${q ? "?" + q : ""}`;
    history.replaceState(null, "", url);
  };
  return {
    get(key, fallback = null) {
      const v = current().get(key);
      return v === null ? fallback : v;
    },
    getNumber(key, fallback = null) {
      const v = Number(current().get(key));
      return current().has(key) && Number.isFinite(v) ? v : fallback;
    },
    getAll() {
      return Object.fromEntries(current().entries());
    },
    set(patch) {
      const params = current();
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined) params.delete(key);
        else params.set(key, encode(value));
      }
      write(params);
    },
    fromSchema(schema) {
      const params = current();
      return Object.fromEntries(schema.map((p) => [p.name, coerce(p, params.get(p.name))]));
    },
    toSchema(schema, values) {
      const patch = {};
      for (const p of schema) {
        if (!(p.name in values)) continue;
        const same = JSON.stringify(values[p.name]) === JSON.stringify(p.default);
        patch[p.name] = same ? null : values[p.name];
      }
      this.set(patch);
    },
  };
}
