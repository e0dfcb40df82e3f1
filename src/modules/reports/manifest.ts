import type { ModuleManifest } from "../../platform/modules.js";

/** One PDF report per process, from the typed inputs its callers read from the records. */
export const reportsModule: ModuleManifest = { name: "reports", tables: [] };
