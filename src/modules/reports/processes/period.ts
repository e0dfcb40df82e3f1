/** "Demonstrativo do período": the period, its measurements, totals to date and per item quantities. */
import type { Content, TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { parseQuantity, toCents } from "../decimal.js";
import { formatPercent } from "../format.js";
import {
  center,
  contractSummary,
  createContext,
  dataTable,
  documentFrame,
  fields,
  itemIndex,
  itemRows,
  itemsTable,
  partiesSection,
  right,
  section,
  signatureBlock,
  summaryTable,
  th,
  totalRow,
} from "../layout.js";
import type { Locale, PeriodReportInput } from "../types.js";

export function periodDocument(input: PeriodReportInput, locale: Locale): TDocumentDefinitions {
  const ctx = createContext("period", input, locale);
  const { l } = ctx;
  const p = input.period;
  const c = input.contract;

  let periodCents = 0n;
  const measurementRows: TableCell[][][] = p.measurements.map((m, i) => {
    const total = toCents(m.totalCents, `period.measurements[${i}].totalCents`);
    periodCents += total;
    return [[m.number, center(m.date ? ctx.date(m.date) : "–"), center(m.status ?? "–"), right(ctx.money(total))]];
  });
  const contractTotal = toCents(c.totalCents, "contract.totalCents");
  const previous = toCents(p.previousAccumulatedCents ?? 0, "period.previousAccumulatedCents");
  const accumulated = previous + periodCents;

  const content: Content[] = [
    ...partiesSection(ctx),
    ...contractSummary(ctx),
    section(`${l.period} ${l.numberSign} ${p.number}`),
    fields(
      [
        [l.period, l.dateRange(ctx.date(p.startDate), ctx.date(p.endDate))],
        [l.periodStatus, p.status ?? "–"],
      ],
      2,
    ),
    section(l.measurements),
    measurementRows.length === 0
      ? { text: l.noMeasurements, italics: true }
      : dataTable(
          ["auto", 80, "*", 90],
          [th(l.measurementNumber), th(l.date), th(l.status), th(l.value)],
          [...measurementRows, [totalRow(4, l.periodTotal, ctx.money(periodCents))]],
        ),
    summaryTable([
      [l.contractTotal, ctx.money(contractTotal)],
      [l.previousAccumulated, ctx.money(previous)],
      [l.periodTotal, ctx.money(periodCents), true],
      [l.accumulatedToDate, ctx.money(accumulated)],
      [l.contractBalance, ctx.money(contractTotal - accumulated)],
      [l.executedPercent, formatPercent(accumulated, contractTotal, locale)],
    ]),
  ];

  if (p.lines && p.lines.length > 0) {
    const findItem = itemIndex(ctx);
    const qty = ctx.qtyColumn(p.lines.flatMap((line) => [line.periodQuantity, line.accumulatedQuantity]));
    const contractedQty = ctx.qtyColumn(c.items.map((item) => item.quantity));
    const rows: TableCell[][][] = p.lines.map((line, i) => {
      const item = findItem(line.item, `period.lines[${i}].item`);
      return itemRows(
        [
        item.code,
        "",
        center(item.unit),
        right(contractedQty(item.quantity)),
        right(ctx.money(item.unitPriceCents)),
        right(qty(line.periodQuantity), { bold: true }),
        right(qty(line.accumulatedQuantity)),
        right(formatPercent(parseQuantity(line.accumulatedQuantity), parseQuantity(item.quantity), locale)),
        ],
        1,
        item.description,
      );
    });
    content.push(
      section(l.periodItems),
      dataTable(
        ["auto", "*", 28, 56, 62, 56, 56, 40],
        [
          th(l.code),
          th(l.description),
          th(l.unit),
          th(l.contractedQuantity),
          th(l.unitPrice),
          th(l.periodQuantity),
          th(l.accumulatedQuantity),
          th(l.accumulatedPercent),
        ],
        rows,
        8,
      ),
    );
  } else {
    content.push(
      section(l.contractItems),
      itemsTable(ctx, c.items, { totalLabel: l.contractTotal, expectedTotalCents: c.totalCents, field: "contract.totalCents" }),
    );
  }
  content.push(...signatureBlock(ctx));

  return documentFrame(ctx, {
    recordLine: `${l.numberSign} ${p.number} – ${l.contract} ${c.number}`,
    content,
  });
}
