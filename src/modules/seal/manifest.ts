import type { ModuleManifest } from "../../platform/modules.js";
import { sealPages } from "./pages.js";
import { sealRoutes } from "./routes.js";

/** The installation's seal identity (its CA and seal certificate, or an installed .pfx). */
export const sealModule: ModuleManifest = {
  name: "seal",
  tables: ["seal_identities", "seal_revocations", "seal_trust_anchors"],
  routes: [sealRoutes, sealPages],
};
