import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../../../platform/errors.js";
import { zodFields } from "../../../../platform/http/errors.js";
import type { RouteModule } from "../../../../platform/http/server.js";
import { format, localeOf, type Locale } from "../../../../platform/i18n/index.js";
import { renderPage } from "../../../../platform/views/render.js";
import { requirePageUser } from "../../../auth/pages.js";
import { can } from "../../../auth/policies.js";
import { formatDateTime, signatureMessages } from "../../../signature-settings/messages.js";
import { createTaeAccountForUser } from "./commands/create-tae-account.js";
import { connectTaeAccount } from "./commands/connect-tae-account.js";
import { disconnectTaeAccount } from "./commands/disconnect-tae-account.js";
import { taeAccountStatus } from "./status.js";
import { looseFields } from "../../../../platform/http/page-schemas.js";

const page = "/account/totvs-sign";

async function showAccount(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const s = signatureMessages(locale);
  const actor = request.actor!;
  const status = await taeAccountStatus(request.server.ctx, actor);
  const query = (extra.query ?? {}) as { done?: unknown; email?: unknown };
  const notices: Record<string, string> = {
    connected: s.justConnected,
    disconnected: s.justDisconnected,
    created: format(s.createdTaeAccount, { email: actor.kind === "user" ? actor.email : "" }),
    existed: format(s.alreadyHadTaeAccount, { email: actor.kind === "user" ? actor.email : "" }),
  };
  return renderPage(request, reply, "/modules/providers/totvs-sign/accounts/views/account.eta", {
    s,
    status,
    until: status.expiresAt ? formatDateTime(new Date(status.expiresAt), locale) : "",
    email: status.account.email,
    canSend: can(actor, "envelopes:send"),
    notice: typeof query.done === "string" ? notices[query.done] : undefined,
    ...extra,
  });
}

function errorView(error: unknown, locale: Locale): { error: string; fieldErrors?: Record<string, string> } {
  if (error instanceof ZodError) return { error: Object.values(zodFields(error, locale)).join("; "), fieldErrors: zodFields(error, locale) };
  if (error instanceof AppError) return { error: error.messageIn(locale), fieldErrors: error.fieldsIn(locale) };
  throw error;
}

/** "Conectar ao TOTVS Assinatura Eletrônica": a plain form, POST then redirect. */
export const taeAuthorPages: RouteModule = (app) => {
  app.get(page, { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    return showAccount(request, reply, { query: request.query });
  });

  app.post(`${page}/connect`, { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    const form = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof form.email === "string" ? form.email : "";
    try {
      await connectTaeAccount(app.ctx, request.actor!, { email, password: typeof form.password === "string" ? form.password : "" });
    } catch (error) {
      const view = errorView(error, localeOf(request));
      reply.status(error instanceof AppError ? error.status : 400);
      return showAccount(request, reply, { ...view, email });
    }
    return reply.redirect(`${page}?done=connected`, 303);
  });

  app.post(`${page}/disconnect`, { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    await disconnectTaeAccount(app.ctx, request.actor!);
    return reply.redirect(`${page}?done=disconnected`, 303);
  });

  app.post(`${page}/account`, { schema: { hide: true } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    try {
      const result = await createTaeAccountForUser(app.ctx, request.actor!);
      return reply.redirect(`${page}?done=${result.created ? "created" : "existed"}`, 303);
    } catch (error) {
      const view = errorView(error, localeOf(request));
      reply.status(error instanceof AppError ? error.status : 400);
      return showAccount(request, reply, view);
    }
  });
};
