import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { z } from "zod";
import type { AppContext } from "../../platform/context.js";
import { domainLabels } from "../../platform/i18n/domain.js";
import type { Locale } from "../../platform/i18n/index.js";
import { listEnvelopes } from "./queries.js";
import { envelopeListQuery, type EnvelopeListQuery } from "./schemas.js";

/** The list's filters (no cursor, no limit: the export walks every page) and the format. */
export const envelopeExportQuery = envelopeListQuery.omit({ cursor: true, limit: true }).extend({
  format: z.enum(["csv", "xlsx"], { message: "must be csv or xlsx" }).default("csv"),
});
export type EnvelopeExportQuery = z.infer<typeof envelopeExportQuery>;

const batch = 200;

const headings = {
  "pt-BR": ["Id", "Documento", "Situação", "Processo", "Contrato", "Parte", "Autor", "Provedor", "Criado em", "Enviado em", "Prazo", "Concluído em", "Concluíram", "Destinatários", "Motivo"],
  en: ["Id", "Document", "Status", "Process", "Contract", "Party", "Author", "Provider", "Created at", "Sent at", "Deadline", "Completed at", "Acted", "Recipients", "Reason"],
};

/**
 * Every envelope the filters select, newest first, read in keyset pages of
 * 200: memory stays one page whatever the list's length.
 */
async function* exportRows(ctx: AppContext, filters: Omit<EnvelopeExportQuery, "format">, locale: Locale): AsyncGenerator<(string | number)[]> {
  const labels = domainLabels[locale];
  let cursor: string | undefined;
  for (;;) {
    const query: EnvelopeListQuery = { ...filters, limit: batch, ...(cursor ? { cursor } : {}) };
    const page = await listEnvelopes(ctx, query);
    for (const e of page.items) {
      yield [
        e.id, e.name, labels.envelopeStatuses[e.status] ?? e.status, labels.processes[e.process] ?? e.process, e.contractNumber ?? "", e.partyName ?? "",
        e.author.replace(/ <.*>$/, ""), e.provider, e.createdAt, e.sentAt ?? "", e.expiresAt ?? "", e.completedAt ?? "", `${e.acted}/${e.total}`,
        e.recipients.map((r) => `${r.name} <${r.email}> (${labels.recipientStatuses[r.status] ?? r.status})`).join("; "),
        e.rejectionReason ?? e.failureReason ?? "",
      ];
    }
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** RFC 4180 fields; a leading =, +, - or @ is quoted with an apostrophe so a spreadsheet never runs it as a formula. */
const csvField = (value: string | number) => {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The filtered list as CSV (UTF-8 with BOM, so Excel reads the accents) or XLSX, as a stream. */
export function exportEnvelopes(ctx: AppContext, input: EnvelopeExportQuery, locale: Locale): { stream: Readable; contentType: string; fileName: string } {
  const { format, ...filters } = input;
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  if (format === "csv") {
    async function* csv() {
      yield "\ufeff" + headings[locale].map(csvField).join(",") + "\r\n";
      for await (const row of exportRows(ctx, filters, locale)) yield row.map(csvField).join(",") + "\r\n";
    }
    return { stream: Readable.from(csv()), contentType: "text/csv; charset=utf-8", fileName: `envelopes-${stamp}.csv` };
  }
  const out = new PassThrough();
  // The streaming writer commits each row to the zip as it goes; no shared strings, so nothing accumulates.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(locale === "en" ? "Envelopes" : "Envelopes");
  (async () => {
    sheet.addRow(headings[locale]).commit();
    for await (const row of exportRows(ctx, filters, locale)) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: Error) => out.destroy(error));
  return { stream: out, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: `envelopes-${stamp}.xlsx` };
}
