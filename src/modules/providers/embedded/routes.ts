import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import { signedCopyOf } from "../../../platform/config.js";
import { brandOf } from "./mails.js";
import { z } from "zod";
import { AppError } from "../../../platform/errors.js";
import type { RouteModule } from "../../../platform/http/server.js";
import { localeOf } from "../../../platform/i18n/index.js";
import { signingErrors, signingMessages } from "./messages.js";
import { renderPage } from "../../../platform/views/render.js";
import { recipientForView } from "./access.js";
import { rejectAsRecipient, rejectBody, signAsRecipient, signBody } from "./commands/act-as-recipient.js";
import { requestSigningCode } from "./commands/request-code.js";
import { noteOpened } from "./commands/note-opened.js";
import { eligibleNow } from "../../envelopes/eligibility.js";
import "./jobs.js";
import { activeRecipients, envelopeFiles, originalFile } from "../../envelopes/queries.js";
import { readEnvelopeFile } from "../../envelopes/stored-files.js";
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
  const { recipient, envelope, finished } = await recipientForView(ctx, token);
  if (!finished) await noteOpened(ctx, envelope, recipient, meta(request));
  const files = await envelopeFiles(ctx.db, envelope.id, "original");
  const signed = finished ? await envelopeFiles(ctx.db, envelope.id, "signed") : [];
  const recipients = await activeRecipients(ctx.db, envelope.id);
  const mayAct = !finished && recipient.status === "pending" && eligibleNow(envelope, recipients).some((r) => r.id === recipient.id);
  const brand = await brandOf(ctx);
  return {
    company: { name: brand.name, logoUrl: brand.logoUrl },
    envelope: {
      name: envelope.name,
      status: envelope.status,
      sender: envelope.author_label.replace(/ <.*>$/, ""),
      message: envelope.message,
      expiresAt: envelope.expires_at,
      completedAt: envelope.completed_at,
      allowRejection: envelope.allow_rejection === 1,
      files: files.map((f) => ({ name: f.name, pages: f.page_count, url: `/api/signing/${token}/files/${f.position}` })),
      signedFiles: signed.map((f) => ({ name: f.name, size: f.size, url: `/api/signing/${token}/signed/${f.position}` })),
      /** Until when this link shows the finished document. */
      availableUntil: finished && envelope.completed_at ? new Date(Date.parse(envelope.completed_at) + signedCopyOf(ctx.config).linkDays * 86_400_000).toISOString() : null,
    },
    recipient: { name: recipient.name, email: recipient.email, action: recipient.action, status: recipient.status, actedAt: recipient.acted_at, mayActNow: mayAct },
  };
}

const pdfReply = async (request: FastifyRequest, reply: FastifyReply, envelopeId: string, file: { name: string; sha256: string } | undefined, disposition: "inline" | "attachment") => {
  if (!file) throw new AppError("not_found", signingErrors("noFile"));
  return reply
    .type("application/pdf")
    .header("content-disposition", `${disposition}; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header("cache-control", "private, no-store")
    .send(Buffer.from(await readEnvelopeFile(request.server.ctx, envelopeId, file.sha256)));
};

export const signingRoutes: RouteModule = (app) => {
  app.get("/assets/sign.js", { schema: { hide: true } }, async (_req, reply) => reply.type("text/javascript").header("cache-control", "public, max-age=3600").send(signScript));
  app.get("/api/signing/:token", { schema: { tags, params: tokenParams, security: [] } }, async (request) => signingView(request, request.params.token));

  const fileParams = z.strictObject({ token: z.string(), position: z.coerce.number().int().min(0) });
  app.get("/api/signing/:token/files/:position", { schema: { tags, summary: "An original document", params: fileParams, security: [] } }, async (request, reply) => {
    const { token, position } = request.params;
    const { envelope } = await recipientForView(app.ctx, token);
    // Shown in the signing page's frame: this one answer may be framed by the site itself.
    reply.header("content-security-policy", "frame-ancestors 'self'").header("x-frame-options", "SAMEORIGIN");
    return pdfReply(request, reply, envelope.id, await originalFile(app.ctx.db, envelope.id, position), "inline");
  });

  // The signed copy, through the recipient's own link, for the configured days after completion.
  app.get("/api/signing/:token/signed/:position", { schema: { tags, summary: "The signed copy of a finished document", params: fileParams, security: [] } }, async (request, reply) => {
    const { token, position } = request.params;
    const { envelope, finished } = await recipientForView(app.ctx, token);
    if (!finished) throw new AppError("not_found", signingErrors("signedCopyLater"));
    const signed = await envelopeFiles(app.ctx.db, envelope.id, "signed");
    return pdfReply(request, reply, envelope.id, signed.find((f) => f.position === position), "attachment");
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
      return renderPage(request, reply, "/modules/providers/embedded/views/link-ended.eta", { message: error.messageIn(localeOf(request)), gone: error.code === "gone", s: signingMessages(localeOf(request)) });
    }
  });
};
