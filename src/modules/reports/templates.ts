/**
 * The report templates available per process. Per-project signature settings
 * store one of these names in `report`; the first of each list is the default.
 */
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { AppError } from "../../platform/errors.js";
import { advanceDocument } from "./processes/advance.js";
import { amendmentDocument } from "./processes/amendment.js";
import { contractDocument } from "./processes/contract.js";
import { measurementDocument } from "./processes/measurement.js";
import { periodDocument } from "./processes/period.js";
import { type Locale, type ReportInputs, type ReportProcess, reportProcesses } from "./types.js";

type Builder<P extends ReportProcess> = (input: ReportInputs[P], locale: Locale) => TDocumentDefinitions;

const builders: { [P in ReportProcess]: Record<string, Builder<P>> } = {
  contract: { "contract-standard": contractDocument },
  amendment: { "amendment-standard": amendmentDocument },
  period: { "period-standard": periodDocument },
  measurement: { "measurement-standard": measurementDocument },
  advance: { "advance-standard": advanceDocument },
};

export const reportTemplates: { readonly [P in ReportProcess]: readonly string[] } = Object.freeze(
  Object.fromEntries(reportProcesses.map((p) => [p, Object.freeze(Object.keys(builders[p]))])) as {
    [P in ReportProcess]: readonly string[];
  },
);

export function defaultTemplate(process: ReportProcess): string {
  return reportTemplates[process][0];
}

export function isReportTemplate(process: ReportProcess, name: string): boolean {
  return Object.hasOwn(builders[process] ?? {}, name);
}

export function templateBuilder<P extends ReportProcess>(process: P, name = defaultTemplate(process)): Builder<P> {
  if (!Object.hasOwn(builders, process)) {
    throw new AppError("validation", `process: unknown process ${JSON.stringify(process)}`, { process: "unknown process" });
  }
  const builder = (builders[process] as Record<string, Builder<P>>)[name];
  if (!builder || !Object.hasOwn(builders[process], name)) {
    throw new AppError("validation", `report: unknown template ${JSON.stringify(name)} for ${process}`, {
      report: `one of ${reportTemplates[process].join(", ")}`,
    });
  }
  return builder;
}
