import { PDFArray, PDFDict, PDFName, PDFObject, PDFRef } from "pdf-lib";
import type { PdfStructure } from "./structure.js";

/** Terminal form fields (with inherited /FT applied), depth-first. */
export function* walkFields(structure: PdfStructure, acroForm: PDFObject): Generator<PDFDict> {
  const form = structure.resolve(acroForm);
  if (!(form instanceof PDFDict)) return;
  const seen = new Set<number>();
  let visited = 0;
  function* visit(item: PDFObject | undefined, inheritedType: PDFObject | undefined, depth: number): Generator<PDFDict> {
    if (depth > 32) return;
    structure.budget.check("maxFormFields", ++visited);
    structure.budget.tick();
    if (item instanceof PDFRef) {
      if (seen.has(item.objectNumber)) return;
      seen.add(item.objectNumber);
    }
    const field = structure.resolve(item);
    if (!(field instanceof PDFDict)) return;
    const type = field.get(PDFName.of("FT")) ?? inheritedType;
    const kids = structure.resolve(field.get(PDFName.of("Kids")));
    // Kids that are only widgets (no /T) belong to this terminal field.
    const fieldKids = kids instanceof PDFArray ? kids.asArray().filter((k) => structure.resolve(k) instanceof PDFDict && (structure.resolve(k) as PDFDict).has(PDFName.of("T"))) : [];
    if (fieldKids.length === 0) {
      if (type && !field.has(PDFName.of("FT"))) {
        const copy = PDFDict.withContext((field as unknown as { context: never }).context);
        for (const [k, v] of field.entries()) copy.set(k, v);
        copy.set(PDFName.of("FT"), type);
        yield copy;
      } else yield field;
      return;
    }
    for (const kid of fieldKids) yield* visit(kid, type, depth + 1);
  }
  const fields = structure.resolve(form.get(PDFName.of("Fields")));
  if (!(fields instanceof PDFArray)) return;
  for (const f of fields.asArray()) yield* visit(f, undefined, 0);
}
