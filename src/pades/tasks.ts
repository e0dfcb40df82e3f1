/**
 * The PDF work that runs in the worker pool: an uploaded or verified file is
 * untrusted, and even within the parser's limits reading it (or sealing a
 * 10 MB document) costs more than the event loop can spare while other
 * requests wait. Inputs and outputs are plain data: bytes, strings, dates.
 */
import { defineTask } from "../platform/workers/tasks.js";
import { inspectPdf, type PdfInspection } from "./pdf/inspect.js";
import { appendManifest, type Manifest } from "./pdf/manifest.js";
import { manifestDocument } from "./pdf/manifest-document.js";
import { sealPdf, type SealOptions } from "./seal/seal.js";
import { verifyPdf, type VerifyOptions, type VerifyResult } from "./verify/verify.js";

declare module "../platform/workers/tasks.js" {
  interface WorkerTasks {
    "pades.inspect": typeof inspectPdfTask;
    "pades.verify": typeof verifyPdfTask;
    "pades.seal": typeof sealDocumentTask;
  }
}

export function inspectPdfTask(input: { bytes: Uint8Array }): PdfInspection {
  return inspectPdf(input.bytes);
}

export function verifyPdfTask(input: { bytes: Uint8Array; options: VerifyOptions }): VerifyResult {
  return verifyPdf(input.bytes, input.options);
}

export interface SealDocumentInput {
  bytes: Uint8Array;
  manifest: Manifest;
  /** The seal's private key as PEM: a KeyObject does not cross threads. */
  seal: Omit<SealOptions, "privateKey"> & { privateKey: string };
}

/**
 * The signed file of one original: the manifest pages appended and the seal
 * over everything. A certified original (DocMDP P=2/3) must not get new
 * pages; it is sealed as it is, and the manifest comes back as a separate
 * sealed PDF.
 */
export async function sealDocumentTask(input: SealDocumentInput): Promise<{ signed: Uint8Array; separateManifest: Uint8Array | null }> {
  const inspection = inspectPdf(input.bytes);
  if (inspection.certification === null) {
    return { signed: sealPdf(await appendManifest(input.bytes, input.manifest), input.seal), separateManifest: null };
  }
  const manifestPdf = await manifestDocument(input.manifest);
  return { signed: sealPdf(input.bytes, input.seal), separateManifest: sealPdf(manifestPdf, input.seal) };
}

export const padesTasks = [
  defineTask("pades.inspect", new URL("./tasks.ts", import.meta.url), "inspectPdfTask"),
  defineTask("pades.verify", new URL("./tasks.ts", import.meta.url), "verifyPdfTask"),
  defineTask("pades.seal", new URL("./tasks.ts", import.meta.url), "sealDocumentTask"),
] as const;
