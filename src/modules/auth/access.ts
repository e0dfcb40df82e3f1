import type { RequestAccess } from "../../platform/http/server.js";
import { authorize, type Permission } from "./policies.js";
import { actorFromApiToken, actorFromSession } from "./queries.js";

/** How the web server learns who calls (API token or session) and checks route permissions. */
export const requestAccess: RequestAccess = {
  actorOf: (ctx, credentials) => ("bearer" in credentials ? actorFromApiToken(ctx, credentials.bearer) : actorFromSession(ctx, credentials.session)),
  authorize: (actor, permission) => authorize(actor, permission as Permission),
};
