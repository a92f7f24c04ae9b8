// Tour progress, kept in the browser: {"<chapter>": {"visited": true, "done": true}}.

const KEY = "neuronlab.progress";

export function getProgress() {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) || "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

function mark(id, field) {
  const all = getProgress();
  if (all[id] && all[id][field]) return false;
  all[id] = { ...(all[id] || {}), visited: true, [field]: true };
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    /* storage full or disabled: progress is a nicety */
  }
  window.dispatchEvent(new CustomEvent("neuronlab:progress"));
  return true;
}

export const markVisited = (id) => mark(id, "visited");
export const markDone = (id) => mark(id, "done");

export function reset() {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new CustomEvent("neuronlab:progress"));
}
