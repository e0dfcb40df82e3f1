import type { ModuleManifest } from "../../platform/modules.js";
import { outboxRoutes } from "./routes.js";

/** The "Caixa de saída": mails kept when no SMTP is configured. */
export const outboxModule: ModuleManifest = { name: "outbox", tables: [], routes: [outboxRoutes] };
