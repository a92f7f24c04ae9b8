// Saving an exported file: the server sends it as base64 JSON, the page hands it to the browser.

/** Save `base64` content as a file called `filename` (the browser asks where, or uses Downloads). */
export function saveFile({ filename, mime, base64 }) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "2.3 kB" for a byte count. */
export function size(bytes) {
  return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;
}
