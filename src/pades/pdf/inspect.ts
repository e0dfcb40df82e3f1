/**
 * Upload inspection: parses the cross-reference chain and the catalog, so a
 * file that merely starts with %PDF but cannot be read (or that we could not
 * sign without breaking) is refused before anyone is asked to sign it.
 */
import { PDFName } from "pdf-lib";
import { AppError } from "../../platform/errors.js";
import { latin1 } from "./bytes.js";
import { walkFields } from "./fields.js";
import { PdfStructure } from "./structure.js";

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
    throw new AppError("unprocessable", "The PDF is encrypted or password-protected; upload an unprotected copy.");
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
    throw new AppError("unsupported_media_type", "The file is not a PDF (no %PDF header).");
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
    : new AppError(
        "unprocessable",
        `The PDF is damaged and cannot be signed (${error instanceof Error ? error.message : String(error)}); ` +
          "re-export it from the original application.",
      );

function countSignedFields(structure: PdfStructure): number {
  const acroForm = structure.lookup(structure.catalog, "AcroForm");
  if (!acroForm) return 0;
  let count = 0;
  for (const field of walkFields(structure, acroForm)) {
    if (structure.lookup(field, "FT") === PDFName.of("Sig") && field.has(PDFName.of("V"))) count++;
  }
  return count;
}
