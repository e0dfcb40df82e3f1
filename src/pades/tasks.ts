/**
 * The PDF work that runs in the worker pool: an uploaded or verified file is
 * untrusted, and even within the parser's limits reading it (or sealing a
 * 10 MB document: manifest pages, hashing, signature, DSS) costs more than
 * the event loop can spare while other requests wait. Inputs and outputs
 * are plain data: bytes, strings, dates.
 */
import { defineTask } from "../platform/workers/tasks.js";
import { inspectPdf, type PdfInspection } from "./pdf/inspect.js";
import type { TaskHost } from "../platform/workers/host.js";
import { sealAtBestLevel, type SealHostCalls, type SealTaskInput, type SealTaskOutput } from "./seal/best-level.js";
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

/** One file sealed at the best level reachable; the time-stamp authority and CRLs are asked for through the host. */
export function sealDocumentTask(input: SealTaskInput, host: TaskHost<SealHostCalls>): Promise<SealTaskOutput> {
  return sealAtBestLevel(input, host);
}

export const padesTasks = [
  defineTask("pades.inspect", new URL("./tasks.ts", import.meta.url), "inspectPdfTask"),
  defineTask("pades.verify", new URL("./tasks.ts", import.meta.url), "verifyPdfTask"),
  defineTask("pades.seal", new URL("./tasks.ts", import.meta.url), "sealDocumentTask"),
] as const;
