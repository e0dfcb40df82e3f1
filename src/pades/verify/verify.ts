/**
 * Verification of every signature in a PDF: integrity (ByteRange digest,
 * messageDigest, CMS signature), trust (chain to a configured root) and
 * coverage (whether later bytes were appended after it).
 */
import { createHash, X509Certificate } from "node:crypto";
import { asPdfError, pdfEncrypted } from "../pdf/errors.js";
import { openPdf } from "../pdf/inspect.js";
import type { PdfLimits } from "../pdf/limits.js";
import { chainsToTrustedRoot } from "./chain.js";
import { verifyDetachedCms } from "./cms-verify.js";
import { evidenceOf, onlyDssAfter, type EntryCheck, type EntryEvidence, type PadesLevel } from "./evidence.js";
import { findSignatures, parsePdfDate, type SignatureEntry } from "./signatures.js";

export interface VerifyOptions {
  /** PEM certificates of the roots we trust (installation CA, ICP-Brasil roots). */
  trustedRoots: string[];
  /** SHA-256 fingerprints (hex, colons optional) of this installation's seal certificates. */
  installationCertFingerprints?: string[];
  /** CRLs (DER) known now besides the file's: the installation CA's current list. */
  currentCrls?: Uint8Array[];
}

export interface SignatureReport {
  signer: string;
  /** ISO 8601 (UTC): the claimed signing time. */
  signedAt: string | null;
  integrity: boolean;
  trusted: boolean;
  coversWholeDocument: boolean;
  subFilter: string | null;
  isInstallationSeal: boolean;
  fieldName: string | null;
  /** Why integrity failed, when it did. */
  problem?: string;
  /** ETSI.RFC3161 document timestamp, or a signature; its time-stamp and the signer's revocation status. */
  evidence?: EntryEvidence;
}

/**
 * valid: every signature intact, the last one covering the whole file, and
 * its chain trusted (the installation CA or an anchor an admin added).
 * untrusted: intact, but signed by a certificate nobody here vouches for — a
 * forger can make a CA with any name. invalid: altered, truncated or unsigned.
 */
export type Verdict = "valid" | "untrusted" | "invalid";

export interface VerifyResult {
  verdict: Verdict;
  /** verdict === "valid" */
  valid: boolean;
  signatures: SignatureReport[];
  /** The PAdES baseline level the file reaches (null: no intact signature), and why not the next. */
  level: PadesLevel | null;
  levelReasons: string[];
  dss: { certificates: number; crls: number; ocsps: number } | null;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const normalizeFingerprint = (f: string) => f.replace(/[^0-9a-f]/gi, "").toLowerCase();

/** Parses the file once; a file that cannot be read safely throws the AppError a user should see. */
export function verifyPdf(bytes: Uint8Array, options: VerifyOptions, limits?: PdfLimits): VerifyResult {
  const doc = openPdf(bytes, limits);
  if (doc.encrypted) throw pdfEncrypted();
  const roots = options.trustedRoots.map((pem) => new X509Certificate(pem));
  const ours = new Set((options.installationCertFingerprints ?? []).map(normalizeFingerprint));
  const checks: EntryCheck[] = [];
  let entries: ReturnType<typeof findSignatures>;
  let signatures: SignatureReport[];
  let evidence: ReturnType<typeof evidenceOf>;
  // Everything that reads the file's objects stays inside: a limit met there is the user's 422, not a 500.
  try {
    entries = findSignatures(doc);
    signatures = entries.map((entry) => {
      doc.budget.tick();
      return checkSignature(bytes, entry, roots, ours, checks);
    });
    evidence = evidenceOf(bytes, doc, entries, checks, { roots, currentCrls: options.currentCrls ?? [] });
  } catch (error) {
    throw asPdfError(error);
  }
  signatures.forEach((s, i) => {
    const e = evidence.entries[i]!;
    s.evidence = e;
    if (e.kind === "document-timestamp" && e.timestamp) {
      // The token is the whole signature: its imprint over the byte ranges is its integrity.
      s.integrity = e.timestamp.valid;
      s.trusted = e.timestamp.valid && e.timestamp.trusted;
      s.signer = e.timestamp.authority ?? s.signer;
      s.signedAt = e.timestamp.time ?? s.signedAt;
      if (e.timestamp.valid) delete s.problem;
      else s.problem = e.timestamp.problem;
    }
    // Revoked before any time we can prove the signature existed: no longer trusted.
    const revokedAt = e.revocation?.status === "revoked" ? new Date(e.revocation.revokedAt!) : null;
    const provenBy = e.timestamp?.valid ? new Date(e.timestamp.time!) : null;
    if (revokedAt && !(provenBy && provenBy < revokedAt)) s.trusted = false;
  });
  const lastEnd = entries.length ? (entries[entries.length - 1]!.byteRange[2] ?? 0) + (entries[entries.length - 1]!.byteRange[3] ?? 0) : 0;
  // B-LT: the DSS is appended after the last signature and changes nothing it signed.
  const endsWithDssOnly = () => onlyDssAfter(doc, openSignedRevision(bytes, lastEnd), lastEnd);
  const verdict = verdictOf(signatures, endsWithDssOnly);
  return { verdict, valid: verdict === "valid", signatures, level: evidence.level, levelReasons: evidence.reasons, dss: evidence.dss };
}

function verdictOf(signatures: SignatureReport[], endsWithDssOnly: () => boolean): Verdict {
  const last = signatures[signatures.length - 1];
  if (!last || !signatures.every((s) => s.integrity) || !(last.coversWholeDocument || endsWithDssOnly())) return "invalid";
  // Trust is the signer's: a document timestamp after the seal proves time, it does not vouch for who signed.
  const signer = [...signatures].reverse().find((s) => s.evidence?.kind !== "document-timestamp") ?? last;
  return signer.trusted ? "valid" : "untrusted";
}

function checkSignature(bytes: Uint8Array, entry: SignatureEntry, roots: X509Certificate[], ours: Set<string>, checks: EntryCheck[]): SignatureReport {
  const [a, b, c, d] = entry.byteRange;
  const claimedTime = parsePdfDate(entry.m);
  const report: SignatureReport = {
    signer: entry.name ?? "",
    signedAt: claimedTime?.toISOString() ?? null,
    integrity: false,
    trusted: false,
    coversWholeDocument: false,
    subFilter: entry.subFilter ?? null,
    isInstallationSeal: false,
    fieldName: entry.fieldName ?? null,
  };
  // The gap must be exactly the hex /Contents string; otherwise a forger
  // could leave arbitrary bytes unsigned.
  const wellFormed =
    entry.byteRange.length === 4 && a === 0 && b > 0 && c > b && d >= 0 && c + d <= bytes.length &&
    bytes[b] === 0x3c /* < */ && bytes[c - 1] === 0x3e /* > */;
  if (!wellFormed) {
    checks.push({ integrity: false, certificates: [] });
    return { ...report, problem: "malformed /ByteRange" };
  }
  report.coversWholeDocument = c + d === bytes.length;

  const check = verifyDetachedCms(entry.contents, [bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  checks.push(check);
  const signer = check.signer;
  const at = claimedTime ?? check.signingTimeAttribute ?? new Date();
  return {
    ...report,
    signer: signer ? commonName(signer) ?? report.signer : report.signer,
    signedAt: report.signedAt ?? check.signingTimeAttribute?.toISOString() ?? null,
    integrity: check.integrity,
    trusted: check.integrity && !!signer && chainsToTrustedRoot(signer, check.certificates, roots, at),
    isInstallationSeal: !!signer && ours.has(normalizeFingerprint(signer.fingerprint256)),
    ...(check.problem ? { problem: check.problem } : {}),
  };
}

function openSignedRevision(bytes: Uint8Array, end: number) {
  try {
    return end > 0 && end <= bytes.length ? openPdf(bytes.subarray(0, end)) : null;
  } catch {
    return null;
  }
}

function commonName(cert: X509Certificate): string | undefined {
  const line = cert.subject.split("\n").find((l) => l.startsWith("CN="));
  return line?.slice(3);
}
