import type { ModuleManifest } from "../../platform/modules.js";
import { verifyRoutes } from "./routes.js";

/** `/verify`: what a signed PDF proves, for anyone. */
export const verifyModule: ModuleManifest = {
  name: "verify",
  tables: [],
  routes: [verifyRoutes],
};
