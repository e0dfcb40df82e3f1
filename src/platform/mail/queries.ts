import type { AppContext } from "../context.js";

/** The outbox's list: newest first, keyset pages on the id, optionally for one address. */
export async function listMails(ctx: AppContext, query: { cursor?: string; limit: number; to?: string }) {
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
