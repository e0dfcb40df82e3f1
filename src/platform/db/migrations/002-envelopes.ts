import type { Kysely } from "kysely";

/** Envelopes, their files, recipients and history; jobs; mail outbox; blobs; settings; seal identities. */
export async function up(db: Kysely<unknown>, dialect: "sqlite" | "postgres" = "sqlite"): Promise<void> {
  const bytes = dialect === "postgres" ? "bytea" : "blob";

  await db.schema
    .createTable("blobs")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("content", bytes as "blob")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("provider_sessions")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("account_email", "text", (c) => c.notNull())
    .addColumn("token_encrypted", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("provider_sessions_pk", ["user_id", "provider"])
    .execute();

  await db.schema
    .createTable("seal_identities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("certificate_pem", "text", (c) => c.notNull())
    .addColumn("chain_pem", "text", (c) => c.notNull())
    .addColumn("ca_pem", "text")
    .addColumn("private_key_encrypted", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("envelopes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("project_id", "text", (c) => c.notNull().references("projects.id"))
    .addColumn("process", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("provider_ref", "text")
    .addColumn("author_id", "text", (c) => c.references("users.id"))
    .addColumn("author_label", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("signing_order", "integer", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("message", "text")
    .addColumn("allow_rejection", "integer", (c) => c.notNull())
    .addColumn("reminder_every_days", "integer")
    .addColumn("expires_at", "text")
    .addColumn("failure_reason", "text")
    .addColumn("rejection_reason", "text")
    .addColumn("trigger_key", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addColumn("completed_at", "text")
    .addColumn("last_checked_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("envelopes_record").on("envelopes").columns(["record_id", "id"]).execute();
  await db.schema.createIndex("envelopes_status").on("envelopes").columns(["status", "id"]).execute();
  await db.schema.createIndex("envelopes_project").on("envelopes").columns(["project_id", "id"]).execute();

  await db.schema
    .createTable("envelope_files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("envelope_id", "text", (c) => c.notNull().references("envelopes.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("page_count", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("envelope_files_envelope").on("envelope_files").columns(["envelope_id", "kind", "position"]).execute();
  await db.schema.createIndex("envelope_files_sha").on("envelope_files").column("sha256").execute();

  await db.schema
    .createTable("recipients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("envelope_id", "text", (c) => c.notNull().references("envelopes.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("cpf", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("sign_order", "integer")
    .addColumn("auth", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("acted_at", "text")
    .addColumn("rejection_reason", "text")
    .addColumn("token_hash", "text", (c) => c.unique())
    .addColumn("invited_at", "text")
    .addColumn("reminded_at", "text")
    .addColumn("signature_type", "text")
    .addColumn("signature_value", "text")
    .addColumn("evidence", "text")
    .addColumn("removed_at", "text")
    .execute();
  await db.schema.createIndex("recipients_envelope").on("recipients").columns(["envelope_id", "position"]).execute();
  await db.schema.createIndex("recipients_email").on("recipients").column("email").execute();

  await db.schema
    .createTable("signing_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("recipient_id", "text", (c) => c.notNull().references("recipients.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("consumed_at", "text")
    .execute();
  await db.schema.createIndex("signing_codes_recipient").on("signing_codes").columns(["recipient_id", "created_at"]).execute();

  await db.schema
    .createTable("envelope_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("envelope_id", "text", (c) => c.notNull().references("envelopes.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_label", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("data", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("envelope_events_envelope").on("envelope_events").columns(["envelope_id", "id"]).execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("progress_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_failed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();

  await db.schema
    .createTable("mails")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text")
    .addColumn("attachments", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("envelope_id", "text")
    .addColumn("error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("mails_created").on("mails").column("id").execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
