import { sql, type Kysely } from "kysely";

/**
 * Indexes for the monitor's list (`listEnvelopes`), sized by bench/monitor at
 * 1,000,000 envelopes:
 * - composite indexes ending in `id`, so each filter reads its page in
 *   keyset order and stops after 51 rows: (project_id, status, id),
 *   (process, status, id), (author_id, id); (created_at, id) for date ranges;
 * - a recipient directory: the distinct (email, name) pairs, kept by
 *   triggers, so the recipient substring filter scans thousands of people
 *   instead of millions of recipient rows, then reaches envelopes through
 *   recipients(email, name, envelope_id) (which replaces recipients(email));
 * - the name search (`q`): a trigram index, pg_trgm GIN on lower(name) on
 *   PostgreSQL when the extension can be created, FTS5 trigram on SQLite.
 */
export async function up(db: Kysely<any>, dialect: "sqlite" | "postgres" = "sqlite"): Promise<void> {
  await db.schema.createIndex("envelopes_project_status").on("envelopes").columns(["project_id", "status", "id"]).execute();
  await db.schema.createIndex("envelopes_process_status").on("envelopes").columns(["process", "status", "id"]).execute();
  await db.schema.createIndex("envelopes_author").on("envelopes").columns(["author_id", "id"]).execute();
  await db.schema.createIndex("envelopes_created").on("envelopes").columns(["created_at", "id"]).execute();

  await db.schema.dropIndex("recipients_email").execute();
  await db.schema.createIndex("recipients_email_name").on("recipients").columns(["email", "name", "envelope_id"]).execute();

  await db.schema
    .createTable("recipient_directory")
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("recipient_directory_pk", ["email", "name"])
    .execute();
  await sql`INSERT INTO recipient_directory (email, name) SELECT DISTINCT email, name FROM recipients`.execute(db);

  if (dialect === "sqlite") {
    await sql`CREATE TRIGGER recipient_directory_insert AFTER INSERT ON recipients BEGIN
      INSERT OR IGNORE INTO recipient_directory (email, name) VALUES (new.email, new.name); END`.execute(db);
    await sql`CREATE TRIGGER recipient_directory_update AFTER UPDATE OF email, name ON recipients BEGIN
      INSERT OR IGNORE INTO recipient_directory (email, name) VALUES (new.email, new.name); END`.execute(db);

    // External-content FTS5 over envelopes.name (rowid = envelopes' rowid), kept by triggers.
    // detail='none' keeps rowids only (no positions): the query ANDs single trigrams and rechecks
    // with LIKE, and the doclists it reads are about half as long.
    await sql`CREATE VIRTUAL TABLE envelopes_name_fts USING fts5(name, content='envelopes', content_rowid='rowid', tokenize='trigram', detail='none')`.execute(db);
    await sql`INSERT INTO envelopes_name_fts (envelopes_name_fts) VALUES ('rebuild')`.execute(db);
    await sql`CREATE TRIGGER envelopes_name_fts_insert AFTER INSERT ON envelopes BEGIN
      INSERT INTO envelopes_name_fts (rowid, name) VALUES (new.rowid, new.name); END`.execute(db);
    await sql`CREATE TRIGGER envelopes_name_fts_delete AFTER DELETE ON envelopes BEGIN
      INSERT INTO envelopes_name_fts (envelopes_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name); END`.execute(db);
    await sql`CREATE TRIGGER envelopes_name_fts_update AFTER UPDATE OF name ON envelopes BEGIN
      INSERT INTO envelopes_name_fts (envelopes_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
      INSERT INTO envelopes_name_fts (rowid, name) VALUES (new.rowid, new.name); END`.execute(db);
    return;
  }

  await sql`CREATE FUNCTION recipient_directory_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO recipient_directory (email, name) VALUES (NEW.email, NEW.name) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER recipient_directory_insert AFTER INSERT OR UPDATE OF email, name ON recipients
    FOR EACH ROW EXECUTE FUNCTION recipient_directory_add()`.execute(db);

  // pg_trgm ships with postgresql-contrib and is a trusted extension (PG 13+);
  // where it cannot be created the name search stays a scan, still correct.
  const available = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'pg_trgm'`.execute(db);
  if (available.rows[0]?.n) {
    await sql`SAVEPOINT monitor_trgm`.execute(db);
    try {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
      await sql`CREATE INDEX envelopes_name_trgm ON envelopes USING gin (lower(name) gin_trgm_ops)`.execute(db);
      await sql`RELEASE SAVEPOINT monitor_trgm`.execute(db);
    } catch {
      await sql`ROLLBACK TO SAVEPOINT monitor_trgm`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
