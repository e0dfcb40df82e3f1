import { sql, type RawBuilder } from "kysely";
import type { Clock } from "../clock.js";
import type { Db } from "../db/connect.js";
import type { SecretBox } from "../crypto/secrets.js";

/**
 * Throttles shared by every web node and worker: the counts live in the
 * `throttle_counters` table, and each count is one atomic statement
 * (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`), never a read then a
 * write, so two nodes counting at once both count.
 *
 * A rule counts hits in a fixed window that opens at the first hit after the
 * previous window ended (so "1 per 30 s" means 30 s since the last one let
 * through). A rule with a lock ladder (the login) locks its key when the
 * count reaches the limit, for the next step of the ladder; the last step
 * repeats until the key is cleared (success, admin unlock) or purged.
 */
export interface ThrottleRule {
  /** Part of the key: what is counted ("login-email", "verify-address", …). */
  name: string;
  limit: number;
  windowMs: number;
  /** Lock durations, one per lock in a row; absent: a plain limit, no lock. */
  lockMs?: readonly number[];
}

export type ThrottleContext = { db: Db; clock: Clock; secrets: SecretBox };

export type Verdict =
  | { allowed: true; hits: number }
  /** `locked`: the hit reached the limit of a rule with a lock ladder, and the key is now locked. */
  | { allowed: false; hits: number; retryAfterMs: number; locked: boolean };

/**
 * The stored key: the rule's name and a MAC of the subject under the
 * installation key, so the table holds no e-mail or address in clear and a
 * subject of any length makes a key of one length.
 */
export const throttleKey = (ctx: { secrets: SecretBox }, rule: Pick<ThrottleRule, "name">, subject: string): string =>
  `${rule.name}:${ctx.secrets.mac(`throttle:${rule.name}:${subject}`).slice(0, 40)}`;

const big = (n: number): RawBuilder<number> => sql<number>`CAST(${Math.round(n)} AS bigint)`;

/** The lock duration for a row that has been locked `strikes` times before: a CASE over the ladder. */
function ladderSql(lockMs: readonly number[]): RawBuilder<number> {
  if (lockMs.length === 1) return big(lockMs[0]!);
  const steps = lockMs.slice(0, -1).map((ms, i) => sql`WHEN throttle_counters.strikes = ${sql.lit(i)} THEN ${big(ms)}`);
  return sql<number>`CASE ${sql.join(steps, sql` `)} ELSE ${big(lockMs[lockMs.length - 1]!)} END`;
}

/** Counts one hit of `subject` under `rule` and says whether it is within the limit. */
export async function hit(ctx: ThrottleContext, rule: ThrottleRule, subject: string): Promise<Verdict> {
  const key = throttleKey(ctx, rule, subject);
  const now = ctx.clock.now().getTime();
  // A window is over once it is older than the rule's window and no lock holds the key.
  const windowOver = sql<boolean>`(throttle_counters.window_started_ms <= ${big(now - rule.windowMs)}
    AND (throttle_counters.locked_until_ms IS NULL OR throttle_counters.locked_until_ms <= ${big(now)}))`;
  const row = await ctx.db
    .insertInto("throttle_counters")
    .values({ key, hits: 1, window_started_ms: now, strikes: 0, locked_until_ms: null, updated_ms: now })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        hits: sql<number>`CASE WHEN ${windowOver} THEN 1 ELSE throttle_counters.hits + 1 END`,
        window_started_ms: sql<number>`CASE WHEN ${windowOver} THEN ${big(now)} ELSE throttle_counters.window_started_ms END`,
        updated_ms: now,
      }),
    )
    .returning(["hits", "window_started_ms", "locked_until_ms"])
    .executeTakeFirstOrThrow();
  const hits = Number(row.hits);
  const lockedUntil = row.locked_until_ms === null ? 0 : Number(row.locked_until_ms);
  if (lockedUntil > now) return { allowed: false, hits, retryAfterMs: lockedUntil - now, locked: true };
  if (!rule.lockMs?.length) {
    if (hits <= rule.limit) return { allowed: true, hits };
    return { allowed: false, hits, retryAfterMs: Number(row.window_started_ms) + rule.windowMs - now, locked: false };
  }
  if (hits < rule.limit) return { allowed: true, hits };
  return { allowed: false, hits, retryAfterMs: await lock(ctx, key, rule.lockMs, rule.limit, now), locked: true };
}

/**
 * Locks a key that reached its limit, for the ladder's next step. Only one
 * of several hits at once sets the lock (the condition on the lock); the
 * others read it.
 */
async function lock(ctx: ThrottleContext, key: string, lockMs: readonly number[], limit: number, now: number): Promise<number> {
  const locked = await ctx.db
    .updateTable("throttle_counters")
    .set({ locked_until_ms: sql<number>`${big(now)} + ${ladderSql(lockMs)}`, strikes: sql<number>`throttle_counters.strikes + 1`, updated_ms: now })
    .where("key", "=", key)
    .where("hits", ">=", limit)
    .where((eb) => eb.or([eb("locked_until_ms", "is", null), eb("locked_until_ms", "<=", now)]))
    .returning("locked_until_ms")
    .executeTakeFirst();
  const until = locked?.locked_until_ms ?? (await lockedUntil(ctx.db, key));
  return Math.max(1000, Number(until ?? now) - now);
}

async function lockedUntil(db: Db, key: string): Promise<number | null> {
  const row = await db.selectFrom("throttle_counters").select("locked_until_ms").where("key", "=", key).executeTakeFirst();
  return row?.locked_until_ms == null ? null : Number(row.locked_until_ms);
}

/** How long `subject` stays locked under `rule` (0: not locked). Reading only: it counts nothing. */
export async function lockedFor(ctx: ThrottleContext, rule: Pick<ThrottleRule, "name">, subject: string): Promise<number> {
  const until = await lockedUntil(ctx.db, throttleKey(ctx, rule, subject));
  return until === null ? 0 : Math.max(0, until - ctx.clock.now().getTime());
}

/** Forgets `subject`'s count, strikes and lock under `rule` (a successful login, an administrator's unlock). */
export async function clearThrottle(ctx: ThrottleContext, rule: Pick<ThrottleRule, "name">, subject: string): Promise<boolean> {
  const result = await ctx.db.deleteFrom("throttle_counters").where("key", "=", throttleKey(ctx, rule, subject)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Counters untouched for this long are forgotten, strikes included (longer than any window or lock step allowed). */
export const counterIdleMs = 48 * 60 * 60 * 1000;

/** Deletes counters idle for `counterIdleMs` whose lock (if any) has ended. */
export async function purgeThrottleCounters(ctx: { db: Db; clock: Clock }): Promise<number> {
  const now = ctx.clock.now().getTime();
  const result = await ctx.db
    .deleteFrom("throttle_counters")
    .where("updated_ms", "<", now - counterIdleMs)
    .where((eb) => eb.or([eb("locked_until_ms", "is", null), eb("locked_until_ms", "<=", now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
