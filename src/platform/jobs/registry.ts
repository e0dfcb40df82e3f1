import type { z } from "zod";
import type { AppContext } from "../context.js";
import type { Job } from "../db/schema.js";

/**
 * Job payloads by name. Modules declare their jobs here by declaration
 * merging, so `enqueue("envelope.send", { envelopeId })` is type-checked end
 * to end; app.ts lists one definition per name (`JobList`), checked by the compiler.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  schema: z.ZodType<JobPayloads[N]>;
  /** Must be idempotent: a job may run again after a crash or a lost lease. */
  handler(ctx: AppContext, payload: JobPayloads[N], job: Job): Promise<void>;
  retry: { maxAttempts: number; backoffMs(attempt: number): number };
  /** Runs once when the last attempt failed (e.g. mark the envelope failed with the reason). */
  onGiveUp?(ctx: AppContext, payload: JobPayloads[N], error: Error): Promise<void>;
}

// The worker handles definitions of every name alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/** Exactly one definition for every declared job name. */
export type JobList = { [N in JobName]: JobDefinition<N> };

/** Types a definition by its name; the definition reaches the worker through its module's manifest. */
export const defineJob = <N extends JobName>(definition: JobDefinition<N>): JobDefinition<N> => definition;

/** Exponential backoff with a cap: 2s, 4s, 8s … up to `capMs`. */
export const exponentialBackoff = (baseMs: number, capMs: number) => (attempt: number) => Math.min(capMs, baseMs * 2 ** (attempt - 1));

/** A provider's own "try again later" is not a bug: a permanent error gives up at once. */
export class PermanentJobError extends Error {}
