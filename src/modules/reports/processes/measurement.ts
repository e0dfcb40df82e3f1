/**
 * "Boletim de medição": per item the contracted quantity, unit price, the
 * quantities measured before, now and accumulated, % accumulated and the
 * value of this measurement; then the totals. Landscape: ten columns.
 */
import type { TableCell, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { AppError } from "../../../platform/errors.js";
import { lineTotalCents, parseQuantity, toCents } from "../decimal.js";
import { formatPercent } from "../format.js";
import {
  assertTotal,
  center,
  contractSummary,
  createContext,
  dataTable,
  documentFrame,
  fields,
  itemIndex,
  itemRows,
  partiesSection,
  right,
  section,
  signatureBlock,
  summaryTable,
  th,
  totalRow,
} from "../layout.js";
import type { Locale, MeasurementReportInput } from "../types.js";

export function measurementDocument(input: MeasurementReportInput, locale: Locale): TDocumentDefinitions {
  const ctx = createContext("measurement", input, locale);
  const { l } = ctx;
  const m = input.measurement;
  const c = input.contract;
  const findItem = itemIndex(ctx);

  const qty = ctx.qtyColumn(
    m.lines.flatMap((line) => [line.previousQuantity, line.currentQuantity, line.accumulatedQuantity]),
  );
  const contractedQty = ctx.qtyColumn(c.items.map((item) => item.quantity));
  let previousCents = 0n;
  let currentCents = 0n;
  const rows: TableCell[][][] = m.lines.map((line, i) => {
    const field = `measurement.lines[${i}]`;
    const item = findItem(line.item, `${field}.item`);
    const previous = parseQuantity(line.previousQuantity, `${field}.previousQuantity`);
    const current = parseQuantity(line.currentQuantity, `${field}.currentQuantity`);
    const accumulated = parseQuantity(line.accumulatedQuantity, `${field}.accumulatedQuantity`);
    if (previous + current !== accumulated) {
      throw new AppError("validation", `${field}: accumulated quantity is not previous + current`, {
        [`${field}.accumulatedQuantity`]: "must equal previousQuantity + currentQuantity",
      });
    }
    const value = lineTotalCents(line.currentQuantity, item.unitPriceCents);
    previousCents += lineTotalCents(line.previousQuantity, item.unitPriceCents);
    currentCents += value;
    return itemRows(
      [
      item.code,
      "",
      center(item.unit),
      right(contractedQty(item.quantity)),
      right(ctx.money(item.unitPriceCents)),
      right(qty(line.previousQuantity)),
      right(qty(line.currentQuantity), { bold: true }),
      right(qty(line.accumulatedQuantity)),
      right(formatPercent(accumulated, parseQuantity(item.quantity), locale)),
      right(ctx.money(value)),
      ],
      1,
      item.description,
    );
  });
  assertTotal(currentCents, m.totalCents, "measurement.totalCents");

  const contractTotal = toCents(c.totalCents, "contract.totalCents");
  const accumulatedCents = previousCents + currentCents;

  return documentFrame(ctx, {
    landscape: true,
    recordLine: `${l.numberSign} ${m.number} – ${l.contract} ${c.number}`,
    content: [
      ...partiesSection(ctx),
      ...contractSummary(ctx),
      section(`${l.measurement} ${l.numberSign} ${m.number}`),
      fields(
        [
          [l.period, `${m.period.number} (${l.dateRange(ctx.date(m.period.startDate), ctx.date(m.period.endDate))})`],
          [l.measurementDate, m.date ? ctx.date(m.date) : "–"],
        ],
        2,
      ),
      section(l.items),
      dataTable(
        ["auto", "*", 28, 58, 64, 58, 58, 58, 42, 72],
        [
          th(l.code),
          th(l.description),
          th(l.unit),
          th(l.contractedQuantity),
          th(l.unitPrice),
          th(l.previousQuantity),
          th(l.currentQuantity),
          th(l.accumulatedQuantity),
          th(l.accumulatedPercent),
          th(l.currentValue),
        ],
        [...rows, [totalRow(10, l.measurementTotal, ctx.money(currentCents))]],
        8,
      ),
      summaryTable([
        [l.contractTotal, ctx.money(contractTotal)],
        [l.previousMeasured, ctx.money(previousCents)],
        [l.thisMeasurement, ctx.money(currentCents), true],
        [l.accumulatedMeasured, ctx.money(accumulatedCents)],
        [l.contractBalance, ctx.money(contractTotal - accumulatedCents)],
        [l.executedPercent, formatPercent(accumulatedCents, contractTotal, locale)],
      ]),
      ...signatureBlock(ctx),
    ],
  });
}
