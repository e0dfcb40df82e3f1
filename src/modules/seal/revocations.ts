import { X509Certificate } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { issueCrl, type RevocationReason } from "../../pades/seal/crl.js";
import { createSealCertificate } from "../../pades/seal/identity.js";
import { crlUrlOf, ensureSealIdentity, fingerprintOf, resetSealCache } from "./identity-store.js";

/**
 * The installation CA's revocations and its CRL (RFC 5280), published at
 * /seal/crl and named in the seal certificates it issues. Revoking the
 * active seal certificate issues a new one from the same CA at once, so
 * sealing never stops.
 */
const CRL_VALIDITY_MS = 7 * 24 * 3600 * 1000;

async function caWithKey(ctx: AppContext) {
  await ensureSealIdentity(ctx);
  const rows = await ctx.db.selectFrom("seal_identities").selectAll().where("source", "=", "generated").orderBy("created_at", "desc").execute();
  const row = rows.find((r) => r.ca_key_encrypted && r.ca_pem);
  return row ? { row, caPem: row.ca_pem!, caKeyPem: ctx.secrets.open(row.ca_key_encrypted!) } : null;
}

/** The CA's current CRL (DER), freshly signed: thisUpdate now, nextUpdate in 7 days. */
export async function currentCrl(ctx: AppContext): Promise<Uint8Array | null> {
  const ca = await caWithKey(ctx);
  if (!ca) return null;
  const caFingerprint = fingerprintOf(ca.caPem);
  const revoked = await ctx.db.selectFrom("seal_revocations").selectAll().where("ca_fingerprint", "=", caFingerprint).execute();
  const now = ctx.clock.now();
  return issueCrl({
    caCertificatePem: ca.caPem, caPrivateKeyPem: ca.caKeyPem,
    revoked: revoked.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revoked_at), reason: r.reason })),
    thisUpdate: now, nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS),
    number: Math.floor(now.getTime() / 1000),
  });
}

/**
 * Revokes a seal certificate the installation CA issued. When it was the
 * active one, a new seal certificate from the same CA takes over.
 */
export async function revokeSealCertificate(ctx: AppContext, identityId: string, reason: RevocationReason) {
  const row = await ctx.db.selectFrom("seal_identities").selectAll().where("id", "=", identityId).executeTakeFirst();
  if (!row) throw new AppError("not_found", "Seal identity not found");
  if (row.source !== "generated" || !row.ca_pem || !row.ca_key_encrypted) {
    throw new AppError("unprocessable", "Only seal certificates issued by the installation CA can be revoked here; ask the certificate's authority to revoke a .pfx.");
  }
  const cert = new X509Certificate(row.certificate_pem);
  const now = ctx.clock.now().toISOString();
  const replacement = row.active === 1
    ? await createSealCertificate({ certificatePem: row.ca_pem, privateKeyPem: ctx.secrets.open(row.ca_key_encrypted) }, { installationName: "obrasign", crlUrl: crlUrlOf(ctx) })
    : null;
  await ctx.db.transaction().execute(async (tx) => {
    await tx.insertInto("seal_revocations")
      .values({ serial: cert.serialNumber, ca_fingerprint: fingerprintOf(row.ca_pem!), identity_id: row.id, reason, revoked_at: now })
      .onConflict((oc) => oc.columns(["ca_fingerprint", "serial"]).doNothing())
      .execute();
    if (!replacement) return;
    // The revoked row keeps its id (earlier seals name it); the new certificate takes the identity's place.
    await tx.updateTable("seal_identities").set({ active: 0, id: `${row.id}-revoked-${cert.serialNumber.slice(0, 8).toLowerCase()}` }).where("id", "=", row.id).execute();
    await tx.insertInto("seal_identities").values({
      id: row.id, source: "generated", subject: row.subject, certificate_pem: replacement.certificatePem, chain_pem: replacement.chainPem.join("\n"),
      ca_pem: row.ca_pem, private_key_encrypted: ctx.secrets.seal(replacement.privateKeyPem), ca_key_encrypted: row.ca_key_encrypted,
      fingerprint: fingerprintOf(replacement.certificatePem), active: 1, created_at: now, revocation_info: null,
    }).execute();
  });
  resetSealCache();
  return { serial: cert.serialNumber, revokedAt: now, reason, replacedBy: replacement ? fingerprintOf(replacement.certificatePem) : null };
}
