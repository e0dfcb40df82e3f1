/**
 * The installation's own signing identity: a self-signed CA made once per
 * installation and a seal certificate it issues, or an ICP-Brasil A1 .pfx
 * the customer uploads. Storage is the caller's business: everything here
 * returns PEM text (and KeyObjects), never writes a file.
 */
import "reflect-metadata";
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import forge from "node-forge";
import { AppError } from "../../platform/errors.js";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 3072,
};

export interface CertifiedKey {
  certificatePem: string;
  privateKeyPem: string;
}

export interface SealIdentity extends CertifiedKey {
  /** Seal certificate first, then the CA: what sealPdf's certificateChain expects. */
  chainPem: string[];
}

export interface IdentityOptions {
  installationName?: string;
  validityYears?: number;
  /** RSA modulus length; 3072 by default (2048 is faster to sign with). */
  modulusLength?: 2048 | 3072;
  /** Where the issuing CA publishes its CRL: written as the certificate's CRL distribution point. */
  crlUrl?: string;
}

const serial = () => {
  const bytes = randomBytes(16);
  // Positive, and never a leading zero byte: DER would drop it, and the serial's hex
  // text (Node's serialNumber, the revocation table, the CRL) would no longer be the bytes.
  bytes[0] = 0x10 + (bytes[0]! % 0x70);
  return bytes.toString("hex");
};

const yearsFromNow = (years: number) => new Date(Date.now() + years * 365.25 * 24 * 3600 * 1000);
// Back-date a little so a verifier with a slow clock still sees a valid cert.
const aLittleAgo = () => new Date(Date.now() - 3600 * 1000);

async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey));
  return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }) as string;
}

export async function createInstallationCa(options: IdentityOptions = {}): Promise<CertifiedKey> {
  const installation = options.installationName ?? "obrasign";
  const algorithm = { ...RSA, modulusLength: options.modulusLength ?? 3072 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ O: [installation] }, { CN: [`obrasign CA - ${installation}`] }],
    notBefore: aLittleAgo(),
    notAfter: yearsFromNow(options.validityYears ?? 20),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: cert.toString("pem"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

export async function createSealCertificate(ca: CertifiedKey, options: IdentityOptions = {}): Promise<SealIdentity> {
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const installation = options.installationName ?? caCert.subjectName.getField("O")[0] ?? "obrasign";
  const algorithm = { ...RSA, modulusLength: options.modulusLength ?? 3072 };
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    createPrivateKey(ca.privateKeyPem).export({ format: "der", type: "pkcs8" }),
    { name: RSA.name, hash: "SHA-256" },
    false,
    ["sign"],
  );
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ O: [installation] }, { CN: ["obrasign seal"] }],
    issuer: caCert.subject,
    notBefore: aLittleAgo(),
    notAfter: yearsFromNow(options.validityYears ?? 5),
    publicKey: keys.publicKey,
    signingKey: caKey as CryptoKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // No extended key usage on purpose: NSS (pdfsig, Firefox-based tools)
      // rejects a signer whose EKU lacks emailProtection.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ...(options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : []),
    ],
  });
  const certificatePem = cert.toString("pem");
  return { certificatePem, privateKeyPem: await exportPrivateKeyPem(keys.privateKey), chainPem: [certificatePem, ca.certificatePem] };
}

export interface Pkcs12Contents {
  privateKey: KeyObject;
  privateKeyPem: string;
  /** PEM certificates, signer first, then its issuers as far as the file goes. */
  certificateChain: string[];
  /** Every certificate in the file (PEM), in the file's order. */
  certificates: string[];
}

/** Opens an A1 certificate file (.pfx/.p12), as ICP-Brasil authorities issue them. */
export function loadPkcs12(pfxBytes: Uint8Array, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(pfxBytes).toString("binary")));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    throw new AppError("unprocessable", "Could not open the certificate file: wrong password or not a .pfx/.p12 file.");
  }
  const oids = forge.pki.oids;
  const keyBags = [
    ...(p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: oids.keyBag })[oids.keyBag] ?? []),
  ];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw new AppError("unprocessable", "The certificate file holds no private key.");
  const privateKeyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forgeKey)));
  const privateKey = createPrivateKey(privateKeyPem);

  const certs = (p12.getBags({ bagType: oids.certBag })[oids.certBag] ?? []).flatMap((bag) => {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
    return asn1 ? [new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"))] : [];
  });
  return { privateKey, privateKeyPem, certificateChain: orderChain(privateKey, certs).map((c) => c.toString()), certificates: certs.map((c) => c.toString()) };
}

/** Signer (the certificate of this key) first, then each issuer in turn. */
function orderChain(privateKey: KeyObject, certs: X509Certificate[]): X509Certificate[] {
  const spki = (k: KeyObject) => k.export({ format: "der", type: "spki" }) as Buffer;
  const ours = spki(createPublicKey(privateKey));
  const leaf = certs.find((c) => spki(c.publicKey).equals(ours));
  if (!leaf) throw new AppError("unprocessable", "The certificate file has no certificate for its private key.");
  const chain = [leaf];
  const rest = certs.filter((c) => c !== leaf);
  for (;;) {
    const current = chain[chain.length - 1];
    if (current.checkIssued(current)) break; // self-signed root
    const issuer = rest.find((c) => !chain.includes(c) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    chain.push(issuer);
  }
  return chain;
}
