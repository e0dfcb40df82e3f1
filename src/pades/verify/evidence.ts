/**
 * Which PAdES baseline level a sealed file reaches (ETSI EN 319 142-1 §6),
 * and why it does not reach the next:
 * - B-B: an intact CAdES detached signature (the seal);
 * - B-T: plus a valid RFC 3161 time-stamp over its signature value (or a
 *   document timestamp over it), proving it existed at the TSA's time;
 * - B-LT: plus, in the Document Security Store, the certificates and the
 *   revocation data (CRLs) of the signer's and the TSA's chains;
 * - B-LTA: plus a document timestamp covering that DSS.
 * Revocation is also checked against CRLs the caller passes (the
 * installation's current one): a certificate revoked since is reported.
 */
import { createHash, verify, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef } from "pdf-lib";
import type { PdfStructure } from "../pdf/structure.js";
import { decodeStreamData } from "../pdf/xref.js";
import { signatureTimestampOf, verifyTimestampToken, type TimestampCheck } from "./timestamp.js";
import type { SignatureEntry } from "./signatures.js";

export type PadesLevel = "B-B" | "B-T" | "B-LT" | "B-LTA";

export interface TimestampReport {
  time: string | null;
  authority: string | null;
  valid: boolean;
  trusted: boolean;
  problem?: string;
}

export interface RevocationReport {
  /** good: a CRL covering it does not list it; revoked: one does; unknown: no CRL covers it. */
  status: "good" | "revoked" | "unknown";
  revokedAt?: string;
  reason?: string;
}

export interface EntryEvidence {
  kind: "signature" | "document-timestamp";
  /** The signature-time-stamp (signatures) or the token itself (document timestamps). */
  timestamp: TimestampReport | null;
  /** Of the signer's certificate (signatures only). */
  revocation: RevocationReport | null;
}

export interface EvidenceReport {
  level: PadesLevel | null;
  /** Why the next level up is not reached (empty at B-LTA). */
  reasons: string[];
  entries: EntryEvidence[];
  dss: { certificates: number; crls: number; ocsps: number } | null;
}

export interface EntryCheck {
  integrity: boolean;
  signer?: X509Certificate;
  certificates: X509Certificate[];
}

const SIGNATURE_HASH: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};
const REASON_NAMES = ["unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "", "removeFromCRL", "privilegeWithdrawn", "aACompromise"];

interface Dss {
  certificates: X509Certificate[];
  crls: Uint8Array[];
  ocsps: Uint8Array[];
  /** Offset of the DSS dictionary's object (to tell whether a document timestamp covers it). */
  offset: number | null;
}

function readDss(doc: PdfStructure): Dss | null {
  const ref = doc.catalog.get(PDFName.of("DSS"));
  const dss = doc.resolve(ref);
  if (!(dss instanceof PDFDict)) return null;
  const streams = (key: string) => {
    const array = doc.resolve(dss.get(PDFName.of(key)));
    return (array instanceof PDFArray ? array.asArray() : []).flatMap((item) => {
      const stream = doc.resolve(item);
      try {
        return stream instanceof PDFRawStream ? [decodeStreamData(stream, doc.budget)] : [];
      } catch {
        return [];
      }
    });
  };
  const certificates = streams("Certs").flatMap((der) => {
    try {
      return [new X509Certificate(Buffer.from(der))];
    } catch {
      return [];
    }
  });
  const entry = ref instanceof PDFRef ? doc.xref.entries.get(ref.objectNumber) : undefined;
  return { certificates, crls: streams("CRLs"), ocsps: streams("OCSPs"), offset: entry?.kind === "offset" ? entry.offset : null };
}

interface ParsedCrl {
  crl: pkijs.CertificateRevocationList;
  der: Uint8Array;
}

function parseCrls(ders: Uint8Array[]): ParsedCrl[] {
  return ders.flatMap((der) => {
    try {
      return [{ crl: pkijs.CertificateRevocationList.fromBER(new Uint8Array(der)), der }];
    } catch {
      return [];
    }
  });
}

/** Whether `crl` is issued by `issuer` (name and signature). */
function crlIssuedBy(crl: pkijs.CertificateRevocationList, issuer: X509Certificate): boolean {
  const hash = SIGNATURE_HASH[crl.signature.algorithmId];
  if (!hash) return false;
  const issuerCert = pkijs.Certificate.fromBER(issuer.raw);
  if (!crl.issuer.isEqual(issuerCert.subject)) return false;
  try {
    const key = issuer.publicKey;
    return verify(hash, crl.tbsView, key.asymmetricKeyType === "ec" ? { key, dsaEncoding: "der" } : key, Buffer.from(crl.signatureValue.valueBlock.valueHexView));
  } catch {
    return false;
  }
}

/**
 * A serial number as its value: leading zero bytes dropped. The same serial
 * reaches us encoded as `00 AB 12` (DER, positive) in the certificate and as
 * `AB 12` from a CRL issuer that wrote it from its hex text, where Node's
 * `serialNumber` had already dropped the zeros.
 */
function serialValue(bytes: ArrayBuffer | Uint8Array): Buffer {
  const b = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function revocationOf(cert: X509Certificate, issuer: X509Certificate | undefined, crls: ParsedCrl[]): RevocationReport {
  if (!issuer) return { status: "unknown" };
  const covering = crls.filter((c) => crlIssuedBy(c.crl, issuer));
  if (covering.length === 0) return { status: "unknown" };
  const serial = serialValue(pkijs.Certificate.fromBER(cert.raw).serialNumber.valueBlock.valueHexView);
  for (const { crl } of covering) {
    const entry = crl.revokedCertificates?.find((r) => serialValue(r.userCertificate.valueBlock.valueHexView).equals(serial));
    if (entry) {
      const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === "2.5.29.21");
      const code = reasonExt?.parsedValue instanceof asn1js.Enumerated ? reasonExt.parsedValue.valueBlock.valueDec : undefined;
      return { status: "revoked", revokedAt: entry.revocationDate.value.toISOString(), ...(code !== undefined ? { reason: REASON_NAMES[code] || "unspecified" } : {}) };
    }
  }
  return { status: "good" };
}

/** leaf, its issuer, … up to a self-signed certificate or a root; issuers found in `pool`. */
function chainOf(leaf: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const chain = [leaf];
  for (let depth = 0; depth < 10; depth++) {
    const current = chain[chain.length - 1]!;
    if (current.checkIssued(current)) break;
    const issuer = pool.find((c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer || chain.includes(issuer)) break;
    chain.push(issuer);
  }
  return chain;
}

const timestampReport = (t: TimestampCheck): TimestampReport => ({ time: t.time, authority: t.authority, valid: t.valid, trusted: t.trusted, ...(t.problem ? { problem: t.problem } : {}) });

export interface EvidenceOptions {
  roots: X509Certificate[];
  /** CRLs known now besides the file's (DER): the installation CA's current list. */
  currentCrls?: Uint8Array[];
}

export function evidenceOf(bytes: Uint8Array, doc: PdfStructure, entries: SignatureEntry[], checks: EntryCheck[], options: EvidenceOptions): EvidenceReport {
  const dss = readDss(doc);
  const dssCrls = parseCrls(dss?.crls ?? []);
  const allCrls = [...dssCrls, ...parseCrls(options.currentCrls ?? [])];
  const report: EntryEvidence[] = entries.map((entry, i) => {
    const check = checks[i]!;
    const [a = 0, b = 0, c = 0, d = 0] = entry.byteRange;
    if (entry.subFilter === "ETSI.RFC3161") {
      const token = trimDer(entry.contents);
      const ranges = [bytes.subarray(a, a + b), bytes.subarray(c, c + d)];
      const t = verifyTimestampToken(token, (hash) => ranges.reduce((h, r) => h.update(r), createHash(hash)).digest(), options.roots);
      return { kind: "document-timestamp", timestamp: timestampReport(t), revocation: null };
    }
    const stamped = signatureTimestampOf(trimDer(entry.contents));
    const token = stamped?.tokens[0];
    const t = token ? verifyTimestampToken(token, (hash) => createHash(hash).update(stamped.signatureValue).digest(), options.roots) : null;
    const pool = [...check.certificates, ...(dss?.certificates ?? []), ...options.roots];
    const revocation = check.signer ? revocationOf(check.signer, chainOf(check.signer, pool)[1], allCrls) : null;
    return { kind: "signature", timestamp: t ? timestampReport(t) : null, revocation };
  });

  const sealIndex = entries.map((e) => e.subFilter !== "ETSI.RFC3161").lastIndexOf(true);
  const dssSummary = dss ? { certificates: dss.certificates.length, crls: dss.crls.length, ocsps: dss.ocsps.length } : null;
  if (sealIndex < 0 || !checks[sealIndex]!.integrity) {
    return { level: null, reasons: [sealIndex < 0 ? "no signature" : "the signature is not intact"], entries: report, dss: dssSummary };
  }
  const seal = report[sealIndex]!;
  const check = checks[sealIndex]!;
  const laterTimestamps = report.map((r, i) => ({ r, i })).filter(({ r, i }) => i > sealIndex && r.kind === "document-timestamp" && r.timestamp?.valid);
  const reasons: string[] = [];

  // B-T
  if (!(seal.timestamp?.valid || laterTimestamps.length > 0)) {
    reasons.push(seal.timestamp ? `the signature time-stamp is not valid: ${seal.timestamp.problem}` : "no signature time-stamp (no TSA was configured when it was sealed)");
    return { level: "B-B", reasons, entries: report, dss: dssSummary };
  }

  // B-LT: every certificate short of a trust anchor, in the signer's and the TSA's chains, has revocation data in the DSS.
  const sealToken = stamped(entries[sealIndex]!);
  const pool = [...check.certificates, ...(dss?.certificates ?? []), ...options.roots, ...(sealToken?.certificates ?? [])];
  const anchors = new Set(options.roots.map((r) => r.fingerprint256));
  const needing = [
    ...(check.signer ? chainOf(check.signer, pool) : []),
    ...(sealToken?.tsa ? chainOf(sealToken.tsa, pool) : []),
  ].filter((c) => !anchors.has(c.fingerprint256) && !c.checkIssued(c));
  if (!dss) reasons.push("no Document Security Store (DSS)");
  else {
    for (const cert of needing) {
      const issuer = chainOf(cert, pool)[1];
      const status = revocationOf(cert, issuer, dssCrls);
      if (status.status === "unknown") reasons.push(`no revocation data in the DSS for "${subjectName(cert)}"`);
      if (status.status === "revoked") reasons.push(`"${subjectName(cert)}" is revoked in the DSS`);
    }
  }
  if (reasons.length > 0) return { level: "B-T", reasons, entries: report, dss: dssSummary };

  // B-LTA: a valid document timestamp over the DSS.
  const coversDss = laterTimestamps.some(({ i }) => dss?.offset === null || (entries[i]!.byteRange[1] ?? 0) > (dss?.offset ?? Infinity));
  if (!coversDss) return { level: "B-LT", reasons: ["no document timestamp covering the DSS"], entries: report, dss: dssSummary };
  return { level: "B-LTA", reasons: [], entries: report, dss: dssSummary };

  function stamped(entry: SignatureEntry): TimestampCheck | null {
    const s = signatureTimestampOf(trimDer(entry.contents));
    const token = s?.tokens[0];
    return s && token ? verifyTimestampToken(token, (hash) => createHash(hash).update(s.signatureValue).digest(), options.roots) : null;
  }
}

function subjectName(cert: X509Certificate): string {
  return cert.subject.split("\n").find((l) => l.startsWith("CN="))?.slice(3) ?? cert.subject.replace(/\n/g, ", ");
}

/** /Contents is zero-padded after the DER: keep the DER only. */
function trimDer(contents: Uint8Array): Uint8Array {
  if (contents[0] !== 0x30) return contents;
  const lengthByte = contents[1] ?? 0;
  if (!(lengthByte & 0x80)) return contents.subarray(0, 2 + lengthByte);
  const count = lengthByte & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (contents[2 + i] ?? 0);
  return contents.subarray(0, Math.min(contents.length, 2 + count + length));
}

/**
 * Whether everything appended after byte `end` is Document Security Store
 * material (ETSI EN 319 142-1 §5.4 allows it after the last signature): new
 * objects reachable from /DSS, and new versions of the catalog that differ
 * only in /DSS and /Extensions.
 */
export function onlyDssAfter(doc: PdfStructure, signedRevision: PdfStructure | null, end: number): boolean {
  if (!signedRevision) return false;
  const dssRef = doc.catalog.get(PDFName.of("DSS"));
  if (!(dssRef instanceof PDFRef)) return false;
  const reachable = new Set<number>();
  const walk = (object: unknown, depth: number) => {
    if (depth > 8) return;
    if (object instanceof PDFRef) {
      if (reachable.has(object.objectNumber)) return;
      reachable.add(object.objectNumber);
      walk(doc.getObject(object.objectNumber), depth + 1);
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) walk(value, depth + 1);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) walk(value, depth + 1);
    } else if (object instanceof PDFRawStream) {
      walk(object.dict, depth + 1);
    }
  };
  walk(dssRef, 0);
  const rootNumber = doc.rootRef.objectNumber;
  for (const [number, entry] of doc.xref.entries) {
    if (entry.kind !== "offset" || entry.offset < end) continue;
    if (number === rootNumber) {
      const before = signedRevision.catalog;
      const after = doc.catalog;
      const keys = (d: PDFDict) => d.keys().map((k) => k.decodeText()).filter((k) => k !== "DSS" && k !== "Extensions").sort();
      const same = JSON.stringify(keys(before)) === JSON.stringify(keys(after)) && keys(before).every((k) => String(before.get(PDFName.of(k))) === String(after.get(PDFName.of(k))));
      if (!same) return false;
    } else if (!reachable.has(number)) {
      return false;
    }
  }
  return true;
}
