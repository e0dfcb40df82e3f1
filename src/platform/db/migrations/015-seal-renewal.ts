import type { Kysely } from "kysely";

/**
 * When a signed file's last document timestamp expires (its TSA
 * certificate's notAfter), so the daily renewal sweep finds the files due
 * without reading every PDF (docs/decisions/013-evidence-levels.md). Files
 * sealed before stay null: `obrasign seals renew <envelopeId>` reads them
 * from the file itself. Renewed files leave their predecessor as kind
 * `superseded` (kind is plain text: no schema change needed for it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("envelope_files").addColumn("timestamp_expires_at", "text").execute();
  await db.schema.createIndex("envelope_files_timestamp_expiry").on("envelope_files").columns(["kind", "timestamp_expires_at"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
