import { AppError } from "../../platform/errors.js";
import { catalogue, joinText } from "../../platform/i18n/text.js";
import { inspectPdf } from "../../pades/pdf/inspect.js";

export const maxEnvelopeBytes = 10 * 1024 * 1024;

export const fileRefusals = catalogue(
  {
    noFile: "é preciso ao menos um PDF",
    tooLarge: "Os arquivos somam {mb} MB; um envelope aceita no máximo 10 MB.",
    fileTooLarge: "O arquivo passa de 10 MB; um envelope aceita no máximo 10 MB.",
    fileN: "arquivo {n}",
  },
  {
    noFile: "at least one PDF is required",
    tooLarge: "The files add up to {mb} MB; an envelope takes at most 10 MB",
    fileTooLarge: "A file is larger than 10 MB; an envelope takes at most 10 MB",
    fileN: "file {n}",
  },
);

export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Uploaded files must be real PDFs that we can seal: parsed, not just
 * named .pdf; not encrypted; 10 MB per envelope in total (TAE's limit too).
 */
export function checkEnvelopeFiles(files: IncomingFile[]) {
  if (files.length === 0) throw new AppError("validation", joinText(["file", fileRefusals("noFile")]), { file: fileRefusals("noFile") });
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > maxEnvelopeBytes) {
    throw new AppError("too_large", fileRefusals("tooLarge", { mb: (total / 1024 / 1024).toFixed(1) }), { file: fileRefusals("tooLarge", { mb: (total / 1024 / 1024).toFixed(1) }) });
  }
  return files.map((file, index) => {
    try {
      return { ...file, inspection: inspectPdf(file.bytes) };
    } catch (error) {
      if (error instanceof AppError) {
        const reason = error.text ?? error.message;
        throw new AppError(error.code, joinText([file.name || fileRefusals("fileN", { n: index + 1 }), reason]), { [`file.${index}`]: reason });
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
