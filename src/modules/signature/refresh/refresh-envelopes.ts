import type { AppContext } from "../../../platform/context.js";
import { refreshEnvelope } from "../commands/refresh-envelope.js";
import { openStatuses } from "../envelope-state.js";
import { refreshConfig } from "./config.js";
import { createRateLimiter, forEachBounded } from "./limits.js";

/** Which envelopes: the given ids, or every envelope still pending or partially signed. */
export type RefreshSelection = { ids: string[] } | { allPending: true };

export interface RefreshProgress {
  total: number;
  /** Envelopes handled so far, failed ones included. */
  done: number;
  failed: number;
  /** Envelopes whose status or count of acted recipients changed. */
  changed: number;
  /** Envelopes left alone because someone refreshed them after `skipCheckedAfter`. */
  skipped: number;
}

export interface RefreshOptions {
  concurrency?: number;
  ratePerSecond?: number;
  /**
   * Envelopes checked after this instant are counted as done without asking
   * the provider again: a retried job does not repeat its own work.
   */
  skipCheckedAfter?: string | null;
  onProgress?(progress: Readonly<RefreshProgress>): void | Promise<void>;
}

type Candidate = { id: string; provider: string; status: string; last_checked_at: string | null };

export async function refreshCandidates(ctx: AppContext, selection: RefreshSelection): Promise<Candidate[]> {
  const qb = ctx.db.selectFrom("envelopes").select(["id", "provider", "status", "last_checked_at"]);
  if ("ids" in selection) {
    if (selection.ids.length === 0) return [];
    return qb.where("id", "in", [...new Set(selection.ids)]).orderBy("id").execute();
  }
  return qb.where("status", "in", [...openStatuses]).orderBy("id").execute();
}

async function actedCount(ctx: AppContext, id: string): Promise<number> {
  const row = await ctx.db
    .selectFrom("recipients")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("envelope_id", "=", id).where("removed_at", "is", null).where("action", "!=", "observe").where("status", "!=", "pending")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The status refresh process: asks the provider about each envelope with
 * bounded concurrency and a rate limit on calls to remote providers. One
 * envelope's failure is counted and logged, never stops the others.
 */
export async function refreshEnvelopes(ctx: AppContext, selection: RefreshSelection, options: RefreshOptions = {}): Promise<RefreshProgress> {
  const config = refreshConfig();
  const limiter = createRateLimiter(options.ratePerSecond ?? config.ratePerSecond);
  const candidates = await refreshCandidates(ctx, selection);
  const progress: RefreshProgress = { total: candidates.length, done: 0, failed: 0, changed: 0, skipped: 0 };
  await options.onProgress?.(progress);
  const skipAfter = options.skipCheckedAfter ?? null;

  await forEachBounded(candidates, options.concurrency ?? config.concurrency, async (envelope) => {
    try {
      if (skipAfter && envelope.last_checked_at && envelope.last_checked_at > skipAfter) {
        progress.skipped++;
      } else {
        // The built-in provider is obrasign itself: no remote call to pace.
        if (envelope.provider !== "embedded") await limiter.acquire();
        const actedBefore = await actedCount(ctx, envelope.id);
        const after = await refreshEnvelope(ctx, envelope.id);
        if (after.status !== envelope.status || after.acted !== actedBefore) progress.changed++;
      }
    } catch (error) {
      progress.failed++;
      ctx.log.warn({ envelopeId: envelope.id, err: (error as Error).message }, "envelope status refresh failed");
    }
    progress.done++;
    try {
      await options.onProgress?.(progress);
    } catch (error) {
      ctx.log.warn({ err: (error as Error).message }, "could not record refresh progress");
    }
  });
  return progress;
}
