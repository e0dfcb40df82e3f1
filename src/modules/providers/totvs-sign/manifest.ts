import type { ModuleManifest } from "../../../platform/modules.js";
import { taeAuthorPages } from "./accounts/pages.js";
import { taeAuthorRoutes } from "./accounts/routes.js";
import { totvsSignProvider } from "./from-settings.js";
import { totvsSignInboundRoutes } from "./inbound/routes.js";
import { totvsSignConnectionRoutes } from "./routes.js";

/** TOTVS Assinatura Eletrônica: the adapter, the connection test, users' own TAE accounts, inbound calls. */
export const totvsSignProviderModule: ModuleManifest = {
  name: "providers/totvs-sign",
  tables: ["provider_sessions"],
  routes: [totvsSignConnectionRoutes, taeAuthorRoutes, taeAuthorPages, totvsSignInboundRoutes],
  providers: [{ name: "totvs-sign", create: totvsSignProvider }],
};
