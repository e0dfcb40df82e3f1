import { createHash } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.js";
import type { Job } from "../../../platform/db/schema.js";
import { activeJobs, enqueue, jobProgress, renewLease, updateJobProgress } from "../../../platform/jobs/queue.js";
import { defineJob } from "../../../platform/jobs/registry.js";
import type { Schedule } from "../../../platform/jobs/schedules.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { refreshEnvelopes, type RefreshProgress } from "./refresh-envelopes.js";
import { anyOpenEnvelope } from "../queries.js";

export const refreshJobName = "envelopes.refresh";
/** Who asked: a user (API, page, CLI), the schedule, or a provider calling in about a document. */
export type RefreshOrigin = "api" | "page" | "schedule" | "cli" | "provider";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    /** No ids: every envelope pending or partially signed when the job starts. */
    "envelopes.refresh": { ids?: string[]; origin?: RefreshOrigin };
  }
}

const payloadSchema = z.object({
  ids: z.array(z.string()).max(10_000).optional(),
  origin: z.enum(["api", "page", "schedule", "cli", "provider"]).optional(),
});

const progressEveryMs = 250;

async function recordProgress(ctx: AppContext, job: Job, progress: Readonly<RefreshProgress>) {
  await updateJobProgress(ctx, job.id, { done: progress.done, total: progress.total, failed: progress.failed });
  // The worker's lease is renewed while progress is written, so a long refresh is not taken over.
  await renewLease(ctx, job, ctx.config.jobLeaseMs);
}

export const refreshEnvelopesJob = defineJob({
  name: refreshJobName,
  schema: payloadSchema,
  // Per-envelope failures never fail the job; only the database can, and then a retry skips what was done.
  retry: { maxAttempts: 3, backoffMs: (attempt) => 30_000 * attempt },
  async handler(ctx, payload, job) {
    let lastWrite = 0;
    const outcome = await refreshEnvelopes(ctx, payload.ids ? { ids: payload.ids } : { allPending: true }, {
      // Idempotent: what this job (an earlier attempt of it) or anyone else refreshed since it was queued is not asked again.
      skipCheckedAfter: job.created_at,
      async onProgress(progress) {
        const now = Date.now();
        if (progress.done > 0 && progress.done < progress.total && now - lastWrite < progressEveryMs) return;
        lastWrite = now;
        await recordProgress(ctx, job, progress);
      },
    });
    await recordProgress(ctx, job, outcome);
    ctx.log.info({ jobId: job.id, ...outcome }, "envelope status refresh finished");
  },
});

const sameIds = (a: string[] | undefined, b: string[] | undefined) =>
  a === undefined || b === undefined ? a === b : a.length === b.length && [...a].sort().every((id, i) => id === [...b].sort()[i]);

/**
 * Queues the refresh process. A second request for the same envelopes while
 * one is queued or running answers that job (double clicks, several tabs).
 */
export async function startRefreshJob(ctx: AppContext, input: { ids?: string[]; origin: RefreshOrigin; dedupeKey?: string }): Promise<{ jobId: string; reused: boolean }> {
  const ids = input.ids ? [...new Set(input.ids)].sort() : undefined;
  const active = await activeJobs(ctx, refreshJobName);
  const same = active.find((j) => sameIds((JSON.parse(j.payload) as { ids?: string[] }).ids, ids));
  if (same) return { jobId: same.id, reused: true };
  const jobId = await enqueue(ctx, ctx.db, refreshJobName, { ...(ids ? { ids } : {}), origin: input.origin }, input.dedupeKey ? { dedupeKey: input.dedupeKey } : {});
  ctx.notifyJobs();
  return { jobId, reused: false };
}

/** A refresh job's progress, or null when the id is not a refresh job. */
export async function refreshJobStatus(ctx: AppContext, jobId: string) {
  const job = await jobProgress(ctx, jobId, refreshJobName);
  if (!job) return null;
  return { id: job.id, status: job.status, done: Number(job.progress_done), total: Number(job.progress_total), failed: Number(job.progress_failed), createdAt: job.created_at, updatedAt: job.updated_at };
}
export type RefreshJobStatus = NonNullable<Awaited<ReturnType<typeof refreshJobStatus>>>;

/**
 * The scheduled refresh: one job per slot of `everyMinutes`, whichever
 * worker's minute tick comes first; the dedupe key names the slot, so two
 * workers (or a restart within the slot) queue it once.
 */
export async function queueScheduledRefresh(ctx: AppContext, everyMinutes = ctx.config.refresh.everyMinutes): Promise<string | null> {
  if (everyMinutes <= 0) return null;
  const slotMs = everyMinutes * 60_000;
  const slot = new Date(Math.floor(ctx.clock.now().getTime() / slotMs) * slotMs).toISOString();
  if (!(await anyOpenEnvelope(ctx.db))) return null;
  const jobId = await enqueue(ctx, ctx.db, refreshJobName, { origin: "schedule" }, { dedupeKey: `${refreshJobName}:schedule:${everyMinutes}:${slot}` });
  ctx.notifyJobs();
  return jobId;
}

/** Ids of a page's envelopes → a key that changes every minute: reloading a page does not queue a job per load. */
export function pageRefreshKey(ctx: AppContext, ids: string[]): string {
  const digest = createHash("sha256").update([...ids].sort().join(",")).digest("hex").slice(0, 24);
  return `${refreshJobName}:page:${digest}:${Math.floor(ctx.clock.now().getTime() / 60_000)}`;
}

/** Each minute tick queues the slot's refresh when one is due (OBRASIGN_REFRESH_EVERY_MINUTES; 0 turns it off). */
export const scheduledRefresh: Schedule = { name: "refresh envelope statuses", pattern: "0 * * * * *", run: (ctx) => queueScheduledRefresh(ctx) };

/**
 * A provider called in about one envelope: a hint to ask it soon (polling
 * stays the source of truth). At most one such refresh per envelope per
 * minute, however often the provider calls.
 */
export function queueProviderHintRefresh(ctx: AppContext, db: Db | Tx, envelopeId: string) {
  const minute = Math.floor(ctx.clock.now().getTime() / 60_000);
  return enqueue(ctx, db, refreshJobName, { ids: [envelopeId], origin: "provider" }, { dedupeKey: `${refreshJobName}:provider:${envelopeId}:${minute}` });
}
