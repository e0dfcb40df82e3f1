import type { ModuleManifest } from "../../platform/modules.js";
import { accountPages } from "./account-pages.js";
import { adminPages } from "./admin-pages.js";
import { authPages } from "./pages.js";
import { authApiRoutes } from "./routes.js";
import { purgeSessionsSchedule } from "./commands/purge-sessions.js";

/** Users, sessions, API tokens and the policies every route checks. */
export const authModule: ModuleManifest = {
  name: "auth",
  tables: ["users", "user_invitations", "sessions", "api_tokens"],
  routes: [authPages, adminPages, accountPages, authApiRoutes],
  schedules: [purgeSessionsSchedule],
};
