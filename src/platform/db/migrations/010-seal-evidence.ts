import type { Kysely } from "kysely";

/**
 * Evidence that lasts (docs/decisions/013-evidence-levels.md):
 * - the installation CA's private key is kept, sealed by the secret box like
 *   the seal key, so the installation can publish a CRL for what it issued;
 * - the certificates it revoked (the CRL's entries);
 * - the trust anchors an admin chose (ICP-Brasil roots, a .pfx's root, a TSA's CA);
 * - for an installed .pfx, what its revocation data said when last fetched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("seal_identities").addColumn("ca_key_encrypted", "text").execute();
  await db.schema.alterTable("seal_identities").addColumn("revocation_info", "text").execute();
  await db.schema
    .createTable("seal_revocations")
    .addColumn("serial", "text", (c) => c.notNull())
    .addColumn("ca_fingerprint", "text", (c) => c.notNull())
    .addColumn("identity_id", "text")
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("seal_revocations_pk", ["ca_fingerprint", "serial"])
    .execute();
  await db.schema
    .createTable("seal_trust_anchors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fingerprint", "text", (c) => c.notNull().unique())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("certificate_pem", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("valid_to", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("obrasign migrations only go forward");
}
