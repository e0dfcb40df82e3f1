import { throttleOf, type Config } from "../config.js";
import { rateLimited } from "../errors.js";
import type { Schedule } from "../jobs/schedules.js";
import { hit, purgeThrottleCounters, type ThrottleContext, type ThrottleRule } from "./counters.js";
import { throttleMessages, waitText } from "./messages.js";

export { clearThrottle, hit, lockedFor, purgeThrottleCounters, throttleKey, type ThrottleRule, type Verdict } from "./counters.js";
export { createSharedRateLimiter } from "./pace.js";
export { throttleMessages, waitText } from "./messages.js";

/** The rules every node applies, from the configuration (config.ts: defaults and environment variables). */
export function throttleRules(config: Pick<Config, "throttle">) {
  const t = throttleOf(config);
  return {
    /** Failed sign-ins per e-mail (lower case), locking on the ladder. */
    loginEmail: { name: "login-email", limit: t.login.maxFailures, windowMs: t.login.windowMs, lockMs: t.login.lockMs } satisfies ThrottleRule,
    /** Failed sign-ins per client address, whatever the e-mail (one address trying many accounts). */
    loginAddress: { name: "login-address", limit: t.login.maxFailuresPerAddress, windowMs: t.login.windowMs, lockMs: t.login.lockMs } satisfies ThrottleRule,
    /** `/api/verify` and the `/verify` upload, per client address. */
    verifyAddress: { name: "verify-address", limit: t.verify.limit, windowMs: t.verify.windowMs } satisfies ThrottleRule,
    /** "Reenviar convite" to one recipient of an envelope. */
    resendRecipient: { name: "resend-recipient", limit: t.resend.limit, windowMs: t.resend.windowMs } satisfies ThrottleRule,
    /** A new invitation to one user. */
    resendInvitation: { name: "resend-invitation", limit: t.resend.limit, windowMs: t.resend.windowMs } satisfies ThrottleRule,
  };
}

/**
 * Counts one hit and throws a 429 (with `Retry-After`) beyond the rule's
 * limit; `message` says what was refused (default: too many requests).
 */
export async function enforce(
  ctx: ThrottleContext, rule: ThrottleRule, subject: string,
  message: keyof typeof throttleMessages.en = "tooManyRequests",
): Promise<void> {
  const verdict = await hit(ctx, rule, subject);
  if (verdict.allowed) return;
  throw rateLimited(throttleMessages(message, { wait: waitText(verdict.retryAfterMs), limit: rule.limit }), verdict.retryAfterMs);
}

/** Forgets idle counters every hour; deleting is idempotent, so every worker may run it. */
export const purgeThrottleSchedule: Schedule = {
  name: "throttle.purge",
  pattern: "0 17 * * * *",
  run: (ctx) => purgeThrottleCounters(ctx),
};
