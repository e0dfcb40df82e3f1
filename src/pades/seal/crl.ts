/**
 * The installation CA's certificate revocation list (RFC 5280 §5): v2, with
 * a CRL number and the CA's key identifier, signed with the CA key. What it
 * lists is the caller's (the revocations table); this only encodes and signs.
 */
import "reflect-metadata";
import { createPrivateKey, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { int } from "./der.js";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type RevocationReason = "keyCompromise" | "superseded" | "cessationOfOperation" | "unspecified";

export interface CrlInput {
  caCertificatePem: string;
  caPrivateKeyPem: string;
  revoked: Array<{ serial: string; revokedAt: Date; reason: RevocationReason }>;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonic: a later CRL has a larger number. */
  number: number;
}

const REASONS: Record<RevocationReason, x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
};

function integerDer(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return n < 128 ? int(n) : Uint8Array.of(0x02, bytes.length, ...bytes);
}

export async function issueCrl(input: CrlInput): Promise<Uint8Array> {
  const ca = new x509.X509Certificate(input.caCertificatePem);
  const signingKey = await webcrypto.subtle.importKey(
    "pkcs8",
    createPrivateKey(input.caPrivateKeyPem).export({ format: "der", type: "pkcs8" }),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.subject,
    thisUpdate: input.thisUpdate,
    nextUpdate: input.nextUpdate,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm,
    signingKey: signingKey as CryptoKey,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca),
      new x509.Extension("2.5.29.20", false, new Uint8Array(integerDer(input.number))), // cRLNumber
    ],
    entries: input.revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.revokedAt, reason: REASONS[r.reason] })),
  });
  return new Uint8Array(crl.rawData);
}
