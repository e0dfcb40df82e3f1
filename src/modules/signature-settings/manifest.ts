import type { ModuleManifest } from "../../platform/modules.js";
import { signatureSettingsPages } from "./pages.js";
import { signatureSettingsRoutes } from "./routes.js";

/** The global signature settings: which provider, refresh on load, the TOTVS Sign connection. */
export const signatureSettingsModule: ModuleManifest = {
  name: "signature-settings",
  tables: [],
  routes: [signatureSettingsRoutes, signatureSettingsPages],
};
