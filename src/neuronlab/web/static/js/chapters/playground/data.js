// Your own data: pick a class (or a target value) and click on the plane to add points, type a
// point's coordinates (keyboard users), upload a CSV of x1,x2,label rows, or clear your points.
// The CSV is checked on the server (the `check_csv` experiment), which names each bad line.

import { button, select, slider } from "../../views/controls.js";

const CLASS_NAMES = ["orange", "blue", "green", "pink", "sky blue", "vermilion"];  // decision-map.js colours

export function classNames(k) {
  if (k <= 2) return ["orange (0)", "blue (1)"];
  return CLASS_NAMES.slice(0, k).map((n, i) => `${n} (${i})`);
}

// getParams() -> current params; apply(changes) -> restart with them; api -> the chapter api.
// msg: a <p> kept by the caller across rebuilds, so a message outlives the panel it came from.
export function dataEditor(parent, { getParams, apply, api, msg }) {
  // limits from the schemas: the points a setup may hold, their plane, the size of a CSV
  const pointsParam = api.schema("train").find((p) => p.name === "points");
  const maxPoints = pointsParam.max_len;
  const { min: lo, max: hi } = pointsParam.item.item;
  const maxCsv = api.schema("check_csv").find((p) => p.name === "csv").max_chars;
  const box = document.createElement("section");
  box.className = "pg-panel pg-your-data";
  box.innerHTML = "<h3>Your points</h3>";
  parent.appendChild(box);
  const hint = document.createElement("p");
  hint.className = "pg-hint";
  box.appendChild(hint);
  const pickRow = document.createElement("div");
  box.appendChild(pickRow);
  let picker = null;
  let value = 1;

  function buildPicker() {
    pickRow.replaceChildren();
    const p = getParams();
    if (p.problem === "regression") {
      hint.textContent = "Click on the output map to add a point with this target value.";
      picker = slider(pickRow, { id: "pg-add-value", label: "Target of new points", min: -1, max: 1, step: 0.1,
        value: Math.max(-1, Math.min(1, value)), format: (v) => v.toFixed(1), onInput: (v) => { value = v; } });
    } else {
      hint.textContent = p.dataset === "custom"
        ? "Click on the output map to add a point of this class. With only your points, they are split into training and test points like any data set."
        : "Click on the output map to add a training point of this class.";
      const k = p.classes;
      value = Math.min(Math.round(value), k - 1);
      picker = select(pickRow, { id: "pg-add-class", label: "Class of new points", value: String(value),
        options: classNames(k).map((label, i) => ({ value: String(i), label })), onChange: (v) => { value = Number(v); } });
    }
  }

  function addPoint(x1, x2) {
    const p = getParams();
    if (p.points.length >= maxPoints) return message(`At most ${maxPoints.toLocaleString("en")} points of your own.`, true);
    const label = p.problem === "regression" ? Math.round(value * 100) / 100 : value;
    apply({ points: [...p.points, [Math.round(x1 * 100) / 100, Math.round(x2 * 100) / 100, label]] });
    message(`Added a point at (${x1.toFixed(2)}, ${x2.toFixed(2)}); you have ${p.points.length + 1}.`);
  }

  // keyboard: type coordinates
  const typed = document.createElement("form");
  typed.className = "pg-typed-point";
  typed.innerHTML = `<label>x₁ <input type="number" name="x1" aria-label="new point x₁" min="${lo}" max="${hi}" step="0.1" value="0"></label>` +
    `<label>x₂ <input type="number" name="x2" aria-label="new point x₂" min="${lo}" max="${hi}" step="0.1" value="0"></label>`;
  button(typed, { label: "Add point", kind: "secondary", onClick: () => {
    const x1 = Number(typed.x1.value);
    const x2 = Number(typed.x2.value);
    const inside = (v) => Number.isFinite(v) && v >= lo && v <= hi;
    if (inside(x1) && inside(x2)) addPoint(x1, x2);
    else message(`Coordinates must be numbers from ${lo} to ${hi}.`, true);
  } });
  typed.addEventListener("submit", (ev) => ev.preventDefault());
  box.appendChild(typed);

  // CSV upload
  const upload = document.createElement("div");
  upload.className = "pg-upload";
  upload.innerHTML = '<label for="pg-csv">Upload a CSV (x1,x2,label per line)</label>' +
    '<input id="pg-csv" type="file" accept=".csv,text/csv,text/plain">';
  box.appendChild(upload);
  const file = upload.querySelector("input");
  file.addEventListener("change", async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    if (f.size > maxCsv) {
      message(`${f.name} has ${f.size.toLocaleString("en")} bytes; the limit is ${maxCsv.toLocaleString("en")}.`, true);
      return;
    }
    const text = await f.text();
    try {
      const result = await api.run("check_csv", { csv: text, problem: getParams().problem });
      apply({ dataset: "custom", points: result.points, classes: result.classes });
      message(`Loaded ${f.name}: ${result.note}.`);
    } catch (err) {
      message(err.message || String(err), true);
    } finally {
      file.value = "";
    }
  });

  const tools = document.createElement("div");
  tools.className = "pg-data-tools";
  box.appendChild(tools);
  const count = document.createElement("span");
  count.className = "pg-point-count";
  tools.appendChild(count);
  button(tools, { label: "Clear my points", kind: "secondary", onClick: () => {
    apply({ points: [] });  // a data set of only your points falls back to the first data set
    message("Your points are gone.");
  } });

  msg.className = msg.className || "pg-message";
  msg.setAttribute("aria-live", "polite");
  box.appendChild(msg);
  function message(text, bad = false) {
    msg.textContent = text;
    msg.classList.toggle("pg-error", bad);
  }

  function refresh() {
    buildPicker();
    const p = getParams();
    count.textContent = `${p.points.length} point${p.points.length === 1 ? "" : "s"} of your own`;
  }
  refresh();
  return { addPoint, refresh, message, destroy: () => box.remove() };
}
