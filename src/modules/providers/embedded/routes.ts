import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../../platform/errors.js";
import type { RouteModule } from "../../../platform/http/server.js";
import { localeOf } from "../../../platform/i18n/index.js";
import { signingMessages } from "./messages.js";
import { renderPage } from "../../../platform/views/render.js";
import { recipientByToken } from "./access.js";
import { rejectAsRecipient, rejectBody, signAsRecipient, signBody } from "./commands/act-as-recipient.js";
import { requestSigningCode } from "./commands/request-code.js";
import { eligibleNow } from "../../envelopes/eligibility.js";
import "./jobs.js";
import { activeRecipients, envelopeFiles, originalFile } from "../../envelopes/queries.js";
import { pathParams } from "../../../platform/http/page-schemas.js";

const signScript = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "views", "sign.js"), "utf8");
const tokenParams = z.strictObject({ token: z.string().min(1).max(200) });
const tags = ["built-in signing"];
/**
 * Evidence of who acted: the address as this server sees it (the connection's, or the client's as told by a
 * proxy OBRASIGN_TRUST_PROXY trusts), and the forwarded chain only when a proxy is trusted (`request.ips`).
 */
const meta = (request: FastifyRequest) => ({
  ip: request.ip ?? null, userAgent: request.headers["user-agent"] ?? null,
  ...(request.ips && request.ips.length > 1 ? { forwardedChain: request.ips } : {}),
});

/** What a recipient sees of an envelope through their link: nothing about the other recipients' contacts. */
async function signingView(request: FastifyRequest, token: string) {
  const { ctx } = request.server;
  const { recipient, envelope } = await recipientByToken(ctx, token);
  const files = await envelopeFiles(ctx.db, envelope.id, "original");
  const recipients = await activeRecipients(ctx.db, envelope.id);
  const mayAct = recipient.status === "pending" && eligibleNow(envelope, recipients).some((r) => r.id === recipient.id);
  return {
    envelope: {
      name: envelope.name,
      status: envelope.status,
      sender: envelope.author_label.replace(/ <.*>$/, ""),
      message: envelope.message,
      expiresAt: envelope.expires_at,
      allowRejection: envelope.allow_rejection === 1,
      files: files.map((f) => ({ name: f.name, pages: f.page_count, url: `/api/signing/${token}/files/${f.position}` })),
    },
    recipient: { name: recipient.name, email: recipient.email, action: recipient.action, status: recipient.status, actedAt: recipient.acted_at, mayActNow: mayAct },
  };
}

export const signingRoutes: RouteModule = (app) => {
  app.get("/assets/sign.js", { schema: { hide: true } }, async (_req, reply) => reply.type("text/javascript").header("cache-control", "public, max-age=3600").send(signScript));
  app.get("/api/signing/:token", { schema: { tags, params: tokenParams, security: [] } }, async (request) => signingView(request, request.params.token));

  app.get("/api/signing/:token/files/:position", { schema: { tags, params: z.strictObject({ token: z.string(), position: z.coerce.number().int().min(0) }), security: [] } }, async (request, reply) => {
    const { token, position } = request.params;
    const { envelope } = await recipientByToken(app.ctx, token);
    const file = await originalFile(app.ctx.db, envelope.id, position);
    if (!file) throw new AppError("not_found", "No such file");
    return reply.type("application/pdf").header("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`).header("cache-control", "private, no-store")
      // Shown in the signing page's frame: this one answer may be framed by the site itself.
      .header("content-security-policy", "frame-ancestors 'self'").header("x-frame-options", "SAMEORIGIN")
      .send(Buffer.from(await app.ctx.blobs.get(file.sha256)));
  });

  app.post("/api/signing/:token/code", { schema: { tags, summary: "Send a 6-digit code by e-mail", params: tokenParams, security: [] } }, async (request) =>
    requestSigningCode(app.ctx, request.params.token, meta(request)),
  );
  app.post("/api/signing/:token/sign", { schema: { tags, params: tokenParams, body: signBody, security: [] } }, async (request) =>
    signAsRecipient(app.ctx, request.params.token, request.body, meta(request)),
  );
  app.post("/api/signing/:token/reject", { schema: { tags, params: tokenParams, body: rejectBody, security: [] } }, async (request) =>
    rejectAsRecipient(app.ctx, request.params.token, request.body, meta(request)),
  );

  // The signing page: rendered with what the JSON API gives, then driven by a little script over that API.
  app.get("/sign/:token", { schema: { hide: true, params: pathParams("token") } }, async (request, reply) => {
    const token = request.params.token;
    reply.header("cache-control", "private, no-store");
    try {
      const view = await signingView(request, token);
      return renderPage(request, reply, "/modules/providers/embedded/views/sign.eta", { view, token, title: view.envelope.name, s: signingMessages(localeOf(request)) });
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== "gone" && error.code !== "not_found")) throw error;
      reply.status(error.status);
      return renderPage(request, reply, "/modules/providers/embedded/views/link-ended.eta", { message: error.message, gone: error.code === "gone", s: signingMessages(localeOf(request)) });
    }
  });
};
