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
