import { setTimeout as sleep } from "node:timers/promises";

/**
 * Spaces starts evenly: at most `perSecond` per second, no bursts. Real time,
 * not the app clock: it protects a real provider. 0 or less: no limit.
 */
export function createRateLimiter(perSecond: number): { acquire(): Promise<void> } {
  if (!(perSecond > 0)) return { acquire: async () => {} };
  const intervalMs = 1000 / perSecond;
  let nextAt = 0;
  return {
    async acquire() {
      const now = performance.now();
      const at = Math.max(now, nextAt);
      nextAt = at + intervalMs;
      if (at > now) await sleep(at - now);
    },
  };
}

/** Runs `work` over `items` with at most `limit` in flight; `work` must not throw (failures are its own business). */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
