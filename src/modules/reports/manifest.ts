import type { ModuleManifest } from "../../platform/modules.js";
import { renderReportTask } from "./render-task.js";

/** One PDF report per process, from the typed inputs its callers read from the records; rendered in the worker pool. */
export const reportsModule: ModuleManifest = { name: "reports", tables: [], tasks: [renderReportTask] };
