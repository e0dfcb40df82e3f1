import { PDFDocument, StandardFonts } from "pdf-lib";

/** A small real PDF with some text, made fresh for each test. */
export async function samplePdf(title = "Contrato de empreitada", pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} — página ${i + 1}`, { x: 50, y: 780, size: 16, font });
    page.drawText("Cláusula 1ª: o objeto deste contrato é a execução da estrutura.", { x: 50, y: 740, size: 11, font });
  }
  return doc.save();
}
