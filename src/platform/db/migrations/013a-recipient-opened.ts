import type { Kysely } from "kysely";

/** When a recipient first opened their signing link (the history's "aberto" event keeps the IP and device). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("recipients").addColumn("opened_at", "text").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
