/**
 * CAdES-BES detached signature as PAdES-B-B wants it (ETSI EN 319 142-1):
 * CMS SignedData (RFC 5652) over a digest we computed ourselves, signed
 * attributes contentType + messageDigest + signing-certificate-v2
 * (RFC 5035), no signing-time (PAdES carries the claimed time in the
 * signature dictionary's /M). The private-key operation uses node:crypto
 * directly: synchronous, no WebCrypto key import per seal.
 */
import { createHash, sign, type KeyObject } from "node:crypto";
import { issuerAndSerial, int, NULL, octets, oid, seq, set, tlv } from "./der.js";

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
} as const;

const DER = Object.fromEntries(Object.entries(OID).map(([k, v]) => [k, oid(v)])) as Record<keyof typeof OID, Uint8Array>;
const attribute = (type: Uint8Array, value: Uint8Array) => seq(type, set(value));

/** ESS signing-certificate-v2: binds the signature to the signer's certificate. */
function signingCertificateV2(certDer: Uint8Array): Uint8Array {
  const { issuer, serial } = issuerAndSerial(certDer);
  const certHash = createHash("sha256").update(certDer).digest();
  // GeneralNames { directoryName [4] EXPLICIT Name }
  const issuerSerial = seq(seq(tlv(0xa4, issuer)), serial);
  // hashAlgorithm omitted: SHA-256 is its DEFAULT, and DER forbids encoding defaults.
  return seq(seq(seq(octets(certHash), issuerSerial)));
}

export interface CadesInput {
  /** SHA-256 of the signed bytes (the PDF's two byte ranges). */
  digest: Uint8Array;
  privateKey: KeyObject;
  /** DER certificates, signer first. */
  chain: Uint8Array[];
}

export function buildCadesDetached(input: CadesInput): Uint8Array {
  return signCadesDetached(input).encode();
}

export interface SignedCades {
  /** The signature value: what a signature-time-stamp token is over (ETSI EN 319 122-1 §5.3). */
  signature: Uint8Array;
  /** The CMS, with the RFC 3161 token as the signature-time-stamp unsigned attribute when given. */
  encode(signatureTimestamp?: Uint8Array): Uint8Array;
}

export function signCadesDetached({ digest, privateKey, chain }: CadesInput): SignedCades {
  const signerCert = chain[0];
  const attributes = [
    attribute(DER.contentType, DER.data),
    attribute(DER.messageDigest, octets(digest)),
    attribute(DER.signingCertificateV2, signingCertificateV2(signerCert)),
  ];
  // A DER SET OF is sorted by encoding; verifiers re-encode it that way, so we sign it that way.
  const sortedAttributes = attributes.sort((a, b) => Buffer.compare(a, b));
  const signedAttrsForSigning = set(...sortedAttributes); // RFC 5652 §5.4: signed as SET OF
  const isEc = privateKey.asymmetricKeyType === "ec";
  const signature = sign("sha256", signedAttrsForSigning, isEc ? { key: privateKey, dsaEncoding: "der" } : privateKey);

  const { issuer, serial } = issuerAndSerial(signerCert);
  const sha256Algorithm = seq(DER.sha256);
  const encode = (signatureTimestamp?: Uint8Array) => {
    const signerInfo = seq(
      int(1),
      seq(issuer, serial), // sid: IssuerAndSerialNumber
      sha256Algorithm,
      tlv(0xa0, ...sortedAttributes), // signedAttrs [0] IMPLICIT
      isEc ? seq(DER.ecdsaWithSHA256) : seq(DER.sha256WithRSA, NULL),
      octets(signature),
      // unsignedAttrs [1] IMPLICIT: the token is embedded byte for byte (its signature covers its own encoding).
      ...(signatureTimestamp ? [tlv(0xa1, attribute(DER.signatureTimeStampToken, signatureTimestamp))] : []),
    );
    const signedData = seq(
      int(1),
      set(sha256Algorithm),
      seq(DER.data), // detached: no eContent
      tlv(0xa0, ...chain), // certificates [0] IMPLICIT, exact bytes as given
      set(signerInfo),
    );
    return seq(DER.signedData, tlv(0xa0, signedData));
  };
  return { signature, encode };
}
