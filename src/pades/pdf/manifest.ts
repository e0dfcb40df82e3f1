/**
 * appendManifest: adds the "Manifesto de assinaturas" pages at the end of a
 * PDF as an incremental update. The input may carry signatures made
 * elsewhere, so the original bytes are kept verbatim: the new pages are laid
 * out by pdf-lib in a scratch document whose object numbers start above the
 * original's, then grafted onto the original page tree.
 */
import { PDFArray, PDFDocument, PDFName, PDFRef } from "pdf-lib";
import { AppError } from "../../platform/errors.js";
import { openPdf } from "./inspect.js";
import { IncrementalUpdate } from "./incremental.js";
import { drawManifestPages, type Manifest } from "./manifest-layout.js";
import { cloneArray, cloneDict, num, numberValue } from "./objects.js";

export type { Manifest, ManifestRecipient } from "./manifest-layout.js";

export async function appendManifest(pdfBytes: Uint8Array, manifest: Manifest): Promise<Uint8Array> {
  const doc = openPdf(pdfBytes);
  if (doc.encrypted) throw new AppError("unprocessable", "The PDF is encrypted; the manifest cannot be added.");
  let pagesRef: PDFRef;
  let pagesDict;
  try {
    pagesRef = doc.pagesRef;
    pagesDict = doc.dict(pagesRef, "page tree");
  } catch (error) {
    throw new AppError("unprocessable", `The PDF page tree could not be read (${(error as Error).message}).`);
  }

  const scratch = await PDFDocument.create({ updateMetadata: false });
  // Objects pdf-lib made for its own catalog/page tree are never written.
  const scaffolding = new Set(scratch.context.enumerateIndirectObjects().map(([ref]) => ref.objectNumber));
  scratch.context.largestObjectNumber = Math.max(scratch.context.largestObjectNumber, doc.xref.size - 1);
  const pages = await drawManifestPages(scratch, manifest);
  await scratch.flush();

  const update = new IncrementalUpdate(doc);
  update.reserveUpTo(scratch.context.largestObjectNumber);
  for (const page of pages) {
    // The root may carry inheritable /Rotate or /CropBox meant for the contract's pages.
    page.setCropBox(0, 0, page.getWidth(), page.getHeight());
    page.node.set(PDFName.of("Rotate"), num(0));
    // Last: from here on pdf-lib could not resolve the page's parent in its own context.
    page.node.set(PDFName.of("Parent"), pagesRef);
  }
  for (const [ref, object] of scratch.context.enumerateIndirectObjects()) {
    if (!scaffolding.has(ref.objectNumber)) update.set(ref, object);
  }

  const newRoot = cloneDict(pagesDict);
  const kids = pagesDict.get(PDFName.of("Kids"));
  const pageRefs = pages.map((p) => p.ref);
  if (kids instanceof PDFRef) {
    const array = doc.resolve(kids);
    if (!(array instanceof PDFArray)) throw new AppError("unprocessable", "The PDF page tree has no /Kids array.");
    const next = cloneArray(array);
    pageRefs.forEach((r) => next.push(r));
    update.set(kids, next);
  } else if (kids instanceof PDFArray) {
    const next = cloneArray(kids);
    pageRefs.forEach((r) => next.push(r));
    newRoot.set(PDFName.of("Kids"), next);
  } else {
    throw new AppError("unprocessable", "The PDF page tree has no /Kids array.");
  }
  newRoot.set(PDFName.of("Count"), num((numberValue(doc.resolve(pagesDict.get(PDFName.of("Count")))) ?? 0) + pages.length));
  update.set(pagesRef, newRoot);
  return Buffer.concat([pdfBytes, update.build()]);
}
