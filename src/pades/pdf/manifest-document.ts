/**
 * The manifest as a PDF of its own, for originals that must not change
 * (certified with DocMDP): the same pages appendManifest would add, in a new
 * document that carries the envelope's facts and the original's SHA-256.
 */
import { PDFDocument } from "pdf-lib";
import { drawManifestPages, type Manifest } from "./manifest-layout.js";
import { labelsFor } from "./manifest-text.js";

export async function manifestDocument(manifest: Manifest): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${labelsFor(manifest.locale).title} — ${manifest.documentName}`);
  doc.setProducer("obrasign");
  await drawManifestPages(doc, manifest);
  return doc.save({ useObjectStreams: false });
}
