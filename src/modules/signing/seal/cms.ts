/**
 * CAdES-BES detached signature as PAdES-B-B wants it (ETSI EN 319 142-1):
 * CMS SignedData over a digest we computed ourselves, signed attributes
 * contentType + messageDigest + signing-certificate-v2 (RFC 5035), no
 * signing-time (PAdES carries the claimed time in the signature dictionary's
 * /M). The private-key operation uses node:crypto directly: synchronous and
 * no WebCrypto key import per seal.
 */
import { createHash, sign, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
} as const;

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** ESS signing-certificate-v2 binding the signature to the signer's certificate. */
function signingCertificateV2(certDer: Uint8Array, cert: pkijs.Certificate): asn1js.Sequence {
  const certHash = createHash("sha256").update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }).toSchema(),
      cert.serialNumber,
    ],
  });
  // hashAlgorithm is omitted: SHA-256 is its DEFAULT, and DER forbids encoding defaults.
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export interface CadesInput {
  /** SHA-256 of the signed bytes (the PDF's two byte ranges). */
  digest: Uint8Array;
  privateKey: KeyObject;
  /** DER certificates, signer first. */
  chain: Uint8Array[];
}

export function buildCadesDetached({ digest, privateKey, chain }: CadesInput): Uint8Array {
  const certs = chain.map(parseCertificate);
  const signer = certs[0];
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(chain[0], signer)] }),
  ];
  // Signed attributes are a DER SET OF: verifiers re-encode them sorted, so
  // we must sign (and emit) them in that order.
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: encoded.map((e) => e.a) });
  const toSign = Buffer.from(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31; // [0] IMPLICIT → SET, as RFC 5652 §5.4 prescribes for the signed input

  const isEc = privateKey.asymmetricKeyType === "ec";
  const signature = sign("sha256", toSign, isEc ? { key: privateKey, dsaEncoding: "der" } : privateKey);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: isEc
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: certs,
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
