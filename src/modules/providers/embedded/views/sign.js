// The signing page (/sign/:token) over the JSON signing API; a served file, as the CSP allows no inline script.
(() => {
  const box = document.getElementById("forms");
  if (!box) return;
  const token = document.getElementById("act").dataset.token;
  const result = document.getElementById("result");
  const texts = JSON.parse(document.getElementById("act").dataset.texts);
  const show = (text, kind) => { result.textContent = text; result.className = kind; result.focus?.(); };
  const call = async (path, body) => {
    // The answer speaks the page's language; a field's problem is shown without the API's field name.
    const headers = { "accept-language": document.documentElement.lang, ...(body ? { "content-type": "application/json" } : {}) };
    const res = await fetch(`/api/signing/${token}/${path}`, { method: "POST", headers, body: body ? JSON.stringify(body) : undefined });
    const data = await res.json().catch(() => ({}));
    const fields = data?.error?.code === "validation" && data.error.fields ? Object.values(data.error.fields) : [];
    if (!res.ok) throw new Error(fields.length ? fields.join("; ") : data?.error?.message ?? res.statusText);
    return data;
  };
  document.getElementById("send-code").addEventListener("click", async () => {
    try { await call("code"); show(texts.codeSent, "ok"); document.getElementById("code").focus(); }
    catch (e) { show(`${texts.error} ${e.message}`, "error"); }
  });
  const pad = document.getElementById("pad"), g = pad.getContext("2d");
  let drawing = false, drawn = false;
  g.lineWidth = 2.2; g.lineCap = "round"; g.strokeStyle = "#10243e";
  const pos = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
  pad.addEventListener("pointerdown", (e) => { drawing = true; g.beginPath(); g.moveTo(...pos(e)); pad.setPointerCapture(e.pointerId); });
  pad.addEventListener("pointermove", (e) => { if (!drawing) return; g.lineTo(...pos(e)); g.stroke(); drawn = true; });
  pad.addEventListener("pointerup", () => { drawing = false; });
  document.getElementById("clear-pad").addEventListener("click", () => { g.clearRect(0, 0, pad.width, pad.height); drawn = false; });
  for (const radio of document.querySelectorAll("input[name=kind]")) radio.addEventListener("change", () => {
    const isDrawn = document.querySelector("input[name=kind]:checked").value === "drawn";
    document.getElementById("drawn-box").hidden = !isDrawn;
    document.getElementById("typed-box").hidden = isDrawn;
  });
  document.getElementById("sign-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const kind = document.querySelector("input[name=kind]:checked").value;
    const value = kind === "drawn" ? (drawn ? pad.toDataURL("image/png") : "") : document.getElementById("typed").value;
    if (!document.getElementById("consent").checked) { show(`${texts.error} ${document.querySelector("label.check").textContent.trim()}`, "error"); return; }
    try {
      await call("sign", { code: document.getElementById("code").value.trim(), consent: true, signature: { type: kind, value } });
      box.remove(); show(texts.done, "ok");
    } catch (e) { show(`${texts.error} ${e.message}`, "error"); }
  });
  document.getElementById("reject-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await call("reject", { code: document.getElementById("code").value.trim(), reason: document.getElementById("reason").value });
      box.remove(); show(texts.rejected, "ok");
    } catch (e) { show(`${texts.error} ${e.message}`, "error"); }
  });
})();
