import type { ModuleManifest } from "../../platform/modules.js";
import { monitorPages } from "./routes.js";

/** "Monitor de assinaturas": the envelope list and each envelope's page. */
export const monitorModule: ModuleManifest = { name: "monitor", tables: [], routes: [monitorPages] };
