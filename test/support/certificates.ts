/** Certificates with chosen flaws (expired, weak, wrong usage), and .pfx files of them, for install tests. */
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import forge from "node-forge";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TestKeyCert {
  certificatePem: string;
  privateKeyPem: string;
  keys: CryptoKeyPair;
}

const alg = (bits: number) => ({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: bits });
const day = 24 * 3600 * 1000;
const serial = () => randomBytes(12).toString("hex").replace(/^[89a-f]/, "1");

async function pemOf(key: CryptoKey) {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }) as string;
}

export async function testCa(name: string, issuer?: TestKeyCert, options: { eku?: string[] } = {}): Promise<TestKeyCert> {
  const keys = (await webcrypto.subtle.generateKey(alg(2048), true, ["sign", "verify"])) as CryptoKeyPair;
  const extensions = [
    new x509.BasicConstraintsExtension(true, issuer ? 0 : 1, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...(options.eku ? [new x509.ExtendedKeyUsageExtension(options.eku, false)] : []),
  ];
  const common = { serialNumber: serial(), notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 3650 * day), signingAlgorithm: alg(2048), extensions };
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({ ...common, subject: `CN=${name}, O=Teste`, issuer: new x509.X509Certificate(issuer.certificatePem).subject, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: `CN=${name}, O=Teste`, keys });
  return { certificatePem: cert.toString("pem"), privateKeyPem: await pemOf(keys.privateKey), keys };
}

export interface LeafOptions {
  bits?: number;
  notBefore?: Date;
  notAfter?: Date;
  usages?: number | null;
  eku?: string[];
  crlUrl?: string;
  /** Hex; a serial with a leading zero byte tests how serials are compared. */
  serial?: string;
}

export async function testLeaf(issuer: TestKeyCert, name: string, options: LeafOptions = {}): Promise<TestKeyCert> {
  const keys = (await webcrypto.subtle.generateKey(alg(options.bits ?? 2048), true, ["sign", "verify"])) as CryptoKeyPair;
  const usages = options.usages === undefined ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation : options.usages;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial ?? serial(),
    subject: `CN=${name}, O=Construtora Teste`,
    issuer: new x509.X509Certificate(issuer.certificatePem).subject,
    notBefore: options.notBefore ?? new Date(Date.now() - day),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * day),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: alg(2048),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...(usages === null ? [] : [new x509.KeyUsagesExtension(usages, true)]),
      ...(options.eku ? [new x509.ExtendedKeyUsageExtension(options.eku, true)] : []),
      ...(options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(new x509.X509Certificate(issuer.certificatePem)),
    ],
  });
  return { certificatePem: cert.toString("pem"), privateKeyPem: await pemOf(keys.privateKey), keys };
}

export function pfxOf(leaf: TestKeyCert, certs: string[], password: string): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(leaf.privateKeyPem), [leaf.certificatePem, ...certs].map((c) => forge.pki.certificateFromPem(c)), password, { algorithm: "3des" });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
}

export const day_ms = day;
