import type { Kysely } from "kysely";

/**
 * Throttles shared by every node (platform/throttle): one row per counted
 * thing (a login e-mail, a client address, a recipient, the provider's call
 * pace). Instants are epoch milliseconds, not ISO text, so that a single
 * `INSERT … ON CONFLICT … DO UPDATE … RETURNING` can compare and add them on
 * both databases without a read before the write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("throttle_counters")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addColumn("window_started_ms", "bigint", (c) => c.notNull())
    .addColumn("strikes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until_ms", "bigint")
    .addColumn("updated_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("throttle_counters_updated").on("throttle_counters").column("updated_ms").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
