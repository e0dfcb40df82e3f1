import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { AppError } from "../../platform/errors.js";
import { sendErrorPage, zodFields } from "../../platform/http/errors.js";
import { looseFields, optionalForm, pathParams } from "../../platform/http/page-schemas.js";
import type { RouteModule } from "../../platform/http/server.js";
import { formatMoment } from "../../platform/i18n/dates.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { requirePagePermission } from "../auth/pages.js";
import { createWebhook } from "./commands/create-webhook.js";
import { deleteWebhook } from "./commands/delete-webhook.js";
import { redeliverWebhook } from "./commands/redeliver.js";
import { webhookEvents } from "./events.js";
import { webhookMessages } from "./messages.js";
import { getWebhookRow, listDeliveries, listWebhooks } from "./queries.js";

const isId = (v: string) => /^[0-9a-f-]{36}$/i.test(v);
const notFoundPage = (request: FastifyRequest, reply: FastifyReply) => sendErrorPage(request, reply, { status: 404, message: { "pt-BR": "Webhook não encontrado.", en: "Webhook not found" } });

async function showList(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const locale = localeOf(request);
  const { items } = await listWebhooks(request.server.ctx);
  const query = (request.query ?? {}) as Record<string, unknown>;
  return renderPage(request, reply, "/modules/webhooks/views/webhooks.eta", {
    wh: webhookMessages(locale), webhooks: items, events: webhookEvents, date: (iso: string | null) => formatMoment(locale, iso),
    values: { events: [...webhookEvents] }, errors: {}, removed: query.removed === "1", ...extra,
  });
}

/** `/settings/webhooks` and a webhook's delivery log (admin): create, delete, redeliver. */
export const webhookPages: RouteModule = (app) => {
  const ctx = app.ctx;

  app.get("/settings/webhooks", { schema: { hide: true, querystring: looseFields } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    return showList(request, reply);
  });

  app.post("/settings/webhooks", { schema: { hide: true, body: optionalForm } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    const body = request.body ?? {};
    const chosen = ([] as unknown[]).concat(body.events ?? []).filter((e): e is string => typeof e === "string");
    const secret = typeof body.secret === "string" ? body.secret.trim() : "";
    const values = { url: typeof body.url === "string" ? body.url.trim() : "", events: chosen };
    const locale = localeOf(request);
    try {
      const created = await createWebhook(ctx, request.actor!, { url: values.url, events: chosen, ...(secret ? { secret } : {}) });
      reply.status(201);
      return showList(request, reply, { created });
    } catch (error) {
      if (error instanceof ZodError) return showList(request, reply.status(400), { values, errors: zodFields(error, locale), formError: webhookMessages(locale).fixErrors });
      if (error instanceof AppError) return showList(request, reply.status(error.status), { values, errors: error.fieldsIn(locale) ?? {}, formError: error.messageIn(locale) });
      throw error;
    }
  });

  app.post("/settings/webhooks/:id/delete", { schema: { hide: true, params: pathParams("id"), body: optionalForm } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    if (!isId(request.params.id)) return notFoundPage(request, reply);
    await deleteWebhook(ctx, request.actor!, request.params.id);
    return reply.redirect("/settings/webhooks?removed=1", 303);
  });

  app.get("/settings/webhooks/:id", { schema: { hide: true, params: pathParams("id"), querystring: looseFields } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    const { id } = request.params;
    if (!isId(id)) return notFoundPage(request, reply);
    const webhook = await getWebhookRow(ctx.db, id).catch(() => null);
    if (!webhook) return notFoundPage(request, reply);
    const locale = localeOf(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const cursor = typeof query.cursor === "string" && isId(query.cursor) ? query.cursor : undefined;
    const page = await listDeliveries(ctx, id, { limit: 50, ...(cursor ? { cursor } : {}) });
    return renderPage(request, reply, "/modules/webhooks/views/deliveries.eta", {
      wh: webhookMessages(locale), webhook, deliveries: page.items, nextCursor: page.nextCursor, date: (iso: string | null) => formatMoment(locale, iso),
      redelivered: query.redelivered === "1",
    });
  });

  app.post("/settings/webhooks/:id/deliveries/:deliveryId/redeliver", { schema: { hide: true, params: pathParams("id", "deliveryId"), body: optionalForm } }, async (request, reply) => {
    if (!requirePagePermission(request, reply, "settings:write")) return reply;
    const { id, deliveryId } = request.params;
    if (!isId(id) || !isId(deliveryId)) return notFoundPage(request, reply);
    await redeliverWebhook(ctx, id, deliveryId);
    return reply.redirect(`/settings/webhooks/${id}?redelivered=1`, 303);
  });
};
