/**
 * PAdES B-LT's Document Security Store (ETSI EN 319 142-1 §5.4, ISO 32000-2
 * §12.8.4.3): the certificates and revocation data a verifier needs to
 * validate the signatures later without asking anyone, as one incremental
 * update (a new catalog version with /DSS). An existing DSS is kept and
 * extended, so renewing adds to it rather than replacing it.
 *
 * /VRI maps each signature (SHA-1 of its /Contents, upper-case hex) to the
 * entries that validate it.
 */
import { createHash } from "node:crypto";
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFObject } from "pdf-lib";
import { AppError } from "../../platform/errors.js";
import { ascii } from "../pdf/bytes.js";
import { IncrementalUpdate } from "../pdf/incremental.js";
import { openPdf } from "../pdf/inspect.js";
import { cloneDict, newArray, newDict, num } from "../pdf/objects.js";
import { decodeStreamData } from "../pdf/xref.js";
import type { PdfStructure } from "../pdf/structure.js";

export interface DssEntry {
  /** The signature's /Contents bytes, as stored (the VRI key is their SHA-1). */
  signatureContents: Uint8Array;
  certificates: Uint8Array[];
  crls: Uint8Array[];
  ocsps?: Uint8Array[];
}

export interface DssInput {
  entries: DssEntry[];
}

export const vriKey = (contents: Uint8Array) => createHash("sha1").update(contents).digest("hex").toUpperCase();

/** The PDF with a DSS update appended (a new buffer). */
export function addDss(pdfBytes: Uint8Array, input: DssInput): Uint8Array {
  const doc = openPdf(pdfBytes);
  if (doc.encrypted) throw new AppError("unprocessable", "The PDF is encrypted; it cannot be sealed.");
  const update = new IncrementalUpdate(doc);
  const existing = doc.resolve(doc.catalog.get(PDFName.of("DSS")));
  const dss = existing instanceof PDFDict ? cloneDict(existing) : newDict({ Type: PDFName.of("DSS") });

  // One stream per distinct DER value, shared by the DSS arrays and every VRI that needs it.
  const streams = new Map<string, PDFRef>();
  const listed = new Set<PDFRef>();
  for (const key of ["Certs", "CRLs", "OCSPs"]) {
    const array = doc.resolve(dss.get(PDFName.of(key)));
    for (const ref of array instanceof PDFArray ? array.asArray() : []) {
      const stream = ref instanceof PDFRef ? doc.resolve(ref) : undefined;
      if (!(ref instanceof PDFRef) || !(stream instanceof PDFRawStream)) continue;
      streams.set(createHash("sha256").update(decodeStreamData(stream, doc.budget)).digest("hex"), ref);
      listed.add(ref);
    }
  }
  const streamOf = (der: Uint8Array): PDFRef => {
    const key = createHash("sha256").update(der).digest("hex");
    let ref = streams.get(key);
    if (!ref) {
      ref = update.allocate();
      update.set(ref, Buffer.concat([ascii(`<< /Length ${der.length} >>\nstream\n`), der, ascii("\nendstream")]));
      streams.set(key, ref);
    }
    return ref;
  };
  const extend = (target: PDFDict, key: string, refs: PDFRef[]) => {
    if (refs.length === 0) return;
    const current = doc.resolve(target.get(PDFName.of(key)));
    const items: PDFObject[] = current instanceof PDFArray ? current.asArray() : [];
    target.set(PDFName.of(key), newArray([...items, ...refs]));
  };

  const vriCurrent = doc.resolve(dss.get(PDFName.of("VRI")));
  const vri = vriCurrent instanceof PDFDict ? cloneDict(vriCurrent) : newDict({});
  for (const entry of input.entries) {
    const certs = entry.certificates.map(streamOf);
    const crls = entry.crls.map(streamOf);
    const ocsps = (entry.ocsps ?? []).map(streamOf);
    const fresh = (refs: PDFRef[]) => refs.filter((r) => !listed.has(r) && (listed.add(r), true));
    extend(dss, "Certs", fresh(certs));
    extend(dss, "CRLs", fresh(crls));
    extend(dss, "OCSPs", fresh(ocsps));
    const item = newDict({});
    if (certs.length) item.set(PDFName.of("Cert"), newArray(certs));
    if (crls.length) item.set(PDFName.of("CRL"), newArray(crls));
    if (ocsps.length) item.set(PDFName.of("OCSP"), newArray(ocsps));
    vri.set(PDFName.of(vriKey(entry.signatureContents)), item);
  }
  dss.set(PDFName.of("VRI"), vri);

  const dssRef = update.allocate();
  update.set(dssRef, dss);
  const catalog = cloneDict(doc.catalog);
  catalog.set(PDFName.of("DSS"), dssRef);
  // DSS and document timestamps are ISO 32000-2 features (extension level 5 of 1.7 in Acrobat's terms).
  catalog.set(PDFName.of("Extensions"), extensions(doc));
  update.set(doc.rootRef, catalog);

  const tail = update.build();
  const out = Buffer.allocUnsafeSlow(pdfBytes.length + tail.length);
  Buffer.from(pdfBytes.buffer, pdfBytes.byteOffset, pdfBytes.length).copy(out, 0);
  Buffer.from(tail.buffer, tail.byteOffset, tail.length).copy(out, pdfBytes.length);
  return out;
}

function extensions(doc: PdfStructure): PDFDict {
  const current = doc.resolve(doc.catalog.get(PDFName.of("Extensions")));
  const dict = current instanceof PDFDict ? cloneDict(current) : newDict({});
  if (!dict.has(PDFName.of("ESIC"))) {
    dict.set(PDFName.of("ESIC"), newDict({ BaseVersion: PDFName.of("1.7"), ExtensionLevel: num(5) }));
  }
  return dict;
}
