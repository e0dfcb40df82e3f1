import { sql } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../db/connect.js";

/**
 * Spaces calls evenly across the whole installation: at most `perSecond`
 * starts per second, counted together by every process on the database (N
 * refresh workers share one rate, they do not each get it). Each call takes
 * the next free slot in one atomic statement — the row's `locked_until_ms`
 * is when the slot after the last one taken opens — then sleeps until its
 * slot. Real time, not the app clock: it protects a real provider. 0 or
 * less: no limit.
 */
export interface SharedRateLimiter {
  /** Takes the next free slot and waits for it. */
  acquire(): Promise<void>;
  /** Takes the next free slot and says when it opens (epoch ms), without waiting. */
  reserve(): Promise<number>;
}

export function createSharedRateLimiter(db: Db, name: string, perSecond: number): SharedRateLimiter {
  if (!(perSecond > 0)) return { acquire: async () => {}, reserve: async () => Date.now() };
  const intervalMs = Math.max(1, Math.round(1000 / perSecond));
  const key = `pace:${name}`;
  const reserve = async () => {
    const now = Date.now();
    const row = await db
      .insertInto("throttle_counters")
      .values({ key, hits: 1, window_started_ms: now, strikes: 0, locked_until_ms: now + intervalMs, updated_ms: now })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          // A slot in the past is not kept: after a quiet spell the next call starts now, no burst to catch up.
          locked_until_ms: sql<number>`CASE WHEN throttle_counters.locked_until_ms IS NULL OR throttle_counters.locked_until_ms < CAST(${now} AS bigint)
            THEN CAST(${now} AS bigint) ELSE throttle_counters.locked_until_ms END + CAST(${intervalMs} AS bigint)`,
          updated_ms: now,
        }),
      )
      .returning("locked_until_ms")
      .executeTakeFirstOrThrow();
    return Number(row.locked_until_ms) - intervalMs;
  };
  return {
    reserve,
    async acquire() {
      const wait = (await reserve()) - Date.now();
      if (wait > 0) await sleep(wait);
    },
  };
}
