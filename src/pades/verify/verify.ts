/**
 * Verification of every signature in a PDF: integrity (ByteRange digest,
 * messageDigest, CMS signature), trust (chain to a configured root) and
 * coverage (whether later bytes were appended after it).
 */
import { createHash, X509Certificate } from "node:crypto";
import { openPdf } from "../pdf/inspect.js";
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

export interface VerifyResult {
  valid: boolean;
  signatures: SignatureReport[];
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const normalizeFingerprint = (f: string) => f.replace(/[^0-9a-f]/gi, "").toLowerCase();

export function verifyPdf(bytes: Uint8Array, options: VerifyOptions): VerifyResult {
  const doc = openPdf(bytes);
  const roots = options.trustedRoots.map((pem) => new X509Certificate(pem));
  const ours = new Set((options.installationCertFingerprints ?? []).map(normalizeFingerprint));
  const signatures = findSignatures(doc).map((entry) => checkSignature(bytes, entry, roots, ours));
  const last = signatures[signatures.length - 1];
  const valid = signatures.length > 0 && signatures.every((s) => s.integrity) && last.coversWholeDocument;
  return { valid, signatures };
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
