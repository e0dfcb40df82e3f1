import { X509Certificate } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import type { Tx } from "../../platform/db/transaction.js";
import { AppError } from "../../platform/errors.js";
import type { Locale } from "../../platform/i18n/index.js";
import { newId } from "../../platform/ids.js";
import { parseCertificate, splitPemCertificates, subjectOf } from "../../pades/seal/certificate-checks.js";
import type { SealTrustAnchorsTable } from "../../platform/db/schema.js";
import { anchorMessages } from "./messages.js";

/**
 * Trust anchors an admin chose: roots /verify chains signatures and
 * timestamps to (the ICP-Brasil roots, a TSA's CA), besides the
 * installation's own CA. Only CA certificates: a leaf is never an anchor.
 */
type Purpose = SealTrustAnchorsTable["purpose"];
const fingerprintOf = (cert: X509Certificate) => cert.fingerprint256.replace(/:/g, "").toLowerCase();

export async function anchorCertificates(ctx: Pick<AppContext, "db">): Promise<string[]> {
  const rows = await ctx.db.selectFrom("seal_trust_anchors").select("certificate_pem").orderBy("created_at").execute();
  return rows.map((r) => r.certificate_pem);
}

export async function listTrustAnchors(ctx: AppContext) {
  const rows = await ctx.db.selectFrom("seal_trust_anchors").selectAll().orderBy("created_at").orderBy("subject").execute();
  return rows.map((r) => ({ id: r.id, subject: r.subject, fingerprint: r.fingerprint, purpose: r.purpose, validTo: r.valid_to, createdAt: r.created_at }));
}

/** Adds one anchor (idempotent by fingerprint); returns its id. */
export async function addTrustAnchor(ctx: AppContext, tx: Tx, pem: string, purpose: Purpose): Promise<string> {
  const cert = new X509Certificate(pem);
  const fingerprint = fingerprintOf(cert);
  const existing = await tx.selectFrom("seal_trust_anchors").select("id").where("fingerprint", "=", fingerprint).executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await tx
    .insertInto("seal_trust_anchors")
    .values({ id, fingerprint, subject: subjectOf(cert), certificate_pem: cert.toString(), purpose, valid_to: new Date(cert.validTo).toISOString(), created_at: ctx.clock.now().toISOString() })
    .onConflict((oc) => oc.column("fingerprint").doNothing())
    .execute();
  return id;
}

/** PEM text (one or many certificates) or one DER certificate → anchors; all or nothing. */
export async function addTrustAnchors(ctx: AppContext, input: Uint8Array, purpose: Purpose, locale: Locale) {
  const m = anchorMessages(locale);
  const text = Buffer.from(input).toString("latin1");
  const pems = splitPemCertificates(text);
  const certs = (pems.length > 0 ? pems.map((p) => parseCertificate(p)) : [parseCertificate(input)]);
  if (certs.length === 0 || certs.some((c) => !c)) throw new AppError("validation", m.notCertificate, { certificate: m.notCertificate });
  for (const cert of certs as X509Certificate[]) {
    if (!cert.ca) throw new AppError("unprocessable", m.notCa(subjectOf(cert)), { certificate: m.notCa(subjectOf(cert)) });
    if (new Date(cert.validTo) < ctx.clock.now()) throw new AppError("unprocessable", m.expired(subjectOf(cert)), { certificate: m.expired(subjectOf(cert)) });
  }
  const ids = await ctx.db.transaction().execute(async (tx) => {
    const out: string[] = [];
    for (const cert of certs as X509Certificate[]) out.push(await addTrustAnchor(ctx, tx, cert.toString(), purpose));
    return out;
  });
  const all = await listTrustAnchors(ctx);
  return all.filter((a) => ids.includes(a.id));
}

export async function removeTrustAnchor(ctx: AppContext, id: string): Promise<void> {
  const deleted = await ctx.db.deleteFrom("seal_trust_anchors").where("id", "=", id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new AppError("not_found", "Trust anchor not found");
}
