/**
 * The PDF work that runs in the worker pool: an uploaded or verified file is
 * untrusted, and even within the parser's limits reading it (or sealing a
 * 10 MB document: manifest pages, hashing, signature, DSS) costs more than
 * the event loop can spare while other requests wait. Inputs and outputs
 * are plain data: bytes, strings, dates.
 */
import { createHash } from "node:crypto";
import { defineTask } from "../platform/workers/tasks.js";
import { inspectPdf, type PdfInspection } from "./pdf/inspect.js";
import type { TaskHost } from "../platform/workers/host.js";
import { sealAtBestLevel, type SealHostCalls, type SealTaskInput, type SealTaskOutput } from "./seal/best-level.js";
import { renewEvidence, type RenewTaskInput, type RenewTaskOutput } from "./seal/renew.js";
import { verifyPdf, type VerifyOptions, type VerifyResult } from "./verify/verify.js";

declare module "../platform/workers/tasks.js" {
  interface WorkerTasks {
    "pades.inspect": typeof inspectPdfTask;
    "pades.verify": typeof verifyPdfTask;
    "pades.seal": typeof sealDocumentTask;
    "pades.renew": typeof renewEvidenceTask;
  }
}

export function inspectPdfTask(input: { bytes: Uint8Array }): PdfInspection {
  return inspectPdf(input.bytes);
}

/** The verdict, and the file's SHA-256 (which names its envelope): hashing 20 MB is work for the thread too. */
export function verifyPdfTask(input: { bytes: Uint8Array; options: VerifyOptions }): VerifyResult & { sha256: string } {
  return { ...verifyPdf(input.bytes, input.options), sha256: createHash("sha256").update(input.bytes).digest("hex") };
}

/** One file sealed at the best level reachable; the time-stamp authority and CRLs are asked for through the host. */
export function sealDocumentTask(input: SealTaskInput, host: TaskHost<SealHostCalls>): Promise<SealTaskOutput> {
  return sealAtBestLevel(input, host);
}

/** A sealed file's DSS and document timestamp renewed when its last one is near expiry (seal/renew.ts). */
export function renewEvidenceTask(input: RenewTaskInput, host: TaskHost<SealHostCalls>): Promise<RenewTaskOutput> {
  return renewEvidence(input, host);
}

export const padesTasks = [
  defineTask("pades.inspect", new URL("./tasks.ts", import.meta.url), "inspectPdfTask"),
  defineTask("pades.verify", new URL("./tasks.ts", import.meta.url), "verifyPdfTask"),
  defineTask("pades.seal", new URL("./tasks.ts", import.meta.url), "sealDocumentTask"),
  defineTask("pades.renew", new URL("./tasks.ts", import.meta.url), "renewEvidenceTask"),
] as const;
