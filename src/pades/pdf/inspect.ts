/**
 * Upload inspection: parses the cross-reference chain, the catalog and the
 * page tree within the limits of limits.ts, so a file that merely starts with
 * %PDF but cannot be read, that we could not sign without breaking, or that
 * would run code in a recipient's viewer is refused before anyone is asked to
 * sign it.
 */
import { PDFName } from "pdf-lib";
import { findActiveContent } from "./active-content.js";
import { docMdpPermission, type DocMdpPermission } from "./certification.js";
import { asPdfError, notAPdf, pdfActiveContent, pdfCertifiedNoChanges, pdfDamaged, pdfEncrypted } from "./errors.js";
import { latin1 } from "./bytes.js";
import { walkFields } from "./fields.js";
import type { PdfLimits } from "./limits.js";
import { PdfStructure } from "./structure.js";

export interface PdfInspection {
  /** Leaves of the page tree (never the file's own /Count claim). */
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
  /** DocMDP permission of a certified file (2 or 3: it accepts signatures but not new pages). */
  certification: DocMdpPermission | null;
}

export function inspectPdf(bytes: Uint8Array, limits?: PdfLimits): PdfInspection {
  const structure = openPdf(bytes, limits);
  if (structure.encrypted) throw pdfEncrypted();
  try {
    const pageCount = structure.pageCount;
    if (pageCount < 1) throw new Error("page tree is empty");
    const certification = docMdpPermission(structure) ?? null;
    if (certification === 1) throw pdfCertifiedNoChanges();
    const active = findActiveContent(structure);
    if (active) throw pdfActiveContent(active);
    return {
      pageCount,
      version: structure.effectiveVersion,
      encrypted: false,
      existingSignatures: countSignedFields(structure),
      revisions: structure.xref.sectionCount,
      usesXrefStream: structure.xref.newestIsStream,
      sizeBytes: bytes.length,
      certification,
    };
  } catch (error) {
    throw asPdfError(error);
  }
}

/** Opens a PDF or throws the AppError a user should see. */
export function openPdf(bytes: Uint8Array, limits?: PdfLimits): PdfStructure {
  const header = latin1(bytes, 0, Math.min(bytes.length, 1024));
  if (!/%PDF-\d\.\d/.test(header)) throw notAPdf();
  // Readers tolerate bytes before the header by shifting every offset; an
  // incremental update written after them would not line up, so refuse.
  if (!header.startsWith("%PDF-")) throw pdfDamaged("bytes before the %PDF header");
  try {
    return PdfStructure.open(bytes, limits);
  } catch (error) {
    throw asPdfError(error);
  }
}

function countSignedFields(structure: PdfStructure): number {
  const acroForm = structure.lookup(structure.catalog, "AcroForm");
  if (!acroForm) return 0;
  let count = 0;
  for (const field of walkFields(structure, acroForm)) {
    if (structure.lookup(field, "FT") === PDFName.of("Sig") && field.has(PDFName.of("V"))) {
      structure.budget.check("maxSignatureFields", ++count);
    }
  }
  return count;
}
