/** "Termo aditivo": the change of value, term or scope, before and after. */
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import { toCents } from "../decimal.js";
import {
  contractSummary,
  createContext,
  documentFrame,
  fields,
  itemsTable,
  partiesSection,
  section,
  signatureBlock,
  summaryTable,
} from "../layout.js";
import type { AmendmentReportInput, Locale } from "../types.js";

export function amendmentDocument(input: AmendmentReportInput, locale: Locale): TDocumentDefinitions {
  const ctx = createContext("amendment", input, locale);
  const { l } = ctx;
  const a = input.amendment;
  const c = input.contract;
  const current = toCents(c.totalCents, "contract.totalCents");
  const delta = toCents(a.valueDeltaCents, "amendment.valueDeltaCents");
  const newEnd = a.newEndDate ? ctx.date(a.newEndDate) : l.unchanged;

  const content: Content[] = [
    ...partiesSection(ctx),
    ...contractSummary(ctx),
    section(`${l.amendment} ${l.numberSign} ${a.number}`),
    fields(
      [
        [l.amendmentKind, l.amendmentKinds[a.kind]],
        [l.amendmentDate, a.date ? ctx.date(a.date) : "–"],
        [l.currentEndDate, ctx.date(c.endDate)],
        [l.newEndDate, newEnd],
      ],
      2,
    ),
    fields([[l.description, a.description]], 1),
  ];
  if (a.items && a.items.length > 0) {
    content.push(
      section(l.amendmentItems),
      itemsTable(ctx, a.items, { quantityLabel: l.quantityDelta, totalLabel: l.itemsTotal, field: "amendment.items" }),
    );
  }
  content.push(
    section(l.values),
    summaryTable([
      [l.currentValue_, ctx.money(current)],
      [l.valueDelta, ctx.money(delta)],
      [l.newValue, ctx.money(current + delta), true],
      [l.newEndDate, newEnd],
    ]),
    { text: l.amendmentClause, style: "clause" },
    ...signatureBlock(ctx),
  );
  return documentFrame(ctx, {
    recordLine: `${l.numberSign} ${a.number} – ${l.contract} ${c.number}`,
    content,
  });
}
