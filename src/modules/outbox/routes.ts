import { z } from "zod";
import type { AppContext } from "../../platform/context.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { renderPage } from "../../platform/views/render.js";
import { authorize } from "../auth/policies.js";
import { requirePageUser } from "../auth/pages.js";

/**
 * "Caixa de saída": every mail obrasign sent or kept. Without SMTP this is
 * how a newcomer on one machine finds the signing links and codes.
 */
const listQuery = z.strictObject({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).default(50), to: z.string().optional() });

async function listMails(ctx: AppContext, query: z.infer<typeof listQuery>) {
  let qb = ctx.db.selectFrom("mails").select(["id", "to_address", "subject", "text_body", "status", "envelope_id", "created_at", "sent_at", "error"]);
  if (query.to) qb = qb.where("to_address", "=", query.to.toLowerCase());
  if (query.cursor) qb = qb.where("id", "<", query.cursor);
  const rows = await qb.orderBy("id", "desc").limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, text: m.text_body, status: m.status, envelopeId: m.envelope_id, createdAt: m.created_at, sentAt: m.sent_at, error: m.error })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

const linkify = (text: string) => text.split(/(https?:\/\/[^\s]+)/g);

export const outboxRoutes: RouteModule = (app) => {
  app.get("/api/outbox", { config: { permission: "users:manage" }, schema: { tags: ["outbox"], summary: "Mails sent or kept (admin)", querystring: listQuery } }, async (request) =>
    listMails(app.ctx, request.query as z.infer<typeof listQuery>),
  );
  app.get("/outbox", { schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
    if (!requirePageUser(request, reply)) return reply;
    authorize(request.actor, "users:manage");
    const mails = await listMails(app.ctx, request.query as z.infer<typeof listQuery>);
    const en = localeOf(request) === "en";
    return renderPage(request, reply, "/modules/outbox/views/outbox.eta", { mails, linkify, smtp: Boolean(app.ctx.config.smtpUrl), en, title: en ? "Outbox" : "Caixa de saída" });
  });
};
