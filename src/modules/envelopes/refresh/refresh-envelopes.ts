import type { ProviderName } from "../../../platform/providers/port.js";
import type { AppContext } from "../../../platform/context.js";
import { syncEnvelope, type ProviderLookup } from "../commands/refresh-envelope.js";
import { providerEnvelopeOf } from "../providers.js";
import { openStatuses } from "../envelope-state.js";
import { createSharedRateLimiter } from "../../../platform/throttle/index.js";
import { forEachBounded } from "./limits.js";

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

const failedCheckPauseMs = 24 * 60 * 60 * 1000;

type Candidate = { id: string; provider: ProviderName; status: string; last_checked_at: string | null };

export async function refreshCandidates(ctx: AppContext, selection: RefreshSelection): Promise<Candidate[]> {
  const qb = ctx.db.selectFrom("envelopes").select(["id", "provider", "status", "last_checked_at"]);
  if ("ids" in selection) {
    if (selection.ids.length === 0) return [];
    return qb.where("id", "in", [...new Set(selection.ids)]).orderBy("id").execute();
  }
  // An envelope whose last refresh failed for good is asked again once a day, not at every run;
  // asking for it by id (the refresh button, a provider's call) always asks.
  const retryFailedAfter = new Date(ctx.clock.now().getTime() - failedCheckPauseMs).toISOString();
  return qb
    .where("status", "in", [...openStatuses])
    .where((eb) => eb.or([eb("check_failure", "is", null), eb("last_checked_at", "is", null), eb("last_checked_at", "<", retryFailedAfter)]))
    .orderBy("id")
    .execute();
}

/** How long one run reuses a provider adapter or author before asking again (settings changed on another node, a user's TAE session ending). */
const lookupTtlMs = 30_000;

/**
 * The adapter and the provider author, looked up once per run (per provider,
 * per author) instead of once per envelope: each lookup reads the settings
 * (and the author's TAE session) from the database. Entries live
 * `lookupTtlMs`; a failed lookup is not kept.
 */
export function cachedProviderLookup(): ProviderLookup {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const memo = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const now = performance.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < lookupTtlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now, value });
    value.catch(() => cache.get(key)?.value === value && cache.delete(key));
    return value;
  };
  return {
    provider: (ctx, name) => memo(`provider:${name}`, () => ctx.providers.get(name)),
    author: (ctx, envelope) => memo(`author:${envelope.provider}:${envelope.author_id ?? ""}:${envelope.author_label}`, async () => (await ctx.providers.get(envelope.provider)).authorOf(providerEnvelopeOf(envelope))),
  };
}

/**
 * The status refresh process: asks the provider about each envelope with
 * bounded concurrency and a rate limit on calls to remote providers, shared
 * by every worker through the database (N workers together stay under it). One
 * envelope's failure is counted and logged, never stops the others.
 */
export async function refreshEnvelopes(ctx: AppContext, selection: RefreshSelection, options: RefreshOptions = {}): Promise<RefreshProgress> {
  const config = ctx.config.refresh;
  // One pace for the installation: every worker running a refresh takes its slots from the same row.
  const limiter = createSharedRateLimiter(ctx.db, "provider-refresh", options.ratePerSecond ?? config.ratePerSecond);
  const candidates = await refreshCandidates(ctx, selection);
  const progress: RefreshProgress = { total: candidates.length, done: 0, failed: 0, changed: 0, skipped: 0 };
  await options.onProgress?.(progress);
  const skipAfter = options.skipCheckedAfter ?? null;
  const lookup = cachedProviderLookup();

  await forEachBounded(candidates, options.concurrency ?? config.concurrency, async (envelope) => {
    try {
      if (skipAfter && envelope.last_checked_at && envelope.last_checked_at > skipAfter) {
        progress.skipped++;
      } else {
        // A local provider (the built-in one) makes no remote call to pace.
        if ((await lookup.provider(ctx, envelope.provider)).remote) await limiter.acquire();
        const outcome = await syncEnvelope(ctx, envelope.id, lookup);
        if (outcome.changed) progress.changed++;
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
