import type { Kysely } from "kysely";

/**
 * Running the company from its pages: a user's own page language, and the
 * invitations an administrator sends instead of a password (one-time link,
 * only its hash kept).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("locale", "text").execute();
  await db.schema
    .createTable("user_invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("user_invitations_user").on("user_invitations").column("user_id").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
