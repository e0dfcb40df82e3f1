import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import type { Envelope } from "../../platform/db/schema.js";
import { notFound } from "../../platform/errors.js";
import { newId } from "../../platform/ids.js";
import { presentEnvelope } from "./presenters.js";
import { searchFold } from "../../platform/db/search-text.js";
import type { EnvelopeListQuery } from "./schemas.js";

type Reader = Db | Tx;

export const findEnvelopeRow = (db: Reader, id: string) => db.selectFrom("envelopes").selectAll().where("id", "=", id).executeTakeFirst();

export async function getEnvelopeRow(db: Reader, id: string) {
  const row = await findEnvelopeRow(db, id);
  if (!row) throw notFound("Envelope");
  return row;
}

export const activeRecipients = (db: Reader, envelopeId: string) =>
  db.selectFrom("recipients").selectAll().where("envelope_id", "=", envelopeId).where("removed_at", "is", null).orderBy("position").execute();

/** Every recipient, removed ones too (the history and webhooks show them). */
export const allRecipients = (db: Reader, envelopeId: string) =>
  db.selectFrom("recipients").selectAll().where("envelope_id", "=", envelopeId).orderBy("position").execute();

export const envelopeFiles = (db: Reader, envelopeId: string, kind: "original" | "signed") =>
  db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", envelopeId).where("kind", "=", kind).orderBy("position").execute();

/** The envelope's history, oldest first (ids are UUIDv7: time-ordered). */
export const envelopeHistory = (db: Reader, envelopeId: string) =>
  db.selectFrom("envelope_events").select(["type", "actor_label", "created_at"]).where("envelope_id", "=", envelopeId).orderBy("created_at").orderBy("id").execute();

export async function getEnvelope(ctx: { db: Reader }, id: string) {
  const row = await getEnvelopeRow(ctx.db, id);
  const [recipients, events, files] = await Promise.all([
    allRecipients(ctx.db, id),
    ctx.db.selectFrom("envelope_events").selectAll().where("envelope_id", "=", id).orderBy("id").execute(),
    ctx.db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", id).orderBy("kind").orderBy("position").execute(),
  ]);
  return presentEnvelope(row, recipients, { events, files });
}

/** Rows of the newest part of the keyset window scanned directly before an index-driven search takes over. */
const SCAN_WINDOW = 3000;

/**
 * The monitor's list: filters on indexed columns, keyset pagination on the
 * UUIDv7 id (newest first), recipients loaded for the page in one query.
 *
 * Sized by bench/monitor at 1,000,000 envelopes (indexes in migration 005):
 * - several statuses are read as one ordered branch per status
 *   (`(…, status, id)` indexes), merged, instead of sorting every match;
 * - the substring filters (`q`, `recipient`) and the date range first scan
 *   the newest SCAN_WINDOW rows below the cursor (cheap, and enough when the
 *   filter is common), then search the older rows through an index (trigram
 *   on the folded search text: name, contract, party, recipients — 013b; the recipient directory; (created_at, id)) when it is rare. The
 *   original predicates are always applied, so results are the same as a
 *   plain scan.
 */
export async function listEnvelopes(ctx: AppContext, query: EnvelopeListQuery) {
  const want = query.limit + 1;
  const statuses = query.status ? (query.status.split(",") as never[]) : [];
  // The text search covers name, contract number, party and recipients, folded alike on both sides (migration 013b).
  const qTerm = query.q ? searchFold(query.q) : "";
  const qLike = qTerm ? `%${qTerm}%` : null;
  const recipientLike = query.recipient ? `%${query.recipient.toLowerCase()}%` : null;
  const to = query.to ? (query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to) : null;
  const searched = Boolean(qLike || recipientLike || query.from || to);

  type Window = { below?: string | undefined; atLeast?: string | undefined; atMost?: string | undefined; indexed: boolean };
  const build = (w: Window, status: never | undefined) => {
    let qb = ctx.db.selectFrom("envelopes").selectAll();
    if (status !== undefined) qb = qb.where("status", "=", status);
    if (query.process) qb = qb.where("process", "=", query.process);
    if (query.projectId) qb = qb.where("project_id", "=", query.projectId);
    if (query.recordId) qb = qb.where("record_id", "=", query.recordId);
    if (query.authorId) qb = qb.where("author_id", "=", query.authorId);
    if (query.from) qb = qb.where("created_at", ">=", query.from);
    if (to) qb = qb.where("created_at", "<=", to);
    if (w.indexed && ctx.dialect === "sqlite" && (query.from || to)) {
      // Reach the date range through (created_at, id): SQLite then walks the matching ids newest first.
      let range = ctx.db.selectFrom("envelopes as d").select("d.id");
      if (query.from) range = range.where("d.created_at", ">=", query.from);
      if (to) range = range.where("d.created_at", "<=", to);
      if (w.below) range = range.where("d.id", "<", w.below);
      qb = qb.where("id", "in", range);
    }
    if (recipientLike) {
      if (w.indexed) {
        // Matching people first (the directory holds each distinct email and name once), then their envelopes.
        const below = w.below ? sql` and r.envelope_id < ${w.below}` : sql``;
        const ids = sql`select r.envelope_id from recipients r where (r.email, r.name) in (select d.email, d.name from recipient_directory d where d.email like ${recipientLike} or lower(d.name) like ${recipientLike})${below}`;
        // PostgreSQL: an array computed once, then primary-key lookups; as a semi-join it would walk
        // the id index hoping for an early match, which for a rare recipient means most of the table.
        qb = qb.where(ctx.dialect === "postgres" ? sql<boolean>`envelopes.id = any(array(${ids}))` : sql<boolean>`envelopes.id in (${ids})`);
      } else {
        // PostgreSQL: OFFSET 0 keeps the EXISTS a per-row probe of the (envelope_id) index over the
        // window; pulled up into a semi-join, the planner would scan and filter every recipient first.
        const fence = ctx.dialect === "postgres" ? sql` offset 0` : sql``;
        qb = qb.where(sql<boolean>`exists (select 1 from recipients r where r.envelope_id = envelopes.id and (r.email like ${recipientLike} or lower(r.name) like ${recipientLike})${fence})`);
      }
    }
    if (qLike) {
      qb = qb.where("search_text", "like", qLike);
      // SQLite: the FTS5 trigram index narrows the candidates; the LIKE above still decides.
      const term = qTerm;
      const chars = Array.from(term);
      if (w.indexed && ctx.dialect === "sqlite" && chars.length >= 3 && !/[%_]/.test(term)) {
        // Every trigram of the term, ANDed (the index keeps no positions, detail='none'); the LIKE rechecks.
        const trigrams = new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join("")));
        const match = [...trigrams].map((t) => `"${t.replaceAll('"', '""')}"`).join(" AND ");
        qb = qb.where(sql<boolean>`envelopes.rowid in (select rowid from envelopes_search_fts where envelopes_search_fts match ${match})`);
      }
    }
    if (w.below) qb = qb.where("id", "<", w.below);
    if (w.atLeast) qb = qb.where("id", ">=", w.atLeast);
    if (w.atMost) qb = qb.where("id", "<=", w.atMost);
    return qb;
  };
  const fetch = async (w: Window, limit: number) => {
    if (statuses.length <= 1) return build(w, statuses[0]).orderBy("id", "desc").limit(limit).execute();
    // One ordered branch per status, each stopping at `limit`, merged.
    const branches = statuses.map((s, i) => ctx.db.selectFrom(build(w, s).orderBy("id", "desc").limit(limit).as(`s${i}`)).selectAll());
    const union = branches.slice(1).reduce((u, b) => u.unionAll(b as never), branches[0]!);
    return ctx.db.selectFrom(union.as("u")).selectAll().orderBy("id", "desc").limit(limit).execute() as ReturnType<typeof build> extends { execute(): infer R } ? R : never;
  };

  let rows: Awaited<ReturnType<typeof fetch>>;
  if (!searched) rows = await fetch({ below: query.cursor, indexed: false }, want);
  else {
    let boundary = ctx.db.selectFrom("envelopes").select("id");
    if (query.cursor) boundary = boundary.where("id", "<", query.cursor);
    const edge = await boundary.orderBy("id", "desc").limit(1).offset(SCAN_WINDOW - 1).executeTakeFirst();
    rows = await fetch({ below: query.cursor, atLeast: edge?.id, indexed: false }, want);
    if (edge && rows.length < want) {
      const older: Window = { below: edge.id, indexed: true };
      if (ctx.dialect === "postgres" && (query.from || to)) {
        // The newest id in the date range, from (created_at, id) alone: the id scan starts there
        // instead of walking every newer row (PostgreSQL would, trusting a uniform spread).
        // OFFSET 0 keeps the planner from turning max(id) back into that same walk down the id index.
        let range = ctx.db.selectFrom("envelopes").select("id").where("id", "<", edge.id);
        if (query.from) range = range.where("created_at", ">=", query.from);
        if (to) range = range.where("created_at", "<=", to);
        const top = await ctx.db.selectFrom(range.offset(0).as("r")).select((eb) => eb.fn.max("r.id").as("top")).executeTakeFirst();
        older.atMost = top?.top ?? undefined;
      }
      if (older.atMost !== undefined || ctx.dialect !== "postgres" || !(query.from || to)) {
        rows = rows.concat(await fetch(older, want - rows.length));
      }
    }
  }
  const page = rows.slice(0, query.limit);
  const recipients = page.length
    ? await ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "in", page.map((e) => e.id)).orderBy("position").execute()
    : [];
  return {
    items: page.map((e) => presentEnvelope(e, recipients.filter((r) => r.envelope_id === e.id))),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

/** Envelopes by id, as the list presents them: two queries for any number of ids. */
export async function envelopesByIds(ctx: { db: Reader }, ids: string[]) {
  if (ids.length === 0) return [];
  const [envelopes, recipients] = await Promise.all([
    ctx.db.selectFrom("envelopes").selectAll().where("id", "in", ids).orderBy("id", "desc").execute(),
    ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "in", ids).orderBy("position").execute(),
  ]);
  return envelopes.map((e) => presentEnvelope(e, recipients.filter((r) => r.envelope_id === e.id)));
}

/** Which of these ids are envelopes. */
export async function existingEnvelopeIds(ctx: { db: Reader }, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await ctx.db.selectFrom("envelopes").select("id").where("id", "in", ids).execute()).map((r) => r.id);
}

/** One original of an envelope by its position. */
export const originalFile = (db: Reader, envelopeId: string, position: number) =>
  db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", envelopeId).where("kind", "=", "original").where("position", "=", position).executeTakeFirst();

/** The envelope one of whose files (original or signed) has these bytes. */
export async function envelopeIdOfFile(db: Reader, sha256: string): Promise<string | null> {
  const file = await db.selectFrom("envelope_files").select("envelope_id").where("sha256", "=", sha256).executeTakeFirst();
  return file?.envelope_id ?? null;
}

/** The envelope a provider knows by its own reference. */
export const envelopeByProviderRef = (db: Reader, provider: Envelope["provider"], ref: string) =>
  db.selectFrom("envelopes").selectAll().where("provider", "=", provider).where("provider_ref", "=", ref).executeTakeFirst();

/** Open envelopes of a provider: all of them, or those whose deadline passed, or those that remind. */
export async function openEnvelopeIds(db: Reader, provider: Envelope["provider"], filter: { expiredBy?: string; reminding?: boolean } = {}): Promise<string[]> {
  let qb = db.selectFrom("envelopes").select("id").where("provider", "=", provider).where("status", "in", ["pending", "partially_signed"]);
  if (filter.expiredBy) qb = qb.where("expires_at", "<=", filter.expiredBy);
  if (filter.reminding) qb = qb.where("reminder_every_days", "is not", null);
  return (await qb.execute()).map((r) => r.id);
}

/** Whether any envelope is still open (the scheduled refresh has work). */
export async function anyOpenEnvelope(db: Reader): Promise<boolean> {
  return Boolean(await db.selectFrom("envelopes").select("id").where("status", "in", ["pending", "partially_signed"]).limit(1).executeTakeFirst());
}

/** Replaces an envelope's signed files (a new seal, or the provider's signed download). */
export async function replaceSignedFiles(tx: Tx, envelopeId: string, files: { name: string; position: number; sha256: string; size: number; timestampExpiresAt?: string | null }[], at: string) {
  await tx.deleteFrom("envelope_files").where("envelope_id", "=", envelopeId).where("kind", "=", "signed").execute();
  if (files.length === 0) return;
  await tx
    .insertInto("envelope_files")
    .values(files.map((f) => ({ id: newId(), envelope_id: envelopeId, kind: "signed" as const, position: f.position, name: f.name, sha256: f.sha256, size: f.size, page_count: null, created_at: at, timestamp_expires_at: f.timestampExpiresAt ?? null })))
    .execute();
}

/** Signed files of completed envelopes whose last document timestamp expires before `before` (ISO), soonest first. */
export const signedFilesDueForRenewal = (db: Reader, before: string, limit: number) =>
  db.selectFrom("envelope_files").innerJoin("envelopes", "envelopes.id", "envelope_files.envelope_id")
    .select(["envelope_files.id", "envelope_files.envelope_id", "envelope_files.sha256", "envelope_files.name"])
    .where("envelope_files.kind", "=", "signed").where("envelope_files.timestamp_expires_at", "<=", before).where("envelopes.status", "=", "completed")
    .orderBy("envelope_files.timestamp_expires_at").limit(limit).execute();

/**
 * A signed file's renewed version takes its place; the earlier one stays as
 * `superseded` (same name and position), so a copy someone kept still
 * names its envelope. False when the file changed meanwhile (another
 * worker renewed it first).
 */
export async function supersedeSignedFile(tx: Tx, fileId: string, expectedSha256: string, next: { sha256: string; size: number; timestampExpiresAt: string | null }, at: string): Promise<boolean> {
  const current = await tx.selectFrom("envelope_files").selectAll().where("id", "=", fileId).executeTakeFirst();
  if (!current || current.kind !== "signed" || current.sha256 !== expectedSha256) return false;
  const moved = await tx.updateTable("envelope_files").set({ kind: "superseded" }).where("id", "=", fileId).where("kind", "=", "signed").where("sha256", "=", expectedSha256).executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  await tx.insertInto("envelope_files").values({ id: newId(), envelope_id: current.envelope_id, kind: "signed", position: current.position, name: current.name, sha256: next.sha256, size: next.size, page_count: current.page_count, created_at: at, timestamp_expires_at: next.timestampExpiresAt }).execute();
  return true;
}

/** Says on the envelope why something keeps failing (e.g. its seal), without moving it. */
export async function setFailureReason(tx: Tx, envelopeId: string, reason: string | null, at: string) {
  await tx.updateTable("envelopes").set({ failure_reason: reason, updated_at: at }).where("id", "=", envelopeId).execute();
}
