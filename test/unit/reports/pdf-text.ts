/** Text of a PDF, per page, through pdf-parse (the same extraction a reviewer's tools would do). */
import { createRequire } from "node:module";

interface TextItem {
  str: string;
  transform: number[];
}
interface PageData {
  getTextContent(options: Record<string, boolean>): Promise<{ items: TextItem[] }>;
}
type PdfParse = (
  data: Buffer,
  options?: { pagerender?: (page: PageData) => Promise<string> },
) => Promise<{ numpages: number; text: string }>;

// The package entry runs a debug mode when loaded as main; its lib file does not.
const pdfParse = createRequire(import.meta.url)("pdf-parse/lib/pdf-parse.js") as PdfParse;

export interface PdfText {
  pageCount: number;
  pages: string[];
  text: string;
}

export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  const pages: string[] = [];
  const result = await pdfParse(Buffer.from(pdf), {
    async pagerender(page) {
      const content = await page.getTextContent({ normalizeWhitespace: false, disableCombineTextItems: false });
      let lastY: number | undefined;
      let text = "";
      for (const item of content.items) {
        const y = item.transform[5];
        text += lastY === undefined || lastY === y ? item.str : `\n${item.str}`;
        lastY = y;
      }
      pages.push(text);
      return text;
    },
  });
  return { pageCount: result.numpages, pages, text: pages.join("\n") };
}

/** Occurrences of a literal string. */
export function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}
