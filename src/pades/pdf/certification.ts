/**
 * DocMDP certification (ISO 32000-1 §12.8.2.2): a certifying signature named
 * in the catalog's /Perms says which later changes keep it valid. P=1: none;
 * P=2: filling forms and signing; P=3: that, plus annotations.
 */
import { PDFArray, PDFDict, PDFName } from "pdf-lib";
import { numberValue } from "./objects.js";
import type { PdfStructure } from "./structure.js";

export type DocMdpPermission = 1 | 2 | 3;

/** The certification's permission level, or undefined when the file is not certified. */
export function docMdpPermission(doc: PdfStructure): DocMdpPermission | undefined {
  const perms = doc.lookup(doc.catalog, "Perms");
  if (!(perms instanceof PDFDict)) return undefined;
  const signature = doc.lookup(perms, "DocMDP");
  if (!(signature instanceof PDFDict)) return undefined;
  const references = doc.lookup(signature, "Reference");
  if (references instanceof PDFArray) {
    for (const item of references.asArray()) {
      const reference = doc.resolve(item);
      if (!(reference instanceof PDFDict) || doc.lookup(reference, "TransformMethod") !== PDFName.of("DocMDP")) continue;
      const params = doc.lookup(reference, "TransformParams");
      const p = params instanceof PDFDict ? numberValue(doc.lookup(params, "P")) : undefined;
      return p === 1 || p === 3 ? p : 2; // absent or out of range: 2, as the standard says
    }
  }
  // Named in /Perms but without a readable reference: treat as the default.
  return 2;
}
