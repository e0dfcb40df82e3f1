import type { ModuleManifest } from "../../platform/modules.js";
import { authPages } from "./pages.js";
import { authApiRoutes } from "./routes.js";

/** Users, sessions, API tokens and the policies every route checks. */
export const authModule: ModuleManifest = {
  name: "auth",
  tables: ["users", "sessions", "api_tokens"],
  routes: [authPages, authApiRoutes],
};
