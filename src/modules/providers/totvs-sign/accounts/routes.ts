import type { RouteModule } from "../../../../platform/http/server.js";
import { createTaeAccountForUser } from "./commands/create-tae-account.js";
import { connectTaeAccount } from "./commands/connect-tae-account.js";
import { disconnectTaeAccount } from "./commands/disconnect-tae-account.js";
import { connectTaeAccountBody, createTaeAccountResponse, taeAccountStatusResponse, type ConnectTaeAccountInput } from "./schemas.js";
import { taeAccountStatus } from "./status.js";

const tags = ["signature settings"];

/** The signed-in user's own TAE account: status, connect, disconnect, create. */
export const taeAuthorRoutes: RouteModule = (app) => {
  app.get("/api/me/totvs-sign", { schema: { tags, summary: "My TOTVS Sign connection and account", response: { 200: taeAccountStatusResponse } } }, async (request) =>
    taeAccountStatus(app.ctx, request.actor!),
  );

  app.post(
    "/api/me/totvs-sign/connect",
    { config: { permission: "envelopes:send" }, schema: { tags, summary: "Sign in to TAE as myself (the token is kept until it expires)", body: connectTaeAccountBody, response: { 200: taeAccountStatusResponse } } },
    async (request) => {
      await connectTaeAccount(app.ctx, request.actor!, request.body);
      return taeAccountStatus(app.ctx, request.actor!, { checkAccount: false });
    },
  );

  app.delete("/api/me/totvs-sign/connect", { schema: { tags, summary: "Forget my TAE token" } }, async (request, reply) => {
    await disconnectTaeAccount(app.ctx, request.actor!);
    return reply.status(204).send();
  });

  app.post(
    "/api/me/totvs-sign/account",
    { config: { permission: "envelopes:send" }, schema: { tags, summary: "Create my TAE account through the service user", response: { 200: createTaeAccountResponse } } },
    async (request) => createTaeAccountForUser(app.ctx, request.actor!),
  );
};
