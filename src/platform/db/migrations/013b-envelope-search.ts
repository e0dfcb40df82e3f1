import { sql, type Kysely } from "kysely";
import { searchFold } from "../search-text.js";

/**
 * The monitor's text search reaches past the document's name: the contract
 * number, the party's name and the recipients (names and e-mails). They are
 * kept on the envelope — `contract_number` and `party_name` as they were
 * when it was sent (shown as columns), `search_text` folded (lower case, no
 * accents) — so one trigram index answers "Concreto Forte" on both databases
 * and keyset paging stays one ordered walk.
 */
export async function up(db: Kysely<any>, dialect: "sqlite" | "postgres" = "sqlite"): Promise<void> {
  await db.schema.alterTable("envelopes").addColumn("contract_number", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("party_name", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("search_text", "text", (c) => c.notNull().defaultTo("")).execute();

  // Backfill in batches by id: the folding is JavaScript's (SQLite's lower() knows ASCII only).
  let after = "";
  for (;;) {
    const batch: { id: string; name: string; process: string; record_id: string }[] = await db
      .selectFrom("envelopes").select(["id", "name", "process", "record_id"]).where("id", ">", after).orderBy("id").limit(500).execute();
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    const ids = batch.map((e) => e.id);
    const recipients: { envelope_id: string; name: string; email: string }[] = await db
      .selectFrom("recipients").select(["envelope_id", "name", "email"]).where("envelope_id", "in", ids).where("removed_at", "is", null).execute();
    for (const e of batch) {
      const contract = await contractOf(db, e.process, e.record_id);
      const party = contract ? await db.selectFrom("parties").select(["name", "document"]).where("id", "=", contract.party_id).executeTakeFirst() : undefined;
      const people = recipients.filter((r) => r.envelope_id === e.id).flatMap((r) => [r.name, r.email]);
      await db.updateTable("envelopes").set({
        contract_number: contract?.number ?? null, party_name: party?.name ?? null,
        search_text: searchFold([e.name, contract?.number, party?.name, party?.document, ...people]),
      }).where("id", "=", e.id).execute();
    }
  }

  if (dialect === "sqlite") {
    await sql`CREATE VIRTUAL TABLE envelopes_search_fts USING fts5(search_text, content='envelopes', content_rowid='rowid', tokenize='trigram', detail='none')`.execute(db);
    await sql`INSERT INTO envelopes_search_fts (envelopes_search_fts) VALUES ('rebuild')`.execute(db);
    await sql`CREATE TRIGGER envelopes_search_fts_insert AFTER INSERT ON envelopes BEGIN
      INSERT INTO envelopes_search_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(db);
    await sql`CREATE TRIGGER envelopes_search_fts_delete AFTER DELETE ON envelopes BEGIN
      INSERT INTO envelopes_search_fts (envelopes_search_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`.execute(db);
    await sql`CREATE TRIGGER envelopes_search_fts_update AFTER UPDATE OF search_text ON envelopes BEGIN
      INSERT INTO envelopes_search_fts (envelopes_search_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO envelopes_search_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(db);
    return;
  }
  const trgm = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'`.execute(db);
  if (trgm.rows[0]?.n) await sql`CREATE INDEX envelopes_search_trgm ON envelopes USING gin (search_text gin_trgm_ops)`.execute(db);
}

async function contractOf(db: Kysely<any>, process: string, recordId: string): Promise<{ number: string; party_id: string } | undefined> {
  const table = { contract: null, amendment: "amendments", period: "periods", measurement: "measurements", advance: "advances" }[process];
  let contractId = recordId;
  if (table) {
    const child = await db.selectFrom(table).select("contract_id").where("id", "=", recordId).executeTakeFirst();
    if (!child) return undefined;
    contractId = child.contract_id;
  } else if (table === undefined) return undefined;
  return db.selectFrom("contracts").select(["number", "party_id"]).where("id", "=", contractId).executeTakeFirst();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
