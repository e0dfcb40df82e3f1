/**
 * One PDF report per process, as pure functions: plain data in, PDF bytes out.
 *
 *   const pdf = await renderReport("measurement", input, { locale: "pt-BR" });
 */
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { AppError } from "../../platform/errors.js";
import { renderPdf } from "./pdf.js";
import { templateBuilder } from "./templates.js";
import type { Locale, RenderOptions, ReportInputs, ReportProcess } from "./types.js";

export * from "./types.js";
export { formatBRL, formatCpfCnpj, formatDate, formatDateBR, formatPercent, formatQuantity } from "./format.js";
export { lineTotalCents, parseQuantity } from "./decimal.js";
export { defaultTemplate, isReportTemplate, reportTemplates } from "./templates.js";

const locales: readonly Locale[] = ["pt-BR", "en"];

/** The pdfmake document definition of a report (what `renderReport` prints). */
export function reportDocument<P extends ReportProcess>(process: P, input: ReportInputs[P], options: RenderOptions = {}): TDocumentDefinitions {
  const locale = options.locale ?? "pt-BR";
  if (!locales.includes(locale)) {
    throw new AppError("validation", `locale: unsupported locale ${JSON.stringify(locale)}`, { locale: "pt-BR or en" });
  }
  return templateBuilder(process, options.template)(input, locale);
}

/** Renders the report of one record of `process` to PDF bytes. */
export async function renderReport<P extends ReportProcess>(process: P, input: ReportInputs[P], options: RenderOptions = {}): Promise<Uint8Array> {
  return renderPdf(reportDocument(process, input, options));
}
