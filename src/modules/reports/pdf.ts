/**
 * The one place that turns a pdfmake document definition into PDF bytes.
 * Fonts: Roboto from pdfmake's vfs (Latin-1 + Latin Extended, so "ç", "º",
 * "–" and every Portuguese accent render and extract as text).
 */
import { createRequire } from "node:module";
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";

const require = createRequire(import.meta.url);

interface PdfKitDocument {
  on(event: "data", listener: (chunk: Buffer) => void): void;
  on(event: "end", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  end(): void;
}
interface PdfPrinterInstance {
  createPdfKitDocument(definition: TDocumentDefinitions, options?: Record<string, unknown>): PdfKitDocument;
}
type FontFiles = { normal: Buffer; bold: Buffer; italics: Buffer; bolditalics: Buffer };
type PdfPrinterClass = new (fonts: Record<string, FontFiles>) => PdfPrinterInstance;

// pdfmake 0.2 is CommonJS and @types/pdfmake describes 0.3, hence the local types.
const PdfPrinter = require("pdfmake") as PdfPrinterClass;

let printer: PdfPrinterInstance | undefined;

function getPrinter(): PdfPrinterInstance {
  if (printer) return printer;
  const vfsModule = require("pdfmake/build/vfs_fonts.js") as Record<string, unknown>;
  const vfs = ((vfsModule.pdfMake as { vfs?: Record<string, string> } | undefined)?.vfs ??
    (vfsModule.vfs as Record<string, string> | undefined) ??
    vfsModule) as Record<string, string>;
  const font = (name: string) => Buffer.from(vfs[name], "base64");
  printer = new PdfPrinter({
    Roboto: {
      normal: font("Roboto-Regular.ttf"),
      bold: font("Roboto-Medium.ttf"),
      italics: font("Roboto-Italic.ttf"),
      bolditalics: font("Roboto-MediumItalic.ttf"),
    },
  });
  return printer;
}

/** Renders a document definition to PDF bytes. */
export function renderPdf(definition: TDocumentDefinitions): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let doc: PdfKitDocument;
    try {
      doc = getPrinter().createPdfKitDocument(definition);
    } catch (error) {
      reject(error);
      return;
    }
    const chunks: Buffer[] = [];
    doc.on("data", (chunk) => chunks.push(chunk));
    doc.on("end", () => {
      const buffer = Buffer.concat(chunks);
      resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    });
    doc.on("error", reject);
    doc.end();
  });
}
