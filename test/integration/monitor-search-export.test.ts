import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract, makeParty, validCnpj } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

async function send(recordId: string, name: string, recipient: { name: string; email: string }) {
  const res = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId, name, recipients: [{ ...recipient, action: "sign" }] }) },
    { name: "file", filename: "doc.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe("the monitor's text search and export", () => {
  let forte: any;
  let other: any;
  before(async () => {
    const party = await makeParty(h, { name: "Concreto Forte Engenharia Ltda", document: validCnpj(7) });
    const contract = await makeContract(h, { partyId: party.id, number: "CT-2026/777" });
    forte = await send(contract.id, "Contrato de estrutura", { name: "Zélia Gonçalves", email: "zelia@fornecedor.example" });
    other = await send((await makeContract(h)).id, "Contrato de pintura", { name: "Pedro Pintor", email: "pedro@pintura.example" });
  });

  test("finds by party name (any case, no accents), contract number and recipient; shows party and contract", async () => {
    for (const q of ["Concreto Forte", "concreto forte", "CT-2026/777", "zelia goncalves", "Zélia", "fornecedor.example"]) {
      const res = await h.call("GET", `/api/envelopes?q=${encodeURIComponent(q)}`, undefined, "viewer");
      assert.equal(res.status, 200);
      const ids = res.body.items.map((e: any) => e.id);
      assert.ok(ids.includes(forte.id), `"${q}" finds the envelope`);
      assert.ok(!ids.includes(other.id), `"${q}" leaves the other out`);
    }
    const found = (await h.call("GET", `/api/envelopes?q=Concreto%20Forte`, undefined, "viewer")).body.items[0];
    assert.equal(found.partyName, "Concreto Forte Engenharia Ltda");
    assert.equal(found.contractNumber, "CT-2026/777");
    const page = await h.app.inject({ method: "GET", url: "/monitor?q=Concreto+Forte", headers: { authorization: `Bearer ${h.tokens.viewer}`, "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Concreto Forte Engenharia Ltda/);
    assert.match(page.body, /CT-2026\/777/);
    assert.doesNotMatch(page.body, /Contrato de pintura/);
    assert.match(page.body, /\/api\/envelopes\/export\?format=xlsx&amp;q=Concreto\+Forte/);
  });

  test("a recipient added later is found too", async () => {
    const added = await h.call("POST", `/api/envelopes/${other.id}/recipients`, { name: "Quitéria Nova", email: "quiteria@example.com", action: "sign" }, "manager");
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const ids = (await h.call("GET", `/api/envelopes?q=quiteria`, undefined, "viewer")).body.items.map((e: any) => e.id);
    assert.deepEqual(ids, [other.id]);
  });

  test("exports the filtered list as CSV and as XLSX", async () => {
    const csv = await h.app.inject({ method: "GET", url: "/api/envelopes/export?format=csv&q=Concreto%20Forte", headers: { authorization: `Bearer ${h.tokens.viewer}`, "accept-language": "pt-BR" } });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, "").trim().split("\r\n");
    assert.equal(lines.length, 2, csv.body);
    assert.match(lines[0]!, /^Id,Documento,Situação/);
    assert.match(lines[1]!, /Concreto Forte Engenharia Ltda/);

    const xlsx = await h.app.inject({ method: "GET", url: "/api/envelopes/export?format=xlsx", headers: { authorization: `Bearer ${h.tokens.viewer}`, "accept-language": "en" } });
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.getRow(1).getCell(2).value, "Document");
    const names = [2, 3].map((n) => String(sheet.getRow(n).getCell(2).value));
    assert.deepEqual(names.sort(), ["Contrato de estrutura", "Contrato de pintura"]);
    assert.equal((await h.call("GET", "/api/envelopes/export?format=pdf", undefined, "viewer")).status, 400);
    assert.equal((await h.call("GET", "/api/envelopes/export?format=csv", undefined, null)).status, 401);
  });
});

describe("the monitor's bulk actions", () => {
  const form = async (url: string, fields: [string, string][], as: "manager" | "viewer" = "manager") =>
    h.app.inject({ method: "POST", url, payload: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${h.tokens[as]}`, "accept-language": "pt-BR" } });

  test("resend to pending, download the signed ones as a zip, cancel with a reason", async () => {
    const contract = await makeContract(h);
    const a = await send(contract.id, "Aditivo em lote A", { name: "Lia", email: "lia@lote.example" });
    const b = await send(contract.id, "Aditivo em lote B", { name: "Rui", email: "rui@lote.example" });
    await h.drain();
    const ids: [string, string][] = [["ids", a.id], ["ids", b.id], ["back", "/monitor?q=lote"]];

    const resent = await form("/monitor/bulk/resend", ids);
    assert.equal(resent.statusCode, 303);
    assert.match(String(resent.headers.location), /notice=bulkResent&done=2/);
    const history = (await h.call("GET", `/api/envelopes/${a.id}`)).body.events.map((e: any) => e.type);
    assert.ok(history.includes("recipient.invitation_resent"));

    const none = await form("/monitor/bulk/download", ids);
    assert.match(String(none.headers.location), /error=noSignedSelected/);
    const { replaceSignedFiles } = await import("../../src/modules/envelopes/queries.js");
    const { inTransaction } = await import("../../src/platform/db/transaction.js");
    const ctx = h.runtime.ctx;
    const blob = await ctx.blobs.put(await samplePdf());
    await inTransaction(ctx, (tx) => replaceSignedFiles(tx, a.id, [{ name: "Aditivo (assinado).pdf", position: 0, ...blob }], new Date().toISOString()));
    const zip = await form("/monitor/bulk/download", ids, "viewer");
    assert.equal(zip.statusCode, 200);
    assert.equal(zip.headers["content-type"], "application/zip");
    assert.equal(zip.rawPayload.subarray(0, 4).toString("hex"), "504b0304", "a zip");
    assert.ok(zip.rawPayload.includes(Buffer.from("Aditivo (assinado).pdf")));

    assert.match(String((await form("/monitor/bulk/cancel", ids, "viewer")).headers.location), /error=forbidden/);
    assert.match(String((await form("/monitor/bulk/cancel", [...ids, ["reason", ""]])).headers.location), /error=reasonRequired/);
    const cancelled = await form("/monitor/bulk/cancel", [...ids, ["reason", "Valores revisados no aditivo"]]);
    assert.match(String(cancelled.headers.location), /notice=bulkCancelled&done=2&failed=0/);
    for (const id of [a.id, b.id]) {
      const envelope = (await h.call("GET", `/api/envelopes/${id}`)).body;
      assert.equal(envelope.status, "cancelled");
      assert.equal(envelope.events.find((e: any) => e.type === "envelope.cancelled").data.reason, "Valores revisados no aditivo");
    }
    const again = await form("/monitor/bulk/cancel", [...ids, ["reason", "de novo"]]);
    assert.match(String(again.headers.location), /done=0&failed=2/);
  });
});
