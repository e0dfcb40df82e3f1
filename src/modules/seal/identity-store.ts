import { X509Certificate } from "node:crypto";
import type { Actor, AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import type { Locale } from "../../platform/i18n/index.js";
import { newId } from "../../platform/ids.js";
import { createInstallationCa, createSealCertificate, loadPkcs12 } from "../../pades/seal/identity.js";
import { checkSealCertificate, splitPemCertificates, subjectOf } from "../../pades/seal/certificate-checks.js";
import { certificateProblemText } from "./messages.js";
import { addTrustAnchor, anchorCertificates } from "./trust-anchors.js";

/**
 * The installation's seal: generated on first start (its own CA and a seal
 * certificate), or a PKCS#12 an admin installs (an ICP-Brasil A1, say). The
 * private keys (the seal's, and the generated CA's so it can sign CRLs) are
 * kept sealed by the secret box; rows live in the database so that every
 * node seals with the same identity.
 */
export interface ActiveSeal {
  id: string;
  source: "generated" | "pfx";
  privateKeyPem: string;
  chainPem: string[];
  fingerprint: string;
}

/**
 * The first generated identity kept no CA key, so it can never publish a
 * CRL: installations that have it get a second one (with the key and a CRL
 * distribution point) and seal with that; the first stays verifiable.
 */
const legacyGeneratedId = "generated";
const generatedId = "generated-crl";
let cache: ActiveSeal | null = null;

export const resetSealCache = () => {
  cache = null;
};

export const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, "").toLowerCase();
export const crlUrlOf = (ctx: AppContext) => `${ctx.config.publicUrl}/seal/crl`;

/** Creates the generated identity once (a second node racing us keeps the first). */
export async function ensureSealIdentity(ctx: AppContext): Promise<void> {
  const existing = await ctx.db.selectFrom("seal_identities").select("id").where("id", "=", generatedId).executeTakeFirst();
  if (existing) return;
  const ca = await createInstallationCa({ installationName: "obrasign" });
  const seal = await createSealCertificate(ca, { installationName: "obrasign", crlUrl: crlUrlOf(ctx) });
  await ctx.db.transaction().execute(async (tx) => {
    const active = await tx.selectFrom("seal_identities").select("id").where("active", "=", 1).executeTakeFirst();
    const takeOver = !active || active.id === legacyGeneratedId;
    const inserted = await tx
      .insertInto("seal_identities")
      .values({
        id: generatedId, source: "generated", subject: subjectOf(new X509Certificate(seal.certificatePem)),
        certificate_pem: seal.certificatePem, chain_pem: seal.chainPem.join("\n"), ca_pem: ca.certificatePem,
        private_key_encrypted: ctx.secrets.seal(seal.privateKeyPem), ca_key_encrypted: ctx.secrets.seal(ca.privateKeyPem),
        fingerprint: fingerprintOf(seal.certificatePem), active: 0, created_at: ctx.clock.now().toISOString(), revocation_info: null,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    if (takeOver && Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await tx.updateTable("seal_identities").set({ active: 0 }).where("id", "=", legacyGeneratedId).execute();
      await tx.updateTable("seal_identities").set({ active: 1 }).where("id", "=", generatedId).execute();
    }
  });
  cache = null;
}

export async function activeSeal(ctx: AppContext): Promise<ActiveSeal> {
  let row = await ctx.db.selectFrom("seal_identities").selectAll().where("active", "=", 1).executeTakeFirst();
  if (!row) {
    await ensureSealIdentity(ctx);
    row = await ctx.db.selectFrom("seal_identities").selectAll().where("active", "=", 1).executeTakeFirstOrThrow();
  }
  if (cache?.id === row.id && cache.fingerprint === row.fingerprint) return cache;
  cache = { id: row.id, source: row.source, privateKeyPem: ctx.secrets.open(row.private_key_encrypted), chainPem: splitPemCertificates(row.chain_pem), fingerprint: row.fingerprint };
  return cache;
}

/**
 * Roots a verifier trusts (the installation CAs and the admin's trust
 * anchors: never a leaf), and the seal certificates that mark "this installation's".
 */
export async function trustAnchors(ctx: AppContext) {
  const rows = await ctx.db.selectFrom("seal_identities").select(["ca_pem", "fingerprint"]).execute();
  const installationCas = rows.flatMap((r) => (r.ca_pem ? [r.ca_pem] : []));
  const anchors = await anchorCertificates(ctx);
  const seen = new Set<string>();
  const trustedRoots = [...installationCas, ...anchors].filter((pem) => {
    const cert = new X509Certificate(pem);
    if (!cert.ca || seen.has(cert.fingerprint256)) return false;
    seen.add(cert.fingerprint256);
    return true;
  });
  return { trustedRoots, installationCertFingerprints: rows.map((r) => r.fingerprint) };
}

/**
 * Installs a .pfx to seal with from now on; earlier seals stay verifiable.
 * Refused (422) unless it is valid now, made for signing, RSA ≥ 2048 and
 * its chain complete, from the file, `extraPem` or the trust anchors.
 */
export async function installSealPfx(ctx: AppContext, _actor: Actor, pfx: Uint8Array, password: string, extraPem: string[], locale: Locale) {
  const contents = loadPkcs12(pfx, password);
  const leaf = contents.certificateChain[0]!;
  const anchors = await anchorCertificates(ctx);
  const check = checkSealCertificate(leaf, [...contents.certificates, ...extraPem], anchors, ctx.clock.now());
  if (check.problems.length > 0) {
    const reasons = check.problems.map((p) => certificateProblemText(p, locale));
    throw new AppError("unprocessable", reasons.join(" "), { file: reasons[0]! });
  }
  const id = newId();
  const subject = subjectOf(new X509Certificate(leaf));
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable("seal_identities").set({ active: 0 }).execute();
    await tx
      .insertInto("seal_identities")
      .values({
        id, source: "pfx", subject, certificate_pem: leaf, chain_pem: check.chain.join("\n"), ca_pem: null,
        private_key_encrypted: ctx.secrets.seal(contents.privateKeyPem), ca_key_encrypted: null, revocation_info: null,
        fingerprint: fingerprintOf(leaf), active: 1, created_at: ctx.clock.now().toISOString(),
      })
      .execute();
    // Installing a certificate to seal with is trusting its root: /verify and /seal/ca.pem use it from now on.
    if (check.root) await addTrustAnchor(ctx, tx, check.root, "pfx");
  });
  cache = null;
  return { id, subject, validTo: new Date(new X509Certificate(leaf).validTo).toISOString(), chainLength: check.chain.length };
}

/** The seal in use as an admin reads it: who it names, who issued it, how long it is valid, its chain and the level seals reach. */
export async function sealSummary(ctx: AppContext) {
  await activeSeal(ctx);
  const row = await ctx.db.selectFrom("seal_identities").select(["id", "source", "certificate_pem", "chain_pem", "fingerprint", "created_at"]).where("active", "=", 1).executeTakeFirstOrThrow();
  const leaf = new X509Certificate(row.certificate_pem);
  const chain = splitPemCertificates(row.chain_pem).map((pem) => new X509Certificate(pem)).filter((c) => c.fingerprint256 !== leaf.fingerprint256);
  return {
    id: row.id,
    source: row.source,
    subject: subjectOf(leaf),
    issuer: leaf.issuer.replace(/\n/g, ", "),
    validFrom: new Date(leaf.validFrom).toISOString(),
    validTo: new Date(leaf.validTo).toISOString(),
    chain: chain.map((c) => subjectOf(c)),
    fingerprint: row.fingerprint,
    // A configured time-stamp authority lets seals reach B-LTA (decision 013); without one they stay B-B.
    level: ctx.config.tsa && ctx.config.tsa.urls.length > 0 ? ("B-LTA" as const) : ("B-B" as const),
    installedAt: row.created_at,
  };
}
