/**
 * Upload inspection: parses the cross-reference chain and the catalog, so a
 * file that merely starts with %PDF but cannot be read (or that we could not
 * sign without breaking) is refused before anyone is asked to sign it.
 */
import { PDFName } from "pdf-lib";
import { AppError } from "../../platform/errors.js";
import { catalogue } from "../../platform/i18n/text.js";
import { latin1 } from "./bytes.js";
import { walkFields } from "./fields.js";
import { PdfStructure } from "./structure.js";

/** Why an upload is refused, in the uploader's language. */
export const pdfRefusals = catalogue(
  {
    encrypted: "O PDF está criptografado ou protegido por senha; envie uma cópia sem proteção.",
    notPdf: "O arquivo não é um PDF (falta o cabeçalho %PDF).",
    damaged: "O PDF está danificado e não pode ser assinado ({detail}); exporte-o de novo a partir do programa de origem.",
  },
  {
    encrypted: "The PDF is encrypted or password-protected; upload an unprotected copy.",
    notPdf: "The file is not a PDF (no %PDF header).",
    damaged: "The PDF is damaged and cannot be signed ({detail}); re-export it from the original application.",
  },
);

export interface PdfInspection {
  pageCount: number;
  /** Effective version: header, or the catalog's /Version when newer. */
  version: string;
  encrypted: boolean;
  /** Number of signature fields that already carry a value. */
  existingSignatures: number;
  /** Cross-reference sections: more than one means earlier incremental updates. */
  revisions: number;
  usesXrefStream: boolean;
  sizeBytes: number;
}

export function inspectPdf(bytes: Uint8Array): PdfInspection {
  const structure = openPdf(bytes);
  if (structure.encrypted) {
    throw new AppError("unprocessable", pdfRefusals("encrypted"));
  }
  try {
    const pageCount = structure.pageCount;
    if (pageCount < 1) throw new Error("page tree is empty");
    return {
      pageCount,
      version: structure.effectiveVersion,
      encrypted: false,
      existingSignatures: countSignedFields(structure),
      revisions: structure.xref.sectionCount,
      usesXrefStream: structure.xref.newestIsStream,
      sizeBytes: bytes.length,
    };
  } catch (error) {
    throw broken(error);
  }
}

/** Opens a PDF or throws the AppError a user should see. */
export function openPdf(bytes: Uint8Array): PdfStructure {
  if (!/%PDF-\d\.\d/.test(latin1(bytes, 0, Math.min(bytes.length, 1024)))) {
    throw new AppError("unsupported_media_type", pdfRefusals("notPdf"));
  }
  try {
    return PdfStructure.open(bytes);
  } catch (error) {
    throw broken(error);
  }
}

const broken = (error: unknown) =>
  error instanceof AppError
    ? error
    : new AppError("unprocessable", pdfRefusals("damaged", { detail: error instanceof Error ? error.message : String(error) }));

function countSignedFields(structure: PdfStructure): number {
  const acroForm = structure.lookup(structure.catalog, "AcroForm");
  if (!acroForm) return 0;
  let count = 0;
  for (const field of walkFields(structure, acroForm)) {
    if (structure.lookup(field, "FT") === PDFName.of("Sig") && field.has(PDFName.of("V"))) count++;
  }
  return count;
}
