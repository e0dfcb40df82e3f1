import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { notFound } from "../../platform/errors.js";
import { presentEnvelope } from "./presenters.js";
import type { EnvelopeListQuery } from "./schemas.js";

type Reader = Db | Tx;

export async function getEnvelopeRow(db: Reader, id: string) {
  const row = await db.selectFrom("envelopes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Envelope");
  return row;
}

export const activeRecipients = (db: Reader, envelopeId: string) =>
  db.selectFrom("recipients").selectAll().where("envelope_id", "=", envelopeId).where("removed_at", "is", null).orderBy("position").execute();

export const envelopeFiles = (db: Reader, envelopeId: string, kind: "original" | "signed") =>
  db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", envelopeId).where("kind", "=", kind).orderBy("position").execute();

export async function getEnvelope(ctx: { db: Reader }, id: string) {
  const row = await getEnvelopeRow(ctx.db, id);
  const [recipients, events, files] = await Promise.all([
    ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "=", id).orderBy("position").execute(),
    ctx.db.selectFrom("envelope_events").selectAll().where("envelope_id", "=", id).orderBy("id").execute(),
    ctx.db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", id).orderBy("kind").orderBy("position").execute(),
  ]);
  return presentEnvelope(row, recipients, { events, files });
}

/**
 * The monitor's list: filters on indexed columns, keyset pagination on the
 * UUIDv7 id (newest first), recipients loaded for the page in one query.
 */
export async function listEnvelopes(ctx: AppContext, query: EnvelopeListQuery) {
  let qb = ctx.db.selectFrom("envelopes").selectAll();
  if (query.status) {
    const statuses = query.status.split(",") as never[];
    qb = statuses.length === 1 ? qb.where("status", "=", statuses[0]!) : qb.where("status", "in", statuses);
  }
  if (query.process) qb = qb.where("process", "=", query.process);
  if (query.projectId) qb = qb.where("project_id", "=", query.projectId);
  if (query.recordId) qb = qb.where("record_id", "=", query.recordId);
  if (query.authorId) qb = qb.where("author_id", "=", query.authorId);
  if (query.from) qb = qb.where("created_at", ">=", query.from);
  if (query.to) qb = qb.where("created_at", "<=", query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to);
  if (query.recipient) {
    const like = `%${query.recipient.toLowerCase()}%`;
    qb = qb.where("id", "in", ctx.db.selectFrom("recipients").select("envelope_id").where((eb) => eb.or([eb("email", "like", like), eb(sql`lower(name)`, "like", like)])));
  }
  if (query.q) qb = qb.where(sql`lower(name)`, "like", `%${query.q.toLowerCase()}%`);
  if (query.cursor) qb = qb.where("id", "<", query.cursor);
  const rows = await qb.orderBy("id", "desc").limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const recipients = page.length
    ? await ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "in", page.map((e) => e.id)).orderBy("position").execute()
    : [];
  return {
    items: page.map((e) => presentEnvelope(e, recipients.filter((r) => r.envelope_id === e.id))),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}
