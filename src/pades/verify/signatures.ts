/** Finds the signature dictionaries of a PDF's current version. */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString } from "pdf-lib";
import { walkFields } from "../pdf/fields.js";
import { numberValue } from "../pdf/objects.js";
import type { PdfStructure } from "../pdf/structure.js";

export interface SignatureEntry {
  fieldName?: string;
  byteRange: number[];
  contents: Uint8Array;
  subFilter?: string;
  /** /M as written (PDF date string), if any. */
  m?: string;
  name?: string;
}

const text = (o: unknown) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);

export function findSignatures(doc: PdfStructure): SignatureEntry[] {
  const acroForm = doc.catalog.get(PDFName.of("AcroForm"));
  if (!acroForm) return [];
  const out: SignatureEntry[] = [];
  // Fields sharing one /V are one signature: checking it once per field would
  // hash the whole file again for each.
  const seen = new Set<PDFDict>();
  let signed = 0;
  for (const field of walkFields(doc, acroForm)) {
    if (doc.resolve(field.get(PDFName.of("FT"))) !== PDFName.of("Sig")) continue;
    const v = doc.resolve(field.get(PDFName.of("V")));
    if (!(v instanceof PDFDict)) continue;
    doc.budget.check("maxSignatureFields", ++signed);
    if (seen.has(v)) continue;
    seen.add(v);
    const range = doc.resolve(v.get(PDFName.of("ByteRange")));
    const contents = doc.resolve(v.get(PDFName.of("Contents")));
    if (!(range instanceof PDFArray) || !(contents instanceof PDFHexString || contents instanceof PDFString)) continue;
    const subFilter = doc.resolve(v.get(PDFName.of("SubFilter")));
    out.push({
      fieldName: text(field.get(PDFName.of("T"))),
      byteRange: range.asArray().map((n) => numberValue(doc.resolve(n)) ?? -1),
      contents: contents.asBytes(),
      subFilter: subFilter instanceof PDFName ? subFilter.decodeText() : undefined,
      m: text(doc.resolve(v.get(PDFName.of("M")))),
      name: text(doc.resolve(v.get(PDFName.of("Name")))),
    });
  }
  // Chronological: a later revision's signature covers more of the file.
  return out.sort((a, b) => end(a) - end(b));
}

export const end = (s: SignatureEntry) => (s.byteRange[2] ?? 0) + (s.byteRange[3] ?? 0);

/** "D:YYYYMMDDHHmmSS+HH'mm'" → Date (missing parts default as the spec says). */
export function parsePdfDate(value: string | undefined): Date | undefined {
  const m = /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(value ?? "");
  if (!m) return undefined;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", sign, oh = "00", om = "00"] = m;
  const offset = sign === "+" || sign === "-" ? `${sign}${oh}:${om}` : "Z";
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
