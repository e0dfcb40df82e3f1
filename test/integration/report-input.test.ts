import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { buildReportInput, renderProcessReport, type ReportSignerInput } from "../../src/modules/envelopes/report-input.js";
import { AppError } from "../../src/platform/errors.js";
import { makeActiveContractWithPeriod, makeContract, moveTo } from "../support/factories.js";
import { startHarness, type Harness } from "../support/harness.js";

// The package entry runs a debug mode when loaded as main; its lib file does not.
const pdfParse = createRequire(import.meta.url)("pdf-parse/lib/pdf-parse.js") as (data: Buffer) => Promise<{ text: string }>;
/** The PDF's text with every run of whitespace as one space, so wrapped cells still match. */
const pdfText = async (bytes: Uint8Array) => (await pdfParse(Buffer.from(bytes))).text.replace(/\s+/g, " ");

const signers: ReportSignerInput[] = [
  { name: "Mariana Engenheira Lopes", email: "mariana@example.com", action: "sign" },
  { name: "Joaquim Testemunha Dias", email: "joaquim@example.com", action: "witness" },
];

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

async function ok(method: string, url: string, body?: unknown) {
  const res = await h.call(method, url, body);
  assert.ok(res.status < 300, `${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function assertSigners(text: string) {
  for (const s of signers) assert.ok(text.includes(s.name), `signer ${s.name} is printed`);
}

// The factory contract: 100 m³ × R$ 450,00 + 1.000,5 kg × R$ 11,99 (= 11.995,995 → 11.996,00) = R$ 56.996,00.
describe("report of each process, from records built through the API", () => {
  test("contract: items, total and signers; project id, title and file name", async () => {
    const contract = await makeContract(h, { number: "CT/2026-001" });
    const report = await renderProcessReport(h.runtime.ctx, "contract", contract.id, signers);
    const text = await pdfText(report.bytes);
    assert.ok(text.includes("R$ 56.996,00"), "contract total");
    assert.ok(text.includes("R$ 11.996,00"), "item total rounded half-up");
    assert.ok(text.includes("Concreto fck 30"));
    assert.ok(text.includes("Ana Souza"), "party contact");
    assertSigners(text);
    assert.equal(report.projectId, contract.projectId);
    assert.equal(report.title, "Instrumento contratual - CT/2026-001");
    assert.equal(report.fileName, "Instrumento contratual - CT-2026-001.pdf");

    const input = await buildReportInput(h.runtime.ctx, "contract", contract.id, signers);
    assert.equal(input.contract.totalCents, 5_699_600);
    assert.deepEqual(input.contract.items.map((i) => i.quantity), ["100", "1000.5"]);
    assert.equal(input.company.name, "obrasign");
  });

  test("amendment: value change, new value and changed items", async () => {
    const contract = await makeContract(h);
    const amendment = await ok("POST", "/api/amendments", {
      contractId: contract.id, kind: "value", valueDeltaCents: 123_456, description: "Acréscimo de concreto",
      items: [{ contractItemId: contract.items[0].id, quantityDelta: 10 }],
    });
    const report = await renderProcessReport(h.runtime.ctx, "amendment", amendment.id, signers);
    const text = await pdfText(report.bytes);
    assert.ok(text.includes("R$ 56.996,00"), "current value");
    assert.ok(text.includes("R$ 1.234,56"), "value change");
    assert.ok(text.includes("R$ 58.230,56"), "new value");
    assert.ok(text.includes("R$ 4.500,00"), "amended items total: 10 m³ × R$ 450,00");
    assert.ok(text.includes("Acréscimo de concreto"));
    assertSigners(text);
    assert.equal(report.fileName, `Termo aditivo nº ${amendment.number} - ${contract.number}.pdf`);
  });

  describe("measurements and periods over two periods", () => {
    let contract: any;
    let period1: any;
    let period2: any;
    let first: any;
    let second: any;

    before(async () => {
      ({ contract, period: period1 } = await makeActiveContractWithPeriod(h));
      const [concrete, steel] = contract.items;
      first = await ok("POST", "/api/measurements", {
        contractId: contract.id, periodId: period1.id,
        lines: [{ contractItemId: concrete.id, quantity: 30 }, { contractItemId: steel.id, quantity: 200.25 }],
      });
      await moveTo(h, "periods", period1.id, "closed");
      period2 = await ok("POST", "/api/periods", { contractId: contract.id, startDate: "2026-02-01", endDate: "2026-02-28" });
      second = await ok("POST", "/api/measurements", {
        contractId: contract.id, periodId: period2.id, lines: [{ contractItemId: concrete.id, quantity: 12.5 }],
      });
    });

    test("first measurement: nothing before it", async () => {
      const input = await buildReportInput(h.runtime.ctx, "measurement", first.id, signers);
      assert.deepEqual(
        input.measurement.lines.map((l) => [l.previousQuantity, l.currentQuantity, l.accumulatedQuantity]),
        [["0", "30", "30"], ["0", "200.25", "200.25"]],
      );
      // 30 × 450,00 + 200,25 × 11,99 (= 2.400,9975 → 2.401,00)
      assert.equal(input.measurement.totalCents, 1_590_100);
      const text = await pdfText((await renderProcessReport(h.runtime.ctx, "measurement", first.id, signers)).bytes);
      assert.ok(text.includes("R$ 15.901,00"), "measurement total");
      assert.ok(text.includes("R$ 2.401,00"), "line value rounded half-up");
      assertSigners(text);
    });

    test("a later measurement: previous and accumulated quantities come from the earlier one", async () => {
      const input = await buildReportInput(h.runtime.ctx, "measurement", second.id, signers);
      assert.deepEqual(input.measurement.lines, [
        { item: contract.items[0].id, previousQuantity: "30", currentQuantity: "12.5", accumulatedQuantity: "42.5" },
      ]);
      assert.equal(input.measurement.period.number, String(period2.number));
      const report = await renderProcessReport(h.runtime.ctx, "measurement", second.id, signers);
      const text = await pdfText(report.bytes);
      assert.ok(text.includes("R$ 5.625,00"), "this measurement: 12,5 × R$ 450,00");
      assert.ok(text.includes("R$ 13.500,00"), "measured before: 30 × R$ 450,00");
      assert.ok(text.includes("R$ 19.125,00"), "accumulated value");
      assert.match(text, /R\$ 450,00\s*30,00\s*12,50\s*42,50/, "previous, current, accumulated quantities");
      assertSigners(text);
      assert.equal(report.fileName, `Boletim de medição nº ${second.number} - ${contract.number}.pdf`);
      assert.equal(report.projectId, contract.projectId);
    });

    test("the earlier measurement is not changed by the later one", async () => {
      const input = await buildReportInput(h.runtime.ctx, "measurement", first.id, signers);
      assert.equal(input.measurement.lines[0].previousQuantity, "0");
    });

    test("first period: its measurement, totals and per item quantities", async () => {
      const input = await buildReportInput(h.runtime.ctx, "period", period1.id, signers);
      assert.equal(input.period.previousAccumulatedCents, 0);
      assert.deepEqual(input.period.measurements.map((m) => [m.number, m.totalCents, m.status]), [[String(first.number), 1_590_100, "Rascunho"]]);
      assert.equal(input.period.status, "Fechado");
      const text = await pdfText((await renderProcessReport(h.runtime.ctx, "period", period1.id, signers)).bytes);
      assert.ok(text.includes("R$ 15.901,00"), "period total");
      assertSigners(text);
    });

    test("second period: earlier periods count as previously accumulated", async () => {
      const input = await buildReportInput(h.runtime.ctx, "period", period2.id, signers);
      assert.equal(input.period.previousAccumulatedCents, 1_590_100);
      assert.deepEqual(input.period.lines, [
        { item: contract.items[0].id, periodQuantity: "12.5", accumulatedQuantity: "42.5" },
        { item: contract.items[1].id, periodQuantity: "0", accumulatedQuantity: "200.25" },
      ]);
      const text = await pdfText((await renderProcessReport(h.runtime.ctx, "period", period2.id, signers)).bytes);
      assert.ok(text.includes("R$ 5.625,00"), "period total");
      assert.ok(text.includes("R$ 15.901,00"), "previously accumulated");
      assert.ok(text.includes("R$ 21.526,00"), "accumulated to date");
      assertSigners(text);
    });
  });

  test("advance: amount, earlier advances and their sum", async () => {
    const contract = await makeContract(h);
    await ok("POST", "/api/advances", { contractId: contract.id, amountCents: 1_000_000, dueDate: "2026-03-10" });
    const advance = await ok("POST", "/api/advances", { contractId: contract.id, amountCents: 250_050, dueDate: "2026-04-10" });
    const input = await buildReportInput(h.runtime.ctx, "advance", advance.id, signers);
    assert.equal(input.advance.previousAdvancesCents, 1_000_000);
    const report = await renderProcessReport(h.runtime.ctx, "advance", advance.id, signers);
    const text = await pdfText(report.bytes);
    assert.ok(text.includes("R$ 2.500,50"), "advance amount");
    assert.ok(text.includes("R$ 10.000,00"), "earlier advances");
    assert.ok(text.includes("R$ 12.500,50"), "advances total");
    assert.ok(text.includes("10/04/2026"), "due date");
    assertSigners(text);
    assert.equal(report.fileName, `Termo de adiantamento nº ${advance.number} - ${contract.number}.pdf`);
  });
});

describe("options and errors", () => {
  test("company name from settings, English locale, fixed issue date gives identical bytes", async () => {
    const contract = await makeContract(h);
    const now = new Date().toISOString();
    await h.runtime.ctx.db.insertInto("settings").values({ key: "company.name", value: JSON.stringify("Construtora Horizonte S.A."), updated_at: now }).execute();
    try {
      const a = await renderProcessReport(h.runtime.ctx, "contract", contract.id, signers, { locale: "en", issuedAt: "2026-05-04" });
      const b = await renderProcessReport(h.runtime.ctx, "contract", contract.id, signers, { locale: "en", issuedAt: "2026-05-04" });
      assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
      const text = await pdfText(a.bytes);
      assert.ok(text.includes("Construtora Horizonte S.A."));
      assert.ok(text.includes("R$ 56,996.00"), "English separators, BRL kept");
      assert.equal(a.fileName, `Contract instrument - ${contract.number}.pdf`);
    } finally {
      await h.runtime.ctx.db.deleteFrom("settings").where("key", "=", "company.name").execute();
    }
  });

  test("a record that does not exist is not_found; an unknown process or template is a validation error", async () => {
    const missing = "01900000-0000-7000-8000-000000000000";
    for (const process of ["contract", "amendment", "period", "measurement", "advance"] as const) {
      await assert.rejects(renderProcessReport(h.runtime.ctx, process, missing, signers), (e: unknown) => e instanceof AppError && e.code === "not_found");
    }
    const contract = await makeContract(h);
    await assert.rejects(buildReportInput(h.runtime.ctx, "invoice" as any, contract.id, signers), (e: unknown) => e instanceof AppError && e.code === "validation");
    await assert.rejects(
      renderProcessReport(h.runtime.ctx, "contract", contract.id, signers, { template: "nope" }),
      (e: unknown) => e instanceof AppError && e.code === "validation",
    );
    // An amendment id asked for as a measurement is simply not a measurement.
    const amendment = await ok("POST", "/api/amendments", { contractId: contract.id, kind: "scope", description: "Escopo" });
    await assert.rejects(buildReportInput(h.runtime.ctx, "measurement", amendment.id, signers), (e: unknown) => e instanceof AppError && e.code === "not_found");
  });
});
