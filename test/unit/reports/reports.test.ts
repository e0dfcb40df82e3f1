import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../../src/platform/errors.js";
import {
  formatBRL,
  lineTotalCents,
  renderReport,
  reportDocument,
  reportTemplates,
  type ReportProcess,
} from "../../../src/modules/reports/index.js";
import { advanceInput, amendmentInput, contractInput, itemCode, measurementInput, periodInput } from "./fixtures.js";
import { count, pdfText } from "./pdf-text.js";

const signerNames = ["José da Conceição Araújo", "Cláudio Gonçalves", "Maria Luíza Brandão", "Ana Beatriz Observadora"];

function assertCommon(text: string, title: string) {
  assert.ok(text.includes(title), `title ${title}`);
  for (const name of signerNames) assert.ok(text.includes(name), `signer ${name}`);
  assert.ok(text.includes("CPF: 123.456.789-09"), "signer CPF formatted");
  assert.ok(text.includes("12.345.678/0001-95"), "party CNPJ formatted");
  assert.ok(text.includes("11.222.333/0001-81"), "company CNPJ formatted");
  assert.ok(text.includes("Construtora Horizonte Paulista Ltda."), "company");
  assert.ok(text.includes("OB-042 – Edifício Residencial São João – Torre B"), "project with accents and en dash");
  assert.ok(text.includes("Contrato nº") || text.includes("Contract no."), "º renders");
  assert.ok(/Página 1 de \d+/.test(text) || /Page 1 of \d+/.test(text), "page footer");
}

describe("reports, pt-BR", () => {
  it("contract: Instrumento contratual with items and total", async () => {
    const input = contractInput();
    const { text } = await pdfText(await renderReport("contract", input, { locale: "pt-BR" }));
    assertCommon(text, "Instrumento contratual");
    assert.ok(text.includes(formatBRL(input.contract.totalCents)), "contract total");
    assert.ok(text.includes("R$ 2.421.693,60"));
    assert.ok(text.includes("02/02/2026 a 28/11/2026"), "dates");
    assert.ok(text.includes("Execução da estrutura de concreto armado"), "object");
    for (const item of input.contract.items) assert.equal(count(text, item.code), 1, item.code);
    assert.ok(text.includes("R$ 147.062,54"), "an item total (137,7919 × R$ 1.067,28)");
    assert.ok(text.includes("137,7919"), "quantity with comma decimals");
  });

  it("amendment: Termo aditivo with value change and new total", async () => {
    const input = amendmentInput();
    const { text } = await pdfText(await renderReport("amendment", input));
    assertCommon(text, "Termo aditivo");
    assert.ok(text.includes("R$ 12.345.678,90"), "value delta");
    assert.ok(text.includes(formatBRL(Number(input.contract.totalCents) + Number(input.amendment.valueDeltaCents))), "new value");
    assert.ok(text.includes("31/03/2027"), "new end date");
    assert.ok(text.includes("AD-0001"), "amendment item");
    assert.ok(text.includes("R$ 76.459,95"), "amendment item total");
  });

  it("period: Demonstrativo do período with the measurements and the total", async () => {
    const input = periodInput();
    const { text } = await pdfText(await renderReport("period", input));
    assertCommon(text, "Demonstrativo do período");
    assert.ok(text.includes("R$ 133.456,79"), "period total (123.456,78 + 10.000,01)");
    assert.ok(text.includes("R$ 123.456,78") && text.includes("R$ 10.000,01"), "measurement totals");
    assert.ok(text.includes("R$ 1.121.111,11"), "accumulated to date (987.654,32 + 133.456,79)");
    assert.ok(text.includes("01/08/2026 a 31/08/2026"), "period dates");
    assert.ok(text.includes("10,25"), "period quantity");
  });

  it("measurement: Boletim de medição with quantities, percentages and totals", async () => {
    const input = measurementInput();
    const { text } = await pdfText(await renderReport("measurement", input));
    assertCommon(text, "Boletim de medição");
    assert.ok(text.includes(`Total desta medição${formatBRL(input.measurement.totalCents)}`), "total row");
    for (const header of ["Qtd. contratada", "Qtd. anterior", "Qtd. atual", "Qtd. acumulada", "% acum.", "Valor atual"]) {
      assert.ok(text.includes(header), header);
    }
    // line 2: previous 13.0331 + current 22.0577 = 35.0908 of 137.7919 contracted = 25.47 %
    assert.ok(text.includes("13,0331") && text.includes("22,0577") && text.includes("35,0908") && text.includes("25,47%"));
    const item = input.contract.items[1];
    assert.ok(text.includes(formatBRL(lineTotalCents("22.0577", item.unitPriceCents))), "current value of a line");
  });

  it("advance: Termo de adiantamento with amount and due date", async () => {
    const { text } = await pdfText(await renderReport("advance", advanceInput()));
    assertCommon(text, "Termo de adiantamento");
    assert.ok(text.includes("R$ 123.456,78"), "advance amount");
    assert.ok(text.includes("R$ 623.456,78"), "total advanced (500.000,00 + 123.456,78)");
    assert.ok(text.includes("25,74%"), "share of the contract (623.456,78 / 2.421.693,60)");
    assert.ok(text.includes("15/12/2026"), "due date");
  });
});

describe("a 300-item measurement", () => {
  it("paginates with repeated headers, whole rows and right totals", async () => {
    const input = measurementInput(300);
    const { pageCount, pages, text } = await pdfText(await renderReport("measurement", input));
    assert.ok(pageCount > 1, `page count ${pageCount}`);
    assert.ok(text.includes(`Página 1 de ${pageCount}`));
    assert.ok(text.includes(`Página ${pageCount} de ${pageCount}`));
    for (let p = 1; p <= pageCount; p++) assert.equal(count(pages[p - 1], `Página ${p} de ${pageCount}`), 1);

    for (let i = 0; i < 300; i++) assert.equal(count(text, itemCode(i)), 1, itemCode(i));
    assert.equal((text.match(/IT-\d{4}/g) ?? []).length, 300);

    const total = formatBRL(input.measurement.totalCents);
    assert.ok(text.includes(`Total desta medição${total}`), `total ${total}`);
    const sum = input.measurement.lines.reduce((s, l, i) => s + lineTotalCents(l.currentQuantity, input.contract.items[i].unitPriceCents), 0n);
    assert.equal(sum, BigInt(input.measurement.totalCents));

    // Every page with item rows repeats the header row; no row is split: each
    // item's code, quantities and value are on the same page.
    for (const page of pages) {
      if (/IT-\d{4}/.test(page)) assert.ok(page.includes("Qtd. contratada") && page.includes("Valor atual"), "header repeats");
    }
    input.measurement.lines.forEach((line, i) => {
      const page = pages.find((p) => p.includes(itemCode(i)));
      assert.ok(page, itemCode(i));
      const value = formatBRL(lineTotalCents(line.currentQuantity, input.contract.items[i].unitPriceCents));
      const lineText = page.split("\n").find((l) => l.includes(itemCode(i)));
      assert.ok(lineText?.includes(value), `${itemCode(i)} row whole on its page`);
    });
  });
});

describe("English locale", () => {
  it("translates labels and keeps BRL", async () => {
    const input = measurementInput(120);
    const { pageCount, text } = await pdfText(await renderReport("measurement", input, { locale: "en" }));
    assertCommon(text, "Measurement bulletin");
    assert.ok(text.includes(`Page 1 of ${pageCount}`) && text.includes(`Page ${pageCount} of ${pageCount}`));
    assert.ok(!text.includes("Página"), "no Portuguese page label");
    assert.ok(text.includes("Contracted qty") && text.includes("Signatures") && text.includes("Witness"));
    assert.ok(text.includes(formatBRL(input.measurement.totalCents, "en")), "total in BRL with English separators");
    assert.ok(text.includes("Aug 2026"), "English dates");
  });

  it("every process has an English rendering", async () => {
    const inputs = { contract: contractInput(), amendment: amendmentInput(), period: periodInput(), advance: advanceInput() };
    const titles = { contract: "Contract instrument", amendment: "Contract amendment", period: "Period statement", advance: "Advance payment agreement" };
    for (const [process, input] of Object.entries(inputs)) {
      const { text } = await pdfText(await renderReport(process as ReportProcess, input as never, { locale: "en" }));
      assertCommon(text, titles[process as keyof typeof titles]);
    }
  });
});

describe("templates and input checks", () => {
  it("lists the templates of every process", () => {
    assert.deepEqual(Object.keys(reportTemplates).sort(), ["advance", "amendment", "contract", "measurement", "period"]);
    for (const [process, names] of Object.entries(reportTemplates)) {
      assert.ok(names.length >= 1 && names.every((n) => n.startsWith(process)), process);
    }
    assert.ok(reportDocument("contract", contractInput(), { template: "contract-standard" }));
  });

  it("refuses an unknown template, process or locale", () => {
    assert.throws(() => reportDocument("contract", contractInput(), { template: "nope" }), (e) => e instanceof AppError && e.code === "validation");
    assert.throws(() => reportDocument("toString" as ReportProcess, contractInput() as never), (e) => e instanceof AppError && e.code === "validation");
    assert.throws(() => reportDocument("contract", contractInput(), { locale: "fr" as never }), (e) => e instanceof AppError);
  });

  it("refuses a total that the lines do not add up to", () => {
    const input = measurementInput();
    input.measurement.totalCents = Number(input.measurement.totalCents) + 1;
    assert.throws(() => reportDocument("measurement", input), (e) => e instanceof AppError && e.code === "unprocessable");
    const contract = contractInput();
    contract.contract.totalCents = 1;
    assert.throws(() => reportDocument("contract", contract), (e) => e instanceof AppError && e.code === "unprocessable");
  });

  it("names the roles from the party's kind", async () => {
    const input = advanceInput();
    input.party.kind = "customer";
    const { text } = await pdfText(await renderReport("advance", input));
    assert.ok(text.includes("Contratante (cliente)") && text.includes("Contratada"));
  });

  it("refuses a line that points to no contract item or whose accumulated is wrong", () => {
    const input = measurementInput();
    input.measurement.lines[0] = { ...input.measurement.lines[0], item: "missing" };
    assert.throws(() => reportDocument("measurement", input), /unknown contract item/);
    const other = measurementInput();
    other.measurement.lines[0] = { ...other.measurement.lines[0], accumulatedQuantity: "999" };
    assert.throws(() => reportDocument("measurement", other), /previous \+ current/);
  });

  it("never loses a line: a description or object taller than a page flows over several rows", async () => {
    const input = measurementInput(5);
    input.contract.items[2].description = "Descrição extensa de serviço ".repeat(800);
    input.contract.object = "Objeto longuíssimo do contrato ".repeat(600);
    const { pageCount, text } = await pdfText(await renderReport("measurement", input));
    assert.ok(pageCount > 3);
    for (let i = 0; i < 5; i++) assert.equal(count(text, itemCode(i)), 1, itemCode(i));
    assert.equal(count(text, "extensa"), 800);
    assert.equal(count(text, "longuíssimo"), 600);
    assert.ok(text.includes(`Total desta medição${formatBRL(input.measurement.totalCents)}`));
  });

  it("gives the same bytes for the same input", async () => {
    const a = await renderReport("advance", advanceInput());
    const b = await renderReport("advance", advanceInput());
    assert.deepEqual(Buffer.from(a), Buffer.from(b));
  });
});
