/**
 * The PDF half of sealing at the best level the configuration allows
 * (docs/decisions/013-evidence-levels.md), run in the worker pool as the
 * `pades.seal` task: the manifest pages, the incremental updates, the CMS
 * signature, the DSS and the document timestamp are all worked out here, off
 * the event loop. What a worker must not do — ask the time-stamp authority,
 * fetch CRLs, read the database — it asks the main thread for through its
 * host calls (modules/seal/seal-document.ts answers them).
 *
 * With timestamps: B-T (signature time-stamp), then B-LT (a DSS with the
 * seal's and the TSA's chains and their CRLs), then B-LTA (a document
 * timestamp over it all); without: B-B. When the TSA fails and
 * `mayDowngrade` is false the answer is `{ unavailable }`, so the job
 * retries with backoff; on its last attempts the file is sealed at the level
 * reached, with the warning to show.
 */
import { openPdf } from "../pdf/inspect.js";
import { appendManifest, type Manifest } from "../pdf/manifest.js";
import { manifestDocument } from "../pdf/manifest-document.js";
import type { PadesLevel } from "../verify/evidence.js";
import { findSignatures } from "../verify/signatures.js";
import { signatureTimestampOf } from "../verify/timestamp.js";
import type { TaskHost } from "../../platform/workers/host.js";
import { TimestampUnavailable } from "../../platform/timestamps/port.js";
import { tokenCertificates } from "./cert-info.js";
import { addDss } from "./dss.js";
import { documentTimestampExpiry } from "./renew.js";
import { addDocumentTimestamp, sealPdf, sealPdfWithTimestamp, type SealOptions, type Timestamper } from "./seal.js";
import { X509Certificate } from "node:crypto";

/** What the main thread answers for a seal in the worker (plain data both ways). */
export type SealHostCalls = {
  /** An RFC 3161 token over a SHA-256 digest, or why none could be had. */
  timestamp(digest: Uint8Array): Promise<{ token: Uint8Array } | { unavailable: string }>;
  /** The CRLs for these certificates (DER); `complete` is false when some could not be had. */
  revocationData(certificates: Uint8Array[]): Promise<{ crls: Uint8Array[]; complete: boolean; warnings: string[] }>;
};

/** The file to seal: a PDF (with the manifest pages appended first when given), or the manifest alone as its own PDF. */
export type SealSubject = { pdf: Uint8Array; appendManifest?: Manifest } | { manifestAlone: Manifest };

export interface SealTaskInput {
  subject: SealSubject;
  /** The seal's key (decrypted, PEM: a KeyObject does not cross threads) and chain; never logged. */
  signer: { privateKeyPem: string; chainPem: string[] };
  meta: Omit<SealOptions, "privateKey" | "certificateChain">;
  /** A time-stamp authority is configured: aim for B-LTA. */
  timestamps: boolean;
  mayDowngrade: boolean;
}

export interface SealedDocument {
  bytes: Uint8Array;
  level: PadesLevel;
  warnings: string[];
  /** The document timestamp's TSA certificate notAfter (ISO), when there is one: when renewal is due. */
  timestampExpiresAt?: string;
}

export type SealTaskOutput = SealedDocument | { unavailable: string };

const RANK: Record<PadesLevel, number> = { "B-B": 0, "B-T": 1, "B-LT": 2, "B-LTA": 3 };

export async function sealAtBestLevel(input: SealTaskInput, host: TaskHost<SealHostCalls>): Promise<SealTaskOutput> {
  const { subject } = input;
  const manifest = "manifestAlone" in subject ? subject.manifestAlone : subject.appendManifest;
  // The manifest tells the level its seal reaches, so the pages are drawn for a level before sealing.
  const withManifest = (sealLevel: PadesLevel) =>
    "manifestAlone" in subject ? manifestDocument({ ...subject.manifestAlone, sealLevel }) : subject.appendManifest ? appendManifest(subject.pdf, { ...subject.appendManifest, sealLevel }) : Promise.resolve(subject.pdf);
  const options: SealOptions = { ...input.meta, privateKey: input.signer.privateKeyPem, certificateChain: input.signer.chainPem };
  const plain = async (warnings: string[]): Promise<SealedDocument> => ({ bytes: sealPdf(await withManifest("B-B"), options), level: "B-B", warnings });
  if (!input.timestamps) return plain([]);

  const timestamp: Timestamper = async (digest) => {
    const answer = await host.call("timestamp", digest);
    if ("unavailable" in answer) throw new TimestampUnavailable(answer.unavailable);
    return answer.token;
  };
  try {
    // Drawn for B-LTA first; when the level reached is lower (incomplete revocation data, no document
    // timestamp), drawn again for that level and sealed anew, so the pages never claim more than the file holds.
    let claim: PadesLevel = "B-LTA";
    for (let pass = 0; pass < 2; pass++) {
      const sealed = await timestampedSeal(await withManifest(claim), options, timestamp, input, host);
      if ("downgrade" in sealed) return plain([sealed.downgrade]);
      if (!manifest || RANK[sealed.level] >= RANK[claim]) return sealed;
      claim = sealed.level;
    }
    return plain([`Sealed without a time-stamp (PAdES B-B): the level reached changed between two attempts`]);
  } catch (error) {
    // Told, not thrown: an Error's class does not cross the thread, and the job retries on exactly this.
    if (error instanceof TimestampUnavailable) return { unavailable: error.message };
    throw error;
  }
}

/** B-T, then the DSS (B-LT), then the document timestamp (B-LTA), as far as the TSA and the CRLs allow. */
async function timestampedSeal(pdf: Uint8Array, options: SealOptions, timestamp: Timestamper, input: SealTaskInput, host: TaskHost<SealHostCalls>): Promise<SealedDocument | { downgrade: string }> {
  let stamped: Uint8Array;
  try {
    stamped = await sealPdfWithTimestamp(pdf, options, timestamp);
  } catch (error) {
    if (!(error instanceof TimestampUnavailable) || !input.mayDowngrade) throw error;
    return { downgrade: `Sealed without a time-stamp (PAdES B-B): ${error.message}` };
  }
  const { bytes: withDss, complete, warnings } = await addRevocationData(stamped, input.signer.chainPem, host);
  try {
    const bytes = await addDocumentTimestamp(withDss, timestamp);
    const expiry = documentTimestampExpiry(bytes);
    return { bytes, level: complete ? "B-LTA" : "B-T", warnings, ...(expiry ? { timestampExpiresAt: expiry.toISOString() } : {}) };
  } catch (error) {
    if (!(error instanceof TimestampUnavailable) || !input.mayDowngrade) throw error;
    return { bytes: withDss, level: complete ? "B-LT" : "B-T", warnings: [...warnings, `No document timestamp: ${error.message}`] };
  }
}

/**
 * The DSS for the last signature of `pdf`: the seal chain and the TSA chain
 * its signature time-stamp carries, with the CRLs the host found for them.
 */
async function addRevocationData(pdf: Uint8Array, sealChainPem: string[], host: TaskHost<SealHostCalls>) {
  const last = findSignatures(openPdf(pdf)).filter((s) => s.subFilter !== "ETSI.RFC3161").at(-1);
  if (!last) return { bytes: pdf, complete: false, warnings: ["No signature to add revocation data for"] };
  const sealChain = sealChainPem.map((pem) => new Uint8Array(new X509Certificate(pem).raw));
  const token = signatureTimestampOf(last.contents)?.tokens[0];
  const certificates = dedupe([...sealChain, ...(token ? tokenCertificates(token) : [])]);
  const { crls, complete, warnings } = await host.call("revocationData", certificates);
  const bytes = addDss(pdf, { entries: [{ signatureContents: last.contents, certificates, crls: dedupe(crls) }] });
  return { bytes, complete, warnings };
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
