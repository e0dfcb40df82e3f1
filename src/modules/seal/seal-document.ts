import { X509Certificate } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import { fetchCrl } from "../../platform/revocation/crl-fetch.js";
import { httpTimestampAuthority } from "../../platform/timestamps/http-authority.js";
import { TimestampUnavailable, type TimestampAuthority } from "../../platform/timestamps/port.js";
import { crlUrlsOf, tokenCertificates } from "../../pades/seal/cert-info.js";
import { addDss } from "../../pades/seal/dss.js";
import { addDocumentTimestamp, sealPdf, sealPdfWithTimestamp, type SealOptions } from "../../pades/seal/seal.js";
import { findSignatures } from "../../pades/verify/signatures.js";
import { signatureTimestampOf } from "../../pades/verify/timestamp.js";
import { openPdf } from "../../pades/pdf/inspect.js";
import type { PadesLevel } from "../../pades/verify/evidence.js";
import { activeSeal } from "./identity-store.js";
import { currentCrl } from "./revocations.js";

/**
 * Seals a file at the highest level the configuration allows
 * (docs/decisions/013-evidence-levels.md): with a TSA, B-T (signature
 * time-stamp), then B-LT (a DSS with the seal's and the TSA's chains and
 * their CRLs), then B-LTA (a document timestamp over it all); without one,
 * B-B. When the TSA fails and `mayDowngrade` is false, TimestampUnavailable
 * is thrown so the job retries with backoff; on the last attempts the file
 * is sealed at the level reached, with the warning to show.
 */
export interface SealedDocument {
  bytes: Uint8Array;
  level: PadesLevel;
  warnings: string[];
}

export function timestampAuthorityOf(ctx: AppContext): TimestampAuthority | null {
  return ctx.config.tsa && ctx.config.tsa.urls.length > 0 ? httpTimestampAuthority(ctx.config.tsa, ctx.log) : null;
}

export async function sealDocument(ctx: AppContext, pdf: Uint8Array, meta: Omit<SealOptions, "privateKey" | "certificateChain">, mayDowngrade: boolean): Promise<SealedDocument> {
  const seal = await activeSeal(ctx);
  const options: SealOptions = { ...meta, privateKey: seal.privateKeyPem, certificateChain: seal.chainPem };
  const tsa = timestampAuthorityOf(ctx);
  if (!tsa) return { bytes: sealPdf(pdf, options), level: "B-B", warnings: [] };

  let stamped: Uint8Array;
  try {
    stamped = await sealPdfWithTimestamp(pdf, options, (digest) => tsa.timestamp(digest));
  } catch (error) {
    if (!(error instanceof TimestampUnavailable) || !mayDowngrade) throw error;
    return { bytes: sealPdf(pdf, options), level: "B-B", warnings: [`Sealed without a time-stamp (PAdES B-B): ${error.message}`] };
  }
  const { bytes: withDss, complete, warnings } = await addRevocationData(ctx, stamped, seal.chainPem);
  try {
    const final = await addDocumentTimestamp(withDss, (digest) => tsa.timestamp(digest));
    return { bytes: final, level: complete ? "B-LTA" : "B-T", warnings };
  } catch (error) {
    if (!(error instanceof TimestampUnavailable) || !mayDowngrade) throw error;
    return { bytes: withDss, level: complete ? "B-LT" : "B-T", warnings: [...warnings, `No document timestamp: ${error.message}`] };
  }
}

/**
 * The DSS for the last signature of `pdf`: the seal chain and the TSA
 * chain, with the installation CA's own CRL and the CRLs the other
 * certificates name (fetched, bounded in time). `complete` is false when
 * some certificate's revocation data could not be had.
 */
export async function addRevocationData(ctx: AppContext, pdf: Uint8Array, sealChainPem: string[]) {
  const doc = openPdf(pdf);
  const last = findSignatures(doc).filter((s) => s.subFilter !== "ETSI.RFC3161").at(-1);
  if (!last) return { bytes: pdf, complete: false, warnings: ["No signature to add revocation data for"] };
  const sealChain = sealChainPem.map((pem) => new Uint8Array(new X509Certificate(pem).raw));
  const token = signatureTimestampOf(last.contents)?.tokens[0];
  const tsaChain = token ? tokenCertificates(token) : [];
  const certificates = dedupe([...sealChain, ...tsaChain]);

  const own = await currentCrl(ctx);
  const ownIssuer = own ? await installationCaSubject(ctx) : null;
  const crls: Uint8Array[] = own ? [own] : [];
  const warnings: string[] = [];
  let complete = true;
  for (const der of certificates) {
    const cert = new X509Certificate(Buffer.from(der));
    if (cert.checkIssued(cert)) continue; // a root is trusted as an anchor, not checked for revocation
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
  const bytes = addDss(pdf, { entries: [{ signatureContents: last.contents, certificates, crls: dedupe(crls) }] });
  return { bytes, complete, warnings };
}

async function installationCaSubject(ctx: AppContext): Promise<string | null> {
  const row = await ctx.db.selectFrom("seal_identities").select("ca_pem").where("ca_key_encrypted", "is not", null).orderBy("created_at", "desc").executeTakeFirst();
  return row?.ca_pem ? new X509Certificate(row.ca_pem).subject : null;
}

function dedupe(items: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const key = Buffer.from(d).toString("base64");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
