import type { Kysely } from "kysely";

/**
 * Per-project, per-process signature parameters (one JSON document per
 * project and process, versioned) and the people who hold a role in a
 * project ("contract manager", …), which default recipient rules name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("project_signature_settings")
    .addColumn("project_id", "text", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("process", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text")
    .addPrimaryKeyConstraint("project_signature_settings_pk", ["project_id", "process"])
    .execute();

  await db.schema
    .createTable("project_members")
    .addColumn("project_id", "text", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("project_members_pk", ["project_id", "user_id", "role"])
    .execute();
  await db.schema.createIndex("project_members_user").on("project_members").column("user_id").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
