import { AppError } from "../../platform/errors.js";
import { inspectPdf } from "../../pades/pdf/inspect.js";

export const maxEnvelopeBytes = 10 * 1024 * 1024;

export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Uploaded files must be real PDFs that we can seal: parsed, not just
 * named .pdf; not encrypted; 10 MB per envelope in total (TAE's limit too).
 */
export function checkEnvelopeFiles(files: IncomingFile[]) {
  if (files.length === 0) throw new AppError("validation", "file: at least one PDF is required", { file: "at least one PDF is required" });
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > maxEnvelopeBytes) {
    throw new AppError("too_large", `The files add up to ${(total / 1024 / 1024).toFixed(1)} MB; an envelope takes at most 10 MB`);
  }
  return files.map((file, index) => {
    try {
      return { ...file, inspection: inspectPdf(file.bytes) };
    } catch (error) {
      if (error instanceof AppError) {
        const label = file.name || `file ${index + 1}`;
        const translations = error.translations && Object.fromEntries(Object.entries(error.translations).map(([locale, text]) => [locale, `${label}: ${text}`]));
        throw new AppError(error.code, `${label}: ${error.message}`, { [`file.${index}`]: error.message }, translations);
      }
      throw error;
    }
  });
}

/**
 * A file name that survives every file system and mail client: letters
 * (accented too), digits, space, . _ - and º; always ending in .pdf.
 */
export function safeFileName(name: string, fallback = "documento"): string {
  const base = name
    .normalize("NFC")
    .replace(/\.pdf$/i, "")
    .replace(/[^\p{L}\p{N} ._\-º]+/gu, "-")
    .replace(/\s+/g, " ")
    .replace(/-{2,}/g, "-")
    .replace(/^[\s.\-]+|[\s.\-]+$/g, "")
    .slice(0, 150)
    .trim();
  return `${base || fallback}.pdf`;
}
