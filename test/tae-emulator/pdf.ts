/**
 * What the emulator returns for "signed" downloads: the original PDF(s) with
 * a marker page listing who acted. It is no signature, only a valid PDF that
 * differs from the original so tests can tell the two downloads apart.
 */
import { PDFDocument, StandardFonts } from "pdf-lib";

export const SIGNED_MARKER = "TAE-EMULATOR SIGNED COPY";

export async function mergePdfs(files: Buffer[]): Promise<Buffer> {
  if (files.length === 1) return files[0];
  const out = await PDFDocument.create();
  for (const bytes of files) {
    const doc = await PDFDocument.load(bytes);
    const pages = await out.copyPages(doc, doc.getPageIndices());
    for (const page of pages) out.addPage(page);
  }
  return Buffer.from(await out.save());
}

export async function signedCopy(original: Buffer, lines: string[], withCertificate: boolean): Promise<Buffer> {
  try {
    const doc = await PDFDocument.load(original);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    let y = 800;
    const title = `${SIGNED_MARKER}${withCertificate ? " (certificate)" : " (manifest)"}`;
    page.drawText(title, { x: 40, y, size: 14, font });
    for (const line of lines) {
      y -= 18;
      if (y < 40) break;
      page.drawText(ascii(line), { x: 40, y, size: 10, font });
    }
    doc.setSubject(SIGNED_MARKER);
    return Buffer.from(await doc.save());
  } catch {
    // Not a PDF pdf-lib can read: append a comment after %%EOF (still a valid file for readers).
    return Buffer.concat([original, Buffer.from(`\n%${SIGNED_MARKER}\n%${lines.map(ascii).join(" | ")}\n`)]);
  }
}

/** Helvetica (WinAnsi) cannot draw every character; keep the marker page simple. */
function ascii(text: string): string {
  return text.normalize("NFD").replace(/[^\x20-\x7e]/g, "");
}
