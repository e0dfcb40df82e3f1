/**
 * What a certificate must be to seal with: valid now, made for signing
 * (digitalSignature or nonRepudiation), a key a verifier still accepts
 * (RSA ≥ 2048 bits), and a chain a verifier can build from the signature
 * alone. pdfsig reports an expired seal as "Certificate has Expired" and a
 * leaf whose issuer is missing as "issuer is unknown": better to refuse such
 * a file when it is installed than to find out on the first contract.
 *
 * Problems are codes with their parameters; the caller words them in the
 * reader's language.
 */
import "reflect-metadata";
import { X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";

export type CertificateProblem =
  | { code: "expired"; notAfter: string }
  | { code: "not_yet_valid"; notBefore: string }
  | { code: "key_usage" }
  | { code: "weak_key"; bits: number }
  | { code: "chain_incomplete"; issuer: string }
  | { code: "issuer_expired"; subject: string; notAfter: string }
  | { code: "not_a_ca"; subject: string };

export interface SealChainCheck {
  /** Leaf first, then each issuer, up to a self-signed root or a trust anchor. */
  chain: string[];
  /** The self-signed root the chain ends in, when it ends in one. */
  root: string | null;
  problems: CertificateProblem[];
}

const MIN_RSA_BITS = 2048;
const DIGITAL_SIGNATURE = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

export const subjectOf = (cert: X509Certificate) => cert.subject.replace(/\n/g, ", ");
const selfSigned = (c: X509Certificate) => c.checkIssued(c) && c.verify(c.publicKey);

/** Splits PEM text (one or many certificates) into single PEM certificates. */
export function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** A certificate from PEM text or DER bytes, or null when it is neither. */
export function parseCertificate(input: string | Uint8Array): X509Certificate | null {
  try {
    return new X509Certificate(typeof input === "string" ? input : Buffer.from(input));
  } catch {
    return null;
  }
}

function keyUsageAllowsSigning(cert: X509Certificate): boolean {
  const parsed = new x509.X509Certificate(cert.raw);
  const usage = parsed.getExtension(x509.KeyUsagesExtension);
  return !!usage && (usage.usages & DIGITAL_SIGNATURE) !== 0;
}

/**
 * Builds and checks the chain of `leafPem` from the certificates that came
 * with it (`pool`: the .pfx's other certificates and extra uploads) and the
 * installation's trust anchors, at `now`.
 */
export function checkSealCertificate(leafPem: string, pool: string[], anchors: string[], now: Date): SealChainCheck {
  const leaf = new X509Certificate(leafPem);
  const problems: CertificateProblem[] = [];
  if (new Date(leaf.validTo) < now) problems.push({ code: "expired", notAfter: new Date(leaf.validTo).toISOString() });
  if (new Date(leaf.validFrom) > now) problems.push({ code: "not_yet_valid", notBefore: new Date(leaf.validFrom).toISOString() });
  if (!keyUsageAllowsSigning(leaf)) problems.push({ code: "key_usage" });
  const bits = leaf.publicKey.asymmetricKeyType === "rsa" ? leaf.publicKey.asymmetricKeyDetails?.modulusLength ?? 0 : null;
  if (bits !== null && bits < MIN_RSA_BITS) problems.push({ code: "weak_key", bits });

  const candidates = [...pool, ...anchors].map((pem) => new X509Certificate(pem));
  const anchorPrints = new Set(anchors.map((pem) => new X509Certificate(pem).fingerprint256));
  const chain = [leaf];
  let root: X509Certificate | null = null;
  for (let depth = 0; depth < 10; depth++) {
    const current = chain[chain.length - 1]!;
    if (current !== leaf && (selfSigned(current) || anchorPrints.has(current.fingerprint256))) {
      root = selfSigned(current) ? current : null;
      break;
    }
    if (current === leaf && selfSigned(leaf)) {
      // A self-signed signer: no verifier can tell it from a forgery.
      problems.push({ code: "chain_incomplete", issuer: subjectOf(leaf) });
      break;
    }
    const issuer = candidates.find((c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) {
      problems.push({ code: "chain_incomplete", issuer: current.issuer.replace(/\n/g, ", ") });
      break;
    }
    if (!issuer.ca) problems.push({ code: "not_a_ca", subject: subjectOf(issuer) });
    if (new Date(issuer.validTo) < now) problems.push({ code: "issuer_expired", subject: subjectOf(issuer), notAfter: new Date(issuer.validTo).toISOString() });
    chain.push(issuer);
  }
  return { chain: chain.map((c) => c.toString()), root: root?.toString() ?? null, problems };
}
