import { X509Certificate } from "node:crypto";

/**
 * Whether `leaf` chains up to one of `roots`, using `pool` (the certificates
 * shipped inside the signature) as intermediates. Each link is checked by
 * signature, issuer name, CA flag and validity at `at` (the claimed signing
 * time: a PAdES-B-B signature has nothing better, and a certificate that
 * expired since must not make an old contract look forged).
 */
export function chainsToTrustedRoot(leaf: X509Certificate, pool: X509Certificate[], roots: X509Certificate[], at: Date): boolean {
  const isRoot = (c: X509Certificate) => roots.some((r) => r.fingerprint256 === c.fingerprint256);
  const validAt = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    if (!validAt(current)) return false;
    if (isRoot(current)) return true;
    const issuer = [...roots, ...pool].find(
      (c) => c.fingerprint256 !== current.fingerprint256 && c.ca && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}
