/**
 * The one place that turns a pdfmake document definition into PDF bytes.
 * One printer per thread, with its fonts parsed once (fonts.ts).
 */
import { createRequire } from "node:module";
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { reuseFontsAcrossDocuments, robotoFiles } from "./fonts.js";

const require = createRequire(import.meta.url);

interface PdfKitDocument {
  on(event: "data", listener: (chunk: Buffer) => void): void;
  on(event: "end", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  end(): void;
}
export interface PdfPrinter {
  createPdfKitDocument(definition: TDocumentDefinitions, options?: Record<string, unknown>): PdfKitDocument;
}
type PdfPrinterClass = new (fonts: Record<string, ReturnType<typeof robotoFiles>>) => PdfPrinter;

// pdfmake 0.2 is CommonJS and @types/pdfmake describes 0.3, hence the local types.
const PdfPrinterClass = require("pdfmake") as PdfPrinterClass;

/** A printer with its own font buffers: documents it prints share their parsed fonts only with each other. */
export function createPrinter(): PdfPrinter {
  reuseFontsAcrossDocuments();
  return new PdfPrinterClass({ Roboto: robotoFiles() });
}

let printer: PdfPrinter | undefined;

/** Renders a document definition to PDF bytes (with this thread's printer unless one is given). */
export function renderPdf(definition: TDocumentDefinitions, using: PdfPrinter = (printer ??= createPrinter())): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let doc: PdfKitDocument;
    try {
      doc = using.createPdfKitDocument(definition);
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
