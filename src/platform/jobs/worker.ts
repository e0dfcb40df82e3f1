import { hostname } from "node:os";
import type { AppContext } from "../context.js";
import type { Job } from "../db/schema.js";
import { newId } from "../ids.js";
import { claimJobs } from "./queue.js";
import { PermanentJobError } from "./registry.js";

const redactError = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/** Runs one claimed job and records the outcome: done, retry later, or failed. */
export async function runJob(ctx: AppContext, job: Job, workerId: string): Promise<void> {
  const definition = ctx.jobs.get(job.name);
  const finish = (set: Partial<Omit<Job, "id">>) =>
    ctx.db.updateTable("jobs").set({ ...set, locked_by: null, locked_until: null, updated_at: ctx.clock.now().toISOString() }).where("id", "=", job.id).where("locked_by", "=", workerId).execute();
  if (!definition) {
    await finish({ status: "failed", last_error: `No handler for job ${job.name}` });
    return;
  }
  let payload: unknown;
  try {
    payload = definition.schema.parse(JSON.parse(job.payload));
    await definition.handler(ctx, payload as never, job);
    await finish({ status: "done", last_error: null });
  } catch (error) {
    const message = redactError(error);
    const permanent = error instanceof PermanentJobError || (error as { retryable?: boolean }).retryable === false;
    if (!permanent && job.attempts < job.max_attempts) {
      const runAt = new Date(ctx.clock.now().getTime() + definition.retry.backoffMs(job.attempts));
      await finish({ status: "queued", run_at: runAt.toISOString(), last_error: message });
      ctx.log.warn({ job: job.name, jobId: job.id, attempt: job.attempts, err: message }, "job failed, will retry");
      return;
    }
    await finish({ status: "failed", last_error: message });
    ctx.log.error({ job: job.name, jobId: job.id, attempt: job.attempts, err: message }, "job gave up");
    if (definition.onGiveUp && payload !== undefined) await definition.onGiveUp(ctx, payload as never, error as Error);
  }
}

/** Runs every due job until none is left (tests and `--once` runs; later-dated retries wait for the clock). */
export async function drainJobs(ctx: AppContext, options: { maxRounds?: number } = {}): Promise<number> {
  const workerId = `drain-${newId()}`;
  let ran = 0;
  for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
    const jobs = await claimJobs(ctx, workerId, 10);
    if (jobs.length === 0) break;
    for (const job of jobs) await runJob(ctx, job, workerId);
    ran += jobs.length;
  }
  return ran;
}

export interface Worker {
  stop(): Promise<void>;
  wake(): void;
}

/**
 * Jobs held at once per pool thread. A job mostly waits: on the pool (a
 * report), on the provider, on the database; two per thread keep every
 * thread busy while the others wait, and no more keeps memory bounded by the
 * work in hand rather than by the queue (each claimed job holds its record,
 * its PDF and its request bodies until it ends).
 */
export const jobsPerPoolThread = 2;

/** The default bound on claimed jobs: the worker pool's size × `jobsPerPoolThread`. */
export const defaultJobConcurrency = (ctx: Pick<AppContext, "workers">) => Math.max(2, ctx.workers.size * jobsPerPoolThread);

/** The background worker: polls for due jobs, holds at most `concurrency` at once (pool size × 2 by default), wakes early when told. */
export function startWorker(ctx: AppContext, options: { concurrency?: number; pollMs?: number } = {}): Worker {
  const workerId = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  const concurrency = options.concurrency ?? defaultJobConcurrency(ctx);
  const pollMs = options.pollMs ?? 1000;
  let running = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  // One claim at a time: two overlapping claims would both count the same free slots and overfill the worker.
  let claiming = false;
  let wokenWhileClaiming = false;
  const inFlight = new Set<Promise<void>>();

  const tick = async () => {
    if (stopped) return;
    timer = null;
    if (claiming) {
      wokenWhileClaiming = true;
      return;
    }
    claiming = true;
    try {
      const free = concurrency - running;
      const jobs = free > 0 ? await claimJobs(ctx, workerId, free) : [];
      for (const job of jobs) {
        running++;
        const p = runJob(ctx, job, workerId)
          .catch((error) => ctx.log.error({ err: redactError(error) }, "worker error"))
          .finally(() => {
            running--;
            inFlight.delete(p);
            // A slot is free: claim now, not at the next poll (a pending poll timer would otherwise hold it idle).
            wake();
          });
        inFlight.add(p);
      }
      claiming = false;
      schedule((jobs.length === free && free > 0) || wokenWhileClaiming ? 0 : pollMs);
    } catch (error) {
      claiming = false;
      ctx.log.error({ err: redactError(error) }, "worker could not claim jobs");
      schedule(pollMs * 5);
    }
    wokenWhileClaiming = false;
  };
  const schedule = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(tick, ms);
  };
  const wake = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    schedule(0);
  };
  schedule(0);
  return {
    wake,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
