import type { Kysely } from "kysely";

/**
 * The language of an envelope's documents and of the mails its recipients
 * get (report, manifest, invitations), chosen when it is sent and kept, so
 * it no longer follows whoever happens to be signed in. Envelopes sent
 * before this were written in Portuguese.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("envelopes").addColumn("language", "text", (c) => c.notNull().defaultTo("pt-BR")).execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
