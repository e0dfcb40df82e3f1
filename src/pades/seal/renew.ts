/**
 * Renewing a sealed file's evidence (PAdES B-LTA, ETSI EN 319 142-1 §5.5;
 * docs/decisions/013-evidence-levels.md): a time-stamp is worth what its
 * TSA certificate is, so before the last document timestamp's certificate
 * expires the file gets, as two more incremental updates, a DSS with the
 * revocation data known now for every certificate in it, then a new
 * document timestamp over all of it. Nothing earlier is touched: every
 * signature and timestamp before keeps its byte ranges and stays valid.
 *
 * Run in the worker pool (`pades.renew`); the TSA and the CRLs are asked
 * for through the same host calls as the seal.
 */
import { createHash, X509Certificate } from "node:crypto";
import { openPdf } from "../pdf/inspect.js";
import { findSignatures, type SignatureEntry } from "../verify/signatures.js";
import { signatureTimestampOf, verifyTimestampToken } from "../verify/timestamp.js";
import type { TaskHost } from "../../platform/workers/host.js";
import { TimestampUnavailable } from "../../platform/timestamps/port.js";
import type { SealHostCalls } from "./best-level.js";
import { tokenCertificates } from "./cert-info.js";
import { addDss } from "./dss.js";
import { addDocumentTimestamp, type Timestamper } from "./seal.js";

export interface RenewTaskInput {
  pdf: Uint8Array;
  /** Renew when the last document timestamp's TSA certificate expires before this (ISO 8601). */
  renewBefore: string;
}

export type RenewTaskOutput =
  | { renewed: true; bytes: Uint8Array; previousExpiresAt: string; expiresAt: string | null; warnings: string[] }
  | { renewed: false; expiresAt: string | null; reason: "not-due" | "no-document-timestamp" }
  | { unavailable: string };

const DOCUMENT_TIMESTAMP = "ETSI.RFC3161";

/** When the last document timestamp of `pdf` stops being verifiable: its TSA certificate's notAfter; null without one. */
export function documentTimestampExpiry(pdf: Uint8Array): Date | null {
  return lastDocumentTimestampExpiry(pdf, findSignatures(openPdf(pdf)));
}

function lastDocumentTimestampExpiry(pdf: Uint8Array, entries: SignatureEntry[]): Date | null {
  const last = entries.filter((e) => e.subFilter === DOCUMENT_TIMESTAMP).at(-1);
  if (!last) return null;
  const [a = 0, b = 0, c = 0, d = 0] = last.byteRange;
  const check = verifyTimestampToken(last.contents, (hash) => createHash(hash).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest(), []);
  return check.tsa ? new Date(check.tsa.validTo) : null;
}

/** Every certificate an entry carries: its CMS's, and its signature time-stamp's. */
function certificatesOf(entry: SignatureEntry): Uint8Array[] {
  const own = safe(() => tokenCertificates(entry.contents));
  const stamped = entry.subFilter === DOCUMENT_TIMESTAMP ? [] : (signatureTimestampOf(entry.contents)?.tokens ?? []).flatMap((t) => safe(() => tokenCertificates(t)));
  return dedupe([...own, ...stamped]);
}

export async function renewEvidence(input: RenewTaskInput, host: TaskHost<SealHostCalls>): Promise<RenewTaskOutput> {
  const entries = findSignatures(openPdf(input.pdf));
  const expiresAt = lastDocumentTimestampExpiry(input.pdf, entries);
  if (!expiresAt) return { renewed: false, expiresAt: null, reason: "no-document-timestamp" };
  if (expiresAt.getTime() > Date.parse(input.renewBefore)) return { renewed: false, expiresAt: expiresAt.toISOString(), reason: "not-due" };

  const perEntry = entries.map(certificatesOf);
  const all = dedupe(perEntry.flat());
  const { crls, warnings } = await host.call("revocationData", all);
  const fresh = dedupe(crls);
  const withDss = addDss(input.pdf, { entries: entries.map((entry, i) => ({ signatureContents: entry.contents, certificates: perEntry[i]!, crls: fresh })) });
  const timestamp: Timestamper = async (digest) => {
    const answer = await host.call("timestamp", digest);
    if ("unavailable" in answer) throw new TimestampUnavailable(answer.unavailable);
    return answer.token;
  };
  try {
    const bytes = await addDocumentTimestamp(withDss, timestamp);
    return { renewed: true, bytes, previousExpiresAt: expiresAt.toISOString(), expiresAt: documentTimestampExpiry(bytes)?.toISOString() ?? null, warnings };
  } catch (error) {
    // Told, not thrown: the class does not cross the thread; the file stays as it was and the next run tries again.
    if (error instanceof TimestampUnavailable) return { unavailable: error.message };
    throw error;
  }
}

function safe(read: () => Uint8Array[]): Uint8Array[] {
  try {
    return read();
  } catch {
    return [];
  }
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

/** The certificate's notAfter, for callers holding DER. */
export const notAfterOf = (der: Uint8Array) => new Date(new X509Certificate(Buffer.from(der)).validTo);
