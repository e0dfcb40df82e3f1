import type { Kysely } from "kysely";

/**
 * Mails carry one-time secrets (signing links, codes). Once a mail has gone
 * out through SMTP, the stored copy no longer needs them: `secrets` lists
 * what to blank out after delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("mails").addColumn("secrets", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
