import type { Kysely } from "kysely";

/**
 * A provider failure is kept as its code and the values its message fills
 * (JSON), beside the English text for logs: the page and the API then tell
 * it in the reader's language (src/platform/providers/failure-messages.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("envelopes").addColumn("failure_values", "text").execute();
  await db.schema.alterTable("envelopes").addColumn("check_failure_values", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
