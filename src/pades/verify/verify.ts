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
import { findSignatures, parsePdfDate, type SignatureEntry } from "./signatures.js";

export interface VerifyOptions {
  /** PEM certificates of the roots we trust (installation CA, ICP-Brasil roots). */
  trustedRoots: string[];
  /** SHA-256 fingerprints (hex, colons optional) of this installation's seal certificates. */
  installationCertFingerprints?: string[];
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
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const normalizeFingerprint = (f: string) => f.replace(/[^0-9a-f]/gi, "").toLowerCase();

/** Parses the file once; a file that cannot be read safely throws the AppError a user should see. */
export function verifyPdf(bytes: Uint8Array, options: VerifyOptions, limits?: PdfLimits): VerifyResult {
  const doc = openPdf(bytes, limits);
  if (doc.encrypted) throw pdfEncrypted();
  const roots = options.trustedRoots.map((pem) => new X509Certificate(pem));
  const ours = new Set((options.installationCertFingerprints ?? []).map(normalizeFingerprint));
  let signatures: SignatureReport[];
  try {
    signatures = findSignatures(doc).map((entry) => {
      doc.budget.tick();
      return checkSignature(bytes, entry, roots, ours);
    });
  } catch (error) {
    throw asPdfError(error);
  }
  const verdict = verdictOf(signatures);
  return { verdict, valid: verdict === "valid", signatures };
}

function verdictOf(signatures: SignatureReport[]): Verdict {
  const last = signatures[signatures.length - 1];
  if (!last || !signatures.every((s) => s.integrity) || !last.coversWholeDocument) return "invalid";
  return last.trusted ? "valid" : "untrusted";
}

function checkSignature(bytes: Uint8Array, entry: SignatureEntry, roots: X509Certificate[], ours: Set<string>): SignatureReport {
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
  if (!wellFormed) return { ...report, problem: "malformed /ByteRange" };
  report.coversWholeDocument = c + d === bytes.length;

  const check = verifyDetachedCms(entry.contents, [bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
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

function commonName(cert: X509Certificate): string | undefined {
  const line = cert.subject.split("\n").find((l) => l.startsWith("CN="));
  return line?.slice(3);
}
