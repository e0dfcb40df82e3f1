import type { FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteModule } from "../../../../platform/http/server.js";
import { receiveTotvsSignCall } from "./receive-totvs-sign-call.js";
import { inboundSecretMatches, inboundWebhookPath, inboundWebhookSettings } from "./totvs-sign-secret.js";

const tags = ["providers"];
const settingsResponse = z.object({ url: z.string(), header: z.string(), secret: z.string() });

function presentedSecret(request: FastifyRequest, query: Record<string, unknown>): string | undefined {
  const header = request.headers["x-obrasign-secret"];
  if (typeof header === "string" && header) return header;
  const secret = query.secret;
  return typeof secret === "string" ? secret : undefined;
}

/**
 * `POST /api/providers/totvs-sign/webhook` (public: our own secret instead of
 * an account) and `GET|POST /api/settings/totvs-sign-webhook*` (admin: the
 * URL to paste in the TAE portal, and a way to change its secret).
 */
export const totvsSignInboundRoutes: RouteModule = async (app) => {
  app.get(
    "/api/settings/totvs-sign-webhook",
    { config: { permission: "settings:write" }, schema: { tags, summary: "The URL to give TOTVS Sign (carries our secret; reading it changes nothing)", response: { 200: settingsResponse } } },
    async () => inboundWebhookSettings(app.ctx),
  );

  app.post(
    "/api/settings/totvs-sign-webhook/rotate",
    { config: { permission: "settings:write" }, schema: { tags, summary: "Replace the secret: the old URL stops working", response: { 200: settingsResponse } } },
    async () => inboundWebhookSettings(app.ctx, { rotate: true }),
  );

  // Its own scope: TAE's payload is undocumented, so any content type (or
  // none, or broken JSON) is read as text here without touching other routes.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));
    // "warn": the request log line would print the URL, and the URL may carry the secret.
    scope.withTypeProvider<ZodTypeProvider>().post(inboundWebhookPath, { logLevel: "warn", schema: { tags, summary: "Called by TOTVS Sign when a document changes: schedules a refresh of it", querystring: z.record(z.string(), z.unknown()) } }, async (request, reply) => {
      if (!(await inboundSecretMatches(app.ctx, presentedSecret(request, request.query)))) {
        return reply.status(401).send({ error: { code: "unauthenticated", message: "Wrong or missing secret" } });
      }
      const { secret: _omit, ...query } = request.query;
      return reply.status(202).send(await receiveTotvsSignCall(app.ctx, request.body, query));
    });
  });
};
