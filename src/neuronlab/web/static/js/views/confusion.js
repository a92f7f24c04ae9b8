// Confusion matrix: rows are the true classes, columns the predicted ones; each cell shows its
// count and is shaded by its share of the row, so the diagonal stands out when things go well.
//
//   const cm = confusionMatrix(parent, {caption: "Test points"});
//   cm.update([[50, 2], [3, 45]], ["orange", "blue"]);

export function confusionMatrix(parent, opts = {}) {
  const root = document.createElement("div");
  root.className = "confusion";
  root.dataset.updates = "0";
  const table = document.createElement("table");
  table.setAttribute("aria-label", opts.caption || "Confusion matrix");
  const caption = document.createElement("caption");
  caption.textContent = opts.caption || "Confusion matrix";
  table.appendChild(caption);
  const body = document.createElement("tbody");
  table.appendChild(body);
  root.appendChild(table);
  parent.appendChild(root);
  let shape = "";

  function build(k, names) {
    body.replaceChildren();
    const head = document.createElement("tr");
    head.appendChild(Object.assign(document.createElement("th"), { textContent: "true \\ predicted" }));
    for (let j = 0; j < k; j++) {
      head.appendChild(Object.assign(document.createElement("th"), { textContent: names[j], scope: "col" }));
    }
    body.appendChild(head);
    for (let i = 0; i < k; i++) {
      const tr = document.createElement("tr");
      tr.appendChild(Object.assign(document.createElement("th"), { textContent: names[i], scope: "row" }));
      for (let j = 0; j < k; j++) tr.appendChild(document.createElement("td"));
      body.appendChild(tr);
    }
    shape = `${k}:${names.join(",")}`;
  }

  return {
    el: root,
    update(matrix, names) {
      if (!matrix || !matrix.length) {
        root.hidden = true;
        return;
      }
      root.hidden = false;
      const k = matrix.length;
      if (shape !== `${k}:${names.join(",")}`) build(k, names);
      const rows = body.querySelectorAll("tr");
      for (let i = 0; i < k; i++) {
        const total = matrix[i].reduce((a, b) => a + b, 0) || 1;
        const cells = rows[i + 1].querySelectorAll("td");
        for (let j = 0; j < k; j++) {
          const share = matrix[i][j] / total;
          cells[j].textContent = String(matrix[i][j]);
          const tone = i === j ? "0, 114, 178" : "213, 94, 0";
          cells[j].style.background = `rgba(${tone}, ${(0.08 + 0.5 * share).toFixed(2)})`;
        }
      }
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    destroy() {
      root.remove();
    },
  };
}
