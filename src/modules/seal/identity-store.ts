import { X509Certificate } from "node:crypto";
import type { Actor, AppContext } from "../../platform/context.js";
import { newId } from "../../platform/ids.js";
import { createInstallationCa, createSealCertificate, loadPkcs12 } from "../../pades/seal/identity.js";

/**
 * The installation's seal: generated on first start (its own CA and a seal
 * certificate), or a PKCS#12 an admin installs (an ICP-Brasil A1, say). The
 * private key is kept sealed by the secret box; rows live in the database so
 * that every node seals with the same identity.
 */
export interface ActiveSeal {
  id: string;
  privateKeyPem: string;
  chainPem: string[];
  fingerprint: string;
}

const generatedId = "generated";
let cache: ActiveSeal | null = null;

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, "").toLowerCase();

/** Creates the generated identity once (a second node racing us keeps the first). */
export async function ensureSealIdentity(ctx: AppContext): Promise<void> {
  const existing = await ctx.db.selectFrom("seal_identities").select("id").where("id", "=", generatedId).executeTakeFirst();
  if (existing) return;
  const ca = await createInstallationCa({ installationName: "obrasign" });
  const seal = await createSealCertificate(ca, { installationName: "obrasign" });
  const anyActive = await ctx.db.selectFrom("seal_identities").select("id").where("active", "=", 1).executeTakeFirst();
  await ctx.db
    .insertInto("seal_identities")
    .values({
      id: generatedId, source: "generated", subject: new X509Certificate(seal.certificatePem).subject.replace(/\n/g, ", "),
      certificate_pem: seal.certificatePem, chain_pem: seal.chainPem.join("\n"), ca_pem: ca.certificatePem,
      private_key_encrypted: ctx.secrets.seal(seal.privateKeyPem), fingerprint: fingerprintOf(seal.certificatePem),
      active: anyActive ? 0 : 1, created_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

const splitPem = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

export async function activeSeal(ctx: AppContext): Promise<ActiveSeal> {
  let row = await ctx.db.selectFrom("seal_identities").selectAll().where("active", "=", 1).executeTakeFirst();
  if (!row) {
    await ensureSealIdentity(ctx);
    row = await ctx.db.selectFrom("seal_identities").selectAll().where("active", "=", 1).executeTakeFirstOrThrow();
  }
  if (cache?.id === row.id && cache.fingerprint === row.fingerprint) return cache;
  cache = { id: row.id, privateKeyPem: ctx.secrets.open(row.private_key_encrypted), chainPem: splitPem(row.chain_pem), fingerprint: row.fingerprint };
  return cache;
}

/** Roots a verifier trusts, and the seal certificates that mark "this installation's". */
export async function trustAnchors(ctx: AppContext) {
  const rows = await ctx.db.selectFrom("seal_identities").selectAll().execute();
  const roots = rows.flatMap((r) => (r.ca_pem ? [r.ca_pem] : splitPem(r.chain_pem).slice(-1)));
  return { trustedRoots: roots, installationCertFingerprints: rows.map((r) => r.fingerprint) };
}

/** Installs a .pfx to seal with from now on; earlier seals stay verifiable. */
export async function installSealPfx(ctx: AppContext, _actor: Actor, pfx: Uint8Array, password: string) {
  const contents = loadPkcs12(pfx, password);
  const leaf = contents.certificateChain[0]!;
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable("seal_identities").set({ active: 0 }).execute();
    await tx
      .insertInto("seal_identities")
      .values({
        id, source: "pfx", subject: new X509Certificate(leaf).subject.replace(/\n/g, ", "), certificate_pem: leaf,
        chain_pem: contents.certificateChain.join("\n"), ca_pem: null, private_key_encrypted: ctx.secrets.seal(contents.privateKeyPem),
        fingerprint: fingerprintOf(leaf), active: 1, created_at: ctx.clock.now().toISOString(),
      })
      .execute();
  });
  cache = null;
  return { id, subject: new X509Certificate(leaf).subject.replace(/\n/g, ", "), validTo: new X509Certificate(leaf).validTo };
}
