/** "Instrumento contratual": parties, object, items, values, dates. */
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { contractSummary, createContext, documentFrame, itemsTable, partiesSection, section, signatureBlock } from "../layout.js";
import type { ContractReportInput, Locale } from "../types.js";

export function contractDocument(input: ContractReportInput, locale: Locale): TDocumentDefinitions {
  const ctx = createContext("contract", input, locale);
  const { l } = ctx;
  const c = input.contract;
  return documentFrame(ctx, {
    recordLine: `${l.numberSign} ${c.number}`,
    content: [
      ...partiesSection(ctx),
      ...contractSummary(ctx),
      section(l.contractItems),
      itemsTable(ctx, c.items, { totalLabel: l.contractTotal, expectedTotalCents: c.totalCents, field: "contract.totalCents" }),
      ...signatureBlock(ctx),
    ],
  });
}
