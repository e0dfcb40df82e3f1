/** "Termo de adiantamento": the advance, its due date and its weight on the contract. */
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { toCents } from "../decimal.js";
import { formatPercent } from "../format.js";
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
import type { AdvanceReportInput, Locale } from "../types.js";

export function advanceDocument(input: AdvanceReportInput, locale: Locale): TDocumentDefinitions {
  const ctx = createContext("advance", input, locale);
  const { l } = ctx;
  const a = input.advance;
  const c = input.contract;
  const amount = toCents(a.amountCents, "advance.amountCents");
  const previous = toCents(a.previousAdvancesCents ?? 0, "advance.previousAdvancesCents");
  const contractTotal = toCents(c.totalCents, "contract.totalCents");
  const advanced = previous + amount;

  return documentFrame(ctx, {
    recordLine: `${l.numberSign} ${a.number} – ${l.contract} ${c.number}`,
    content: [
      ...partiesSection(ctx),
      ...contractSummary(ctx),
      section(`${l.advance} ${l.numberSign} ${a.number}`),
      fields(
        [
          [l.advanceAmount, ctx.money(amount)],
          [l.dueDate, ctx.date(a.dueDate)],
        ],
        2,
      ),
      ...(a.description ? [fields([[l.description, a.description]], 1)] : []),
      summaryTable([
        [l.contractTotal, ctx.money(contractTotal)],
        [l.previousAdvances, ctx.money(previous)],
        [l.advanceAmount, ctx.money(amount), true],
        [l.advancesTotal, ctx.money(advanced)],
        [l.percentOfContract, formatPercent(advanced, contractTotal, locale)],
      ]),
      { text: l.advanceClause, style: "clause" },
      section(l.contractItems),
      itemsTable(ctx, c.items, { totalLabel: l.contractTotal, expectedTotalCents: c.totalCents, field: "contract.totalCents" }),
      ...signatureBlock(ctx),
    ],
  });
}
