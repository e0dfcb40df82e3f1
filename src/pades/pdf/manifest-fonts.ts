/**
 * The manifest's fonts: Roboto (the report fonts, from pdfmake's vfs), embedded
 * and subset. pdf-lib's StandardFonts are only named, never embedded, so a
 * PDF/A original would lose conformance the moment the manifest pages were
 * appended; embedded TrueType keeps every glyph in the file and shows every
 * Portuguese accent. The font files are decoded once per thread.
 */
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

const require = createRequire(import.meta.url);

type Face = "regular" | "bold" | "italic";
const FILES: Record<Face, string> = { regular: "Roboto-Regular.ttf", bold: "Roboto-Medium.ttf", italic: "Roboto-Italic.ttf" };

let files: Record<Face, Uint8Array> | null = null;

function fontFiles(): Record<Face, Uint8Array> {
  if (files) return files;
  const vfsModule = require("pdfmake/build/vfs_fonts.js") as Record<string, unknown>;
  const vfs = ((vfsModule.pdfMake as { vfs?: Record<string, string> } | undefined)?.vfs ?? (vfsModule.vfs as Record<string, string> | undefined) ?? vfsModule) as Record<string, string>;
  const decode = (name: string) => {
    const data = vfs[name];
    if (typeof data !== "string") throw new Error(`font ${name} is missing from pdfmake's vfs`);
    return new Uint8Array(Buffer.from(data, "base64"));
  };
  files = { regular: decode(FILES.regular), bold: decode(FILES.bold), italic: decode(FILES.italic) };
  return files;
}

export interface ManifestFonts {
  regular: PDFFont;
  bold: PDFFont;
  /** The typed signature's face. */
  script: PDFFont;
}

export async function embedManifestFonts(doc: PDFDocument): Promise<ManifestFonts> {
  doc.registerFontkit(fontkit);
  const f = fontFiles();
  return {
    regular: await doc.embedFont(f.regular, { subset: true }),
    bold: await doc.embedFont(f.bold, { subset: true }),
    script: await doc.embedFont(f.italic, { subset: true }),
  };
}
