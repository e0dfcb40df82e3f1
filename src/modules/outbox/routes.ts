import { z } from "zod";
import type { AppContext } from "../../platform/context.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { authorize } from "../auth/policies.js";
import { requirePageUser } from "../auth/pages.js";
import { listMails } from "../../platform/mail/queries.js";

/**
 * "Caixa de saída": every mail obrasign sent or kept. Without SMTP this is
 * how a newcomer on one machine finds the signing links and codes.
 */
const listQuery = z.strictObject({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(50), to: z.string().optional() });


const linkify = (text: string) => text.split(/(https?:\/\/[^\s]+)/g);

export const outboxRoutes: RouteModule = (app) => {
  app.get("/api/outbox", { config: { permission: "users:manage" }, schema: { tags: ["outbox"], summary: "Mails sent or kept (admin)", querystring: listQuery } }, async (request) =>
    listMails(app.ctx, request.query),
  );
  app.get("/outbox", { schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    authorize(request.actor, "users:manage");
    const mails = await listMails(app.ctx, request.query);
    const en = localeOf(request) === "en";
    return renderPage(request, reply, "/modules/outbox/views/outbox.eta", { mails, linkify, smtp: Boolean(app.ctx.config.smtpUrl), en, title: en ? "Outbox" : "Caixa de saída" });
  });
};
