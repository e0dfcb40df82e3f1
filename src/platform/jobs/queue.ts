import { sql } from "kysely";
import type { AppContext } from "../context.js";
import type { Db } from "../db/connect.js";
import type { Tx } from "../db/transaction.js";
import { newId } from "../ids.js";
import type { JobPayloads, JobName } from "./registry.js";

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one job per key, ever: repeated causes (retries, double clicks) enqueue once. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Writes a job row in the caller's transaction, so the job exists exactly
 * when the change that caused it commits. Returns the job id, or the id of
 * the existing job with the same dedupe key.
 */
export async function enqueue<N extends JobName>(ctx: AppContext, db: Tx | Db, name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<string> {
  const definition = ctx.jobs.get(name);
  if (!definition) throw new Error(`Unknown job ${name}`);
  const now = ctx.clock.now().toISOString();
  if (options.dedupeKey) {
    const existing = await db.selectFrom("jobs").select("id").where("dedupe_key", "=", options.dedupeKey).executeTakeFirst();
    if (existing) return existing.id;
  }
  const id = newId();
  await db
    .insertInto("jobs")
    .values({
      id, name, payload: JSON.stringify(definition.schema.parse(payload)), status: "queued", dedupe_key: options.dedupeKey ?? null,
      run_at: (options.runAt ?? ctx.clock.now()).toISOString(), attempts: 0, max_attempts: options.maxAttempts ?? definition.retry.maxAttempts,
      locked_by: null, locked_until: null, last_error: null, created_at: now, updated_at: now,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .execute();
  return id;
}

/**
 * Claims up to `limit` due jobs for one worker. On PostgreSQL, SKIP LOCKED
 * lets several workers claim side by side without taking the same row; a
 * job whose lease ran out (its worker died) is due again.
 */
export async function claimJobs(ctx: AppContext, workerId: string, limit: number) {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + ctx.config.jobLeaseMs).toISOString();
  const skipLocked = ctx.dialect === "postgres" ? sql`for update skip locked` : sql``;
  const result = await sql<{ id: string }>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${leaseUntil},
      attempts = attempts + 1, updated_at = ${nowIso}
    where id in (
      select id from jobs
      where (status = 'queued' and run_at <= ${nowIso}) or (status = 'running' and locked_until < ${nowIso})
      order by run_at limit ${limit} ${skipLocked}
    )
    returning id`.execute(ctx.db);
  if (result.rows.length === 0) return [];
  return ctx.db.selectFrom("jobs").selectAll().where("id", "in", result.rows.map((r) => r.id)).orderBy("run_at").execute();
}

export async function updateJobProgress(ctx: AppContext, jobId: string, progress: { done?: number; total?: number; failed?: number }) {
  await ctx.db
    .updateTable("jobs")
    .set({
      ...(progress.done !== undefined ? { progress_done: progress.done } : {}),
      ...(progress.total !== undefined ? { progress_total: progress.total } : {}),
      ...(progress.failed !== undefined ? { progress_failed: progress.failed } : {}),
      updated_at: ctx.clock.now().toISOString(),
    })
    .where("id", "=", jobId)
    .execute();
}

/** Extends a running job's lease while it still holds it (long jobs that report progress). */
export async function renewLease(ctx: AppContext, job: { id: string; locked_by: string | null }, leaseMs: number) {
  if (!job.locked_by) return;
  await ctx.db
    .updateTable("jobs")
    .set({ locked_until: new Date(ctx.clock.now().getTime() + leaseMs).toISOString() })
    .where("id", "=", job.id).where("locked_by", "=", job.locked_by).where("status", "=", "running")
    .execute();
}

/** Jobs of one name that are queued or running, with their payloads. */
export const activeJobs = (ctx: AppContext, name: string) =>
  ctx.db.selectFrom("jobs").select(["id", "payload"]).where("name", "=", name).where("status", "in", ["queued", "running"]).execute();

/** A job's status and progress, when the id is a job of that name. */
export const jobProgress = (ctx: AppContext, id: string, name: string) =>
  ctx.db
    .selectFrom("jobs")
    .select(["id", "status", "progress_done", "progress_total", "progress_failed", "created_at", "updated_at"])
    .where("id", "=", id).where("name", "=", name)
    .executeTakeFirst();

export const jobStatus = (db: Tx | Db, id: string) => db.selectFrom("jobs").select(["id", "status"]).where("id", "=", id).executeTakeFirst();

/** Brings a queued job's next run forward to now. */
export async function runQueuedJobNow(db: Tx | Db, id: string, now: string) {
  await db.updateTable("jobs").set({ run_at: now, updated_at: now }).where("id", "=", id).where("status", "=", "queued").execute();
}
