/**
 * RFC 3161 time-stamp tokens: the signature-time-stamp inside a CAdES
 * signature (over its signature value) and the PAdES document timestamp
 * (over the file's byte ranges). A token is good when its CMS signature
 * verifies, its messageDigest matches its TSTInfo, its imprint is the digest
 * we expect, and its signer is a time-stamping certificate; trusted when
 * that certificate chains to a trust anchor at the token's time.
 */
import { createHash, verify, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "../seal/cms.js";
import { chainsToTrustedRoot } from "./chain.js";
import { findSigner, rawCertificates } from "./cms-verify.js";

const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
const TIME_STAMPING = "1.3.6.1.5.5.7.3.8";

export interface TimestampCheck {
  valid: boolean;
  trusted: boolean;
  /** ISO 8601 (UTC): the TSA's genTime. */
  time: string | null;
  /** The TSA's name (its certificate's subject CN or O). */
  authority: string | null;
  tsa?: X509Certificate;
  certificates: X509Certificate[];
  problem?: string;
}

const failed = (problem: string, extra: Partial<TimestampCheck> = {}): TimestampCheck => ({ valid: false, trusted: false, time: null, authority: null, certificates: [], problem, ...extra });

/** `digestOf(hash)` gives the digest the token must be over, for the token's hash algorithm. */
export function verifyTimestampToken(token: Uint8Array, digestOf: (hash: string) => Buffer, roots: X509Certificate[]): TimestampCheck {
  let signedData: pkijs.SignedData;
  let certificates: X509Certificate[];
  try {
    const parsed = asn1js.fromBER(token);
    if (parsed.offset === -1) throw new Error("not DER");
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    certificates = rawCertificates(contentInfo.content as asn1js.Sequence);
  } catch (error) {
    return failed(`unreadable time-stamp token: ${(error as Error).message}`);
  }
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo) return failed("the token holds no TSTInfo", { certificates });
  const content = Buffer.from(signedData.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(0));
  let info: pkijs.TSTInfo;
  try {
    info = new pkijs.TSTInfo({ schema: asn1js.fromBER(new Uint8Array(content)).result });
  } catch (error) {
    return failed(`unreadable TSTInfo: ${(error as Error).message}`, { certificates });
  }
  const time = info.genTime.toISOString();
  const signerInfo = signedData.signerInfos[0];
  const tsa = signerInfo ? findSigner(signerInfo, signedData, certificates) : undefined;
  const authority = tsa ? nameOf(tsa) : null;
  const base = { time, authority, certificates, ...(tsa ? { tsa } : {}) };
  if (!signerInfo || !tsa) return failed("the TSA certificate is not in the token", base);

  const imprintHash = HASHES[info.messageImprint.hashAlgorithm.algorithmId];
  if (!imprintHash) return failed("unknown imprint algorithm", base);
  if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(digestOf(imprintHash))) return failed("the token is over other data", base);

  const hash = HASHES[signerInfo.digestAlgorithm.algorithmId];
  const attrs = signerInfo.signedAttrs?.attributes ?? [];
  const messageDigest = attrs.find((a) => a.type === OID.messageDigest)?.values[0];
  if (!hash || !signerInfo.signedAttrs || !(messageDigest instanceof asn1js.OctetString)) return failed("the token has no signed attributes", base);
  if (!Buffer.from(messageDigest.getValue()).equals(createHash(hash).update(content).digest())) return failed("the token's messageDigest does not match its TSTInfo", base);
  const signedBytes = Buffer.from(signerInfo.signedAttrs.encodedValue.slice(0));
  signedBytes[0] = 0x31;
  let ok = false;
  try {
    const key = tsa.publicKey;
    ok = verify(hash, signedBytes, key.asymmetricKeyType === "ec" ? { key, dsaEncoding: "der" } : key, Buffer.from(signerInfo.signature.getValue()));
  } catch {
    ok = false;
  }
  if (!ok) return failed("the token's signature does not verify", base);
  if (!hasTimeStampingUsage(tsa)) return failed("the token's signer is not a time-stamping certificate", base);
  const trusted = chainsToTrustedRoot(tsa, certificates, roots, info.genTime);
  return { valid: true, trusted, ...base, ...(trusted ? {} : { problem: "the TSA does not chain to a trust anchor" }) };
}

/** RFC 3161 §2.3: the TSA's certificate has the (critical) timeStamping extended key usage. */
function hasTimeStampingUsage(cert: X509Certificate): boolean {
  const parsed = pkijs.Certificate.fromBER(cert.raw);
  const eku = parsed.extensions?.find((e) => e.extnID === "2.5.29.37")?.parsedValue as pkijs.ExtKeyUsage | undefined;
  return !!eku?.keyPurposes.includes(TIME_STAMPING);
}

function nameOf(cert: X509Certificate): string {
  const lines = cert.subject.split("\n");
  return (lines.find((l) => l.startsWith("CN=")) ?? lines.find((l) => l.startsWith("O=")) ?? cert.subject).replace(/^\w+=/, "");
}

/** The signature-time-stamp tokens among a CAdES signature's unsigned attributes, and its signature value. */
export function signatureTimestampOf(cms: Uint8Array): { signatureValue: Buffer; tokens: Uint8Array[] } | null {
  try {
    const parsed = asn1js.fromBER(cms);
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    const signerInfo = signedData.signerInfos[0];
    if (!signerInfo) return null;
    const tokens = (signerInfo.unsignedAttrs?.attributes ?? [])
      .filter((a) => a.type === OID.signatureTimeStampToken)
      .flatMap((a) => a.values.map((v) => new Uint8Array(v.valueBeforeDecodeView)));
    return { signatureValue: Buffer.from(signerInfo.signature.valueBlock.valueHexView), tokens };
  } catch {
    return null;
  }
}
