/**
 * The measurement bulletin drawn directly with pdfkit (the engine under
 * pdfmake, same fonts), for bench/report only: the alternative renderer the
 * issue asked to measure beside pdfmake on the same input. Same content
 * (header and footer on every page, parties, contract, measurement fields,
 * the ten-column item table with its header repeated, totals, summary,
 * signature lines) and the same values; the layout is hand-placed, so it is
 * close to pdfmake's, not identical.
 */
import { createRequire } from "node:module";
import { lineTotalCents, parseQuantity, toCents } from "../../src/modules/reports/decimal.js";
import { robotoFiles, reuseFontsAcrossDocuments } from "../../src/modules/reports/fonts.js";
import { formatBRL, formatCpfCnpj, formatDate, formatPercent, quantityColumnFormatter } from "../../src/modules/reports/format.js";
import { labels } from "../../src/modules/reports/labels.js";
import type { Locale, MeasurementReportInput } from "../../src/modules/reports/types.js";

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const PDFDocument = createRequire(require.resolve("pdfmake"))("@foliojs-fork/pdfkit") as any;

reuseFontsAcrossDocuments();
const fonts = robotoFiles();

const INK = "#1a1a1a", MUTED = "#555555", RULE = "#9a9a9a", HEADER_FILL = "#e6e9ee", ZEBRA = "#f5f6f8", TOTAL_FILL = "#eef0f3";
const W = 841.89, H = 595.28, M = 30, TOP = 62, BOTTOM = 44;
const widths = [46, 0, 28, 58, 64, 58, 58, 58, 42, 72];
widths[1] = W - 2 * M - widths.reduce((a, b) => a + b, 0);

export function renderBulletinWithPdfkit(input: MeasurementReportInput, locale: Locale = "pt-BR"): Promise<Uint8Array> {
  const l = labels[locale];
  const m = input.measurement, c = input.contract;
  const issuedAt = input.issuedAt ?? new Date().toISOString();
  const money = (cents: bigint | number) => formatBRL(cents, locale);
  const date = (iso: string) => formatDate(iso, locale);
  const qty = quantityColumnFormatter(m.lines.flatMap((x) => [x.previousQuantity, x.currentQuantity, x.accumulatedQuantity]), locale);
  const contracted = quantityColumnFormatter(c.items.map((x) => x.quantity), locale);
  const items = new Map(c.items.map((x) => [x.id, x]));
  const title = l.titles.measurement;
  const recordLine = `${l.numberSign} ${m.number} – ${l.contract} ${c.number}`;

  const doc = new PDFDocument({
    size: "A4", layout: "landscape", margins: { top: TOP, bottom: BOTTOM, left: M, right: M }, bufferPages: true, autoFirstPage: false,
    info: { Title: `${title} ${recordLine}`, Author: input.company.name, Creator: "obrasign", Producer: "obrasign", CreationDate: new Date(issuedAt), ModDate: new Date(issuedAt) },
  });
  doc.registerFont("R", fonts.normal);
  doc.registerFont("B", fonts.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  const text = (s: string, x: number, y: number, o: { font?: string; size?: number; color?: string; width?: number; align?: string } = {}) => {
    doc.font(o.font ?? "R").fontSize(o.size ?? 9).fillColor(o.color ?? INK).text(s, x, y, { width: o.width, align: o.align ?? "left", lineBreak: o.width !== undefined });
  };
  const newPage = () => {
    doc.addPage();
    const companyLine = input.company.document ? `${input.company.name} · CNPJ ${formatCpfCnpj(input.company.document)}` : input.company.name;
    text(companyLine, M, 20, { font: "B", size: 9.5 });
    text(`${title} ${recordLine}`, M, 20, { size: 8.5, color: MUTED, width: W - 2 * M, align: "right" });
    text(`${l.project}: ${input.project.code} – ${input.project.name}${input.project.address ? ` · ${input.project.address}` : ""}`, M, 33, { size: 8.5, color: MUTED });
    doc.moveTo(M, 47).lineTo(W - M, 47).lineWidth(0.8).strokeColor(RULE).stroke();
    return TOP;
  };
  let y = newPage();
  const ensure = (height: number) => {
    if (y + height > H - BOTTOM) y = newPage();
  };
  const section = (s: string) => {
    ensure(30);
    y += 12;
    text(s, M, y, { font: "B", size: 10.5 });
    y += 16;
  };
  const fields = (rows: [string, string][]) => {
    const labelWidth = 120;
    for (const [k, v] of rows) {
      doc.font("R").fontSize(9);
      const h = Math.max(14, doc.heightOfString(v, { width: W - 2 * M - labelWidth - 8 }) + 6);
      ensure(h);
      doc.rect(M, y, labelWidth, h).fill(HEADER_FILL);
      doc.rect(M, y, W - 2 * M, h).lineWidth(0.3).strokeColor(RULE).stroke();
      text(k, M + 4, y + 3, { font: "B", size: 8.5 });
      text(v, M + labelWidth + 4, y + 3, { width: W - 2 * M - labelWidth - 8 });
      y += h;
    }
  };

  text(title, M, y, { font: "B", size: 15 });
  y += 19;
  text(recordLine, M, y, { size: 10, color: MUTED });
  y += 22;
  const party = input.party;
  section(l.parties);
  fields([
    [party.kind === "supplier" ? l.contractor : l.contracted, input.company.document ? `${input.company.name} – CNPJ ${formatCpfCnpj(input.company.document)}` : input.company.name],
    [party.kind === "supplier" ? l.supplier : l.customer, `${party.name} – ${l.document} ${formatCpfCnpj(party.document)}`],
    ...(party.address ? [[l.address, party.address] as [string, string]] : []),
  ]);
  section(l.contract);
  fields([[l.contract, `${c.number} · ${c.kind}`], [l.object ?? "Objeto", c.object], [l.contractTotal, money(toCents(c.totalCents))]]);
  section(`${l.measurement} ${l.numberSign} ${m.number}`);
  fields([[l.period, `${m.period.number} (${l.dateRange(date(m.period.startDate), date(m.period.endDate))})`], [l.measurementDate, m.date ? date(m.date) : "–"]]);

  section(l.items);
  const header = [l.code, l.description, l.unit, l.contractedQuantity, l.unitPrice, l.previousQuantity, l.currentQuantity, l.accumulatedQuantity, l.accumulatedPercent, l.currentValue];
  const drawHeader = () => {
    doc.font("B").fontSize(8);
    const h = Math.max(...header.map((s, i) => doc.heightOfString(s, { width: widths[i]! - 6 }))) + 4;
    doc.rect(M, y, W - 2 * M, h).fill(HEADER_FILL);
    let x = M;
    header.forEach((s, i) => (text(s, x + 3, y + 2, { font: "B", size: 8, width: widths[i]! - 6, align: "center" }), (x += widths[i]!)));
    doc.moveTo(M, y + h).lineTo(W - M, y + h).lineWidth(0.8).strokeColor(RULE).stroke();
    y += h;
  };
  drawHeader();
  let previousCents = 0n, currentCents = 0n;
  m.lines.forEach((line, index) => {
    const item = items.get(line.item)!;
    const value = lineTotalCents(line.currentQuantity, item.unitPriceCents);
    previousCents += lineTotalCents(line.previousQuantity, item.unitPriceCents);
    currentCents += value;
    const cells = [item.code, item.description, item.unit, contracted(item.quantity), money(item.unitPriceCents), qty(line.previousQuantity), qty(line.currentQuantity),
      qty(line.accumulatedQuantity), formatPercent(parseQuantity(line.accumulatedQuantity), parseQuantity(item.quantity), locale), money(value)];
    doc.font("R").fontSize(8);
    const h = doc.heightOfString(item.description, { width: widths[1]! - 6 }) + 4;
    if (y + h > H - BOTTOM) (y = newPage()), drawHeader();
    if (index % 2 === 1) doc.rect(M, y, W - 2 * M, h).fill(ZEBRA);
    let x = M;
    cells.forEach((s, i) => {
      text(s, x + 3, y + 2, { font: i === 6 ? "B" : "R", size: 8, width: widths[i]! - 6, align: i === 2 ? "center" : i >= 3 ? "right" : "left" });
      x += widths[i]!;
    });
    doc.moveTo(M, y + h).lineTo(W - M, y + h).lineWidth(0.3).strokeColor(RULE).stroke();
    y += h;
  });
  ensure(16);
  doc.rect(M, y, W - 2 * M, 14).fill(TOTAL_FILL);
  text(l.measurementTotal, M + 3, y + 3, { font: "B", size: 8.5 });
  text(money(currentCents), M, y + 3, { font: "B", size: 8.5, width: W - 2 * M - 3, align: "right" });
  y += 22;

  const contractTotal = toCents(c.totalCents);
  const accumulated = previousCents + currentCents;
  const summary: [string, string, boolean?][] = [
    [l.contractTotal, money(contractTotal)], [l.previousMeasured, money(previousCents)], [l.thisMeasurement, money(currentCents), true],
    [l.accumulatedMeasured, money(accumulated)], [l.contractBalance, money(contractTotal - accumulated)], [l.executedPercent, formatPercent(accumulated, contractTotal, locale)],
  ];
  ensure(summary.length * 14 + 4);
  for (const [k, v, bold] of summary) {
    text(k, W - M - 330, y, { font: bold ? "B" : "R", size: 9 });
    text(v, W - M - 150, y, { font: bold ? "B" : "R", size: 9, width: 150, align: "right" });
    y += 14;
  }

  section(l.signatures);
  text(l.signaturesNote, M, y, { size: 8, color: MUTED });
  y += 12;
  text([input.place, date(issuedAt)].filter(Boolean).join(", "), M, y);
  y += 10;
  const signing = input.signers.filter((s) => s.action !== "observe");
  for (let i = 0; i < signing.length; i += 2) {
    ensure(90);
    signing.slice(i, i + 2).forEach((s, j) => {
      const x = M + j * 250;
      doc.moveTo(x, y + 34).lineTo(x + 220, y + 34).lineWidth(0.7).strokeColor(INK).stroke();
      text(s.name, x, y + 38, { font: "B" });
      text(s.cpf ? `${l.cpf}: ${formatCpfCnpj(s.cpf)}` : " ", x, y + 50, { size: 8.5 });
      text([l.actions[s.action], s.role].filter(Boolean).join(" – "), x, y + 61, { size: 8.5 });
      text(s.email, x, y + 72, { size: 8, color: MUTED });
    });
    y += 90;
  }

  const range = doc.bufferedPageRange();
  const footer = `${title} ${recordLine} · ${l.issuedAt} ${date(issuedAt)}`;
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    // Drawn inside the bottom margin: lift it so pdfkit does not add a page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    text(footer, M, H - BOTTOM + 14, { size: 7.5, color: MUTED });
    text(l.page(p + 1, range.count), M, H - BOTTOM + 14, { size: 8, width: W - 2 * M, align: "right" });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
