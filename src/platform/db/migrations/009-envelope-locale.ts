import type { Kysely } from "kysely";

/**
 * The envelope's language (pt-BR or en), given when it is created: its
 * report and its signature manifest speak it. Null (envelopes made before)
 * reads as pt-BR.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("envelopes").addColumn("locale", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
