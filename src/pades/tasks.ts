/**
 * The PDF work that runs in the worker pool: an uploaded or verified file is
 * untrusted, and even within the parser's limits reading it costs more
 * than the event loop can spare while other requests wait. Inputs and outputs are plain data: bytes, strings, dates.
 */
import { defineTask } from "../platform/workers/tasks.js";
import { inspectPdf, type PdfInspection } from "./pdf/inspect.js";
import { verifyPdf, type VerifyOptions, type VerifyResult } from "./verify/verify.js";

declare module "../platform/workers/tasks.js" {
  interface WorkerTasks {
    "pades.inspect": typeof inspectPdfTask;
    "pades.verify": typeof verifyPdfTask;
  }
}

export function inspectPdfTask(input: { bytes: Uint8Array }): PdfInspection {
  return inspectPdf(input.bytes);
}

export function verifyPdfTask(input: { bytes: Uint8Array; options: VerifyOptions }): VerifyResult {
  return verifyPdf(input.bytes, input.options);
}

export const padesTasks = [
  defineTask("pades.inspect", new URL("./tasks.ts", import.meta.url), "inspectPdfTask"),
  defineTask("pades.verify", new URL("./tasks.ts", import.meta.url), "verifyPdfTask"),
] as const;
