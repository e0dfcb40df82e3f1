/**
 * Report rendering as a worker-pool task: the main thread sends the report's
 * plain input, a pool thread lays it out and prints it with its own printer
 * (fonts parsed once per thread), the PDF bytes come back.
 *
 *   const pdf = await runTask(ctx, "reports.render", { process: "measurement", input, options: { locale: "pt-BR" } });
 */
import { defineTask } from "../../platform/workers/tasks.js";
import { renderReport } from "./index.js";
import type { RenderOptions, ReportInputs, ReportProcess } from "./types.js";

export interface RenderReportRequest<P extends ReportProcess = ReportProcess> {
  process: P;
  input: ReportInputs[P];
  options?: RenderOptions;
}

/** Runs in a pool thread. */
export function renderReportInWorker(request: RenderReportRequest): Promise<Uint8Array> {
  return renderReport(request.process, request.input, request.options);
}

declare module "../../platform/workers/tasks.js" {
  interface WorkerTasks {
    "reports.render": typeof renderReportInWorker;
  }
}

export const renderReportTask = defineTask("reports.render", import.meta.url, "renderReportInWorker");
