import { X509Certificate } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import { fetchCrl } from "../../platform/revocation/crl-fetch.js";
import { httpTimestampAuthority } from "../../platform/timestamps/http-authority.js";
import { TimestampUnavailable, type TimestampAuthority } from "../../platform/timestamps/port.js";
import { runTask } from "../../platform/workers/index.js";
import { crlUrlsOf } from "../../pades/seal/cert-info.js";
import type { SealedDocument, SealHostCalls, SealSubject, SealTaskInput } from "../../pades/seal/best-level.js";
import { activeSeal } from "./identity-store.js";
import { currentCrl } from "./revocations.js";

export type { SealedDocument, SealSubject } from "../../pades/seal/best-level.js";

/**
 * Seals a file at the highest level the configuration allows
 * (docs/decisions/013-evidence-levels.md). The PDF work runs in the worker
 * pool (`pades.seal`, src/pades/seal/best-level.ts); this side hands it the
 * seal's key and answers what it may not do itself: the time-stamp
 * authority, the CRLs and the installation CA's own CRL. When the TSA fails
 * and `mayDowngrade` is false, TimestampUnavailable is thrown so the job
 * retries with backoff.
 */
export function timestampAuthorityOf(ctx: AppContext): TimestampAuthority | null {
  return ctx.config.tsa && ctx.config.tsa.urls.length > 0 ? httpTimestampAuthority(ctx.config.tsa, ctx.log) : null;
}

export async function sealDocument(ctx: AppContext, subject: SealSubject, meta: SealTaskInput["meta"], mayDowngrade: boolean): Promise<SealedDocument> {
  const seal = await activeSeal(ctx);
  const tsa = timestampAuthorityOf(ctx);
  const input: SealTaskInput = { subject, signer: { privateKeyPem: seal.privateKeyPem, chainPem: seal.chainPem }, meta, timestamps: tsa !== null, mayDowngrade };
  const sealed = await runTask(ctx, "pades.seal", input, sealHostCalls(ctx, tsa));
  if ("unavailable" in sealed) throw new TimestampUnavailable(sealed.unavailable);
  return sealed;
}

/** What the seal and renewal tasks ask the main thread for: a time-stamp token, the CRLs. */
export function sealHostCalls(ctx: AppContext, tsa: TimestampAuthority | null): SealHostCalls {
  return {
    async timestamp(digest) {
      if (!tsa) return { unavailable: "No time-stamp authority is configured" };
      try {
        return { token: await tsa.timestamp(digest) };
      } catch (error) {
        if (error instanceof TimestampUnavailable) return { unavailable: error.message };
        throw error;
      }
    },
    revocationData: (certificates) => revocationDataFor(ctx, certificates),
  };
}

/**
 * The CRLs for a seal's DSS: the installation CA's own, and those the other
 * certificates name (fetched, bounded in time). Roots are anchors, not
 * checked for revocation. `complete` is false when some certificate's
 * revocation data could not be had.
 */
export async function revocationDataFor(ctx: AppContext, certificates: Uint8Array[]) {
  const own = await currentCrl(ctx);
  const ownIssuer = own ? await installationCaSubject(ctx) : null;
  const crls: Uint8Array[] = own ? [own] : [];
  const warnings: string[] = [];
  let complete = true;
  for (const der of certificates) {
    const cert = new X509Certificate(Buffer.from(der));
    if (cert.checkIssued(cert)) continue;
    if (own && ownIssuer === cert.issuer) continue;
    const urls = crlUrlsOf(der).slice(0, 3);
    let got = false;
    for (const url of urls) {
      const fetched = await fetchCrl(url);
      if (fetched.der) {
        crls.push(fetched.der);
        got = true;
        break;
      }
      warnings.push(`CRL ${url}: ${fetched.problem}`);
    }
    if (!got) {
      complete = false;
      if (urls.length === 0) warnings.push(`No revocation data for "${cert.subject.replace(/\n/g, ", ")}": its certificate names no CRL`);
    }
  }
  if (warnings.length) ctx.log.warn({ warnings }, "revocation data incomplete");
  return { crls, complete, warnings };
}

async function installationCaSubject(ctx: AppContext): Promise<string | null> {
  const row = await ctx.db.selectFrom("seal_identities").select("ca_pem").where("ca_key_encrypted", "is not", null).orderBy("created_at", "desc").executeTakeFirst();
  return row?.ca_pem ? new X509Certificate(row.ca_pem).subject : null;
}
