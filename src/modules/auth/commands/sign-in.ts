import { AppError, rateLimited } from "../../../platform/errors.js";
import type { AppContext } from "../../../platform/context.js";
import { verifyPassword } from "../../../platform/crypto/passwords.js";
import { generateSecret, hashSecret } from "../../../platform/crypto/tokens.js";
import { newId } from "../../../platform/ids.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { clearThrottle, hit, lockedFor, throttleMessages, throttleRules, waitText } from "../../../platform/throttle/index.js";
import { findUserByEmail } from "../queries.js";

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

// Compared against when the e-mail is unknown, so both paths cost one scrypt.
const decoyHash = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const loginLocked = (waitMs: number) => rateLimited(throttleMessages("loginLocked", { wait: waitText(waitMs) }), waitMs);

/**
 * Checks a password and opens a session; the session secret goes to the
 * cookie only. Failures are counted per e-mail and per client address
 * (platform/throttle, shared by every node): reaching either limit locks
 * sign-in for a growing time, and while locked even the right password is
 * refused, before it is checked. Success forgets the e-mail's failures
 * (not the address's: one good account must not wash an address clean).
 */
export async function signIn(ctx: AppContext, input: { email: string; password: string; ip?: string; userAgent?: string }) {
  const rules = throttleRules(ctx.config);
  const email = input.email.trim().toLowerCase();
  const address = input.ip ?? "unknown";
  const waitMs = Math.max(await lockedFor(ctx, rules.loginEmail, email), await lockedFor(ctx, rules.loginAddress, address));
  if (waitMs > 0) throw loginLocked(waitMs);
  const user = await findUserByEmail(ctx, email);
  const ok = await verifyPassword(input.password, user?.password_hash ?? decoyHash);
  if (!user || !ok || user.disabled_at) {
    const verdicts = [await hit(ctx, rules.loginEmail, email), await hit(ctx, rules.loginAddress, address)];
    const refusedMs = Math.max(0, ...verdicts.map((v) => (v.allowed ? 0 : v.retryAfterMs)));
    if (refusedMs > 0) throw loginLocked(refusedMs);
    throw new AppError("unauthenticated", "E-mail or password is wrong");
  }
  await clearThrottle(ctx, rules.loginEmail, email);
  return { secret: await openSession(ctx, ctx.db, user.id, input), user };
}

/**
 * Checks a signed-in user's current password (a password change) against
 * the same per-e-mail counter as sign-in: a stolen session cannot try
 * passwords faster than the login form allows.
 */
export async function checkCurrentPassword(ctx: AppContext, user: { email: string; password_hash: string }, password: string): Promise<boolean> {
  const rule = throttleRules(ctx.config).loginEmail;
  const waitMs = await lockedFor(ctx, rule, user.email);
  if (waitMs > 0) throw loginLocked(waitMs);
  if (await verifyPassword(password, user.password_hash)) return true;
  const verdict = await hit(ctx, rule, user.email);
  if (!verdict.allowed) throw loginLocked(verdict.retryAfterMs);
  return false;
}

/** An administrator's unlock: forgets the failures and the lock of this e-mail. */
export async function unlockSignIn(ctx: AppContext, email: string): Promise<boolean> {
  return clearThrottle(ctx, throttleRules(ctx.config).loginEmail, email.trim().toLowerCase());
}

/** Until when sign-in with this e-mail is locked, or null. */
export async function signInLockedUntil(ctx: AppContext, email: string): Promise<string | null> {
  const ms = await lockedFor(ctx, throttleRules(ctx.config).loginEmail, email.trim().toLowerCase());
  return ms > 0 ? new Date(ctx.clock.now().getTime() + ms).toISOString() : null;
}

/** A new session for a user; its secret goes to the cookie only, its hash to the table. */
export async function openSession(ctx: AppContext, db: Db | Tx, userId: string, meta: { ip?: string; userAgent?: string }): Promise<string> {
  const secret = generateSecret("obss");
  const now = ctx.clock.now();
  await db
    .insertInto("sessions")
    .values({
      id: newId(),
      token_hash: hashSecret(secret),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + sessionLifetimeMs).toISOString(),
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return secret;
}

export async function signOut(ctx: AppContext, secret: string): Promise<void> {
  await ctx.db.deleteFrom("sessions").where("token_hash", "=", hashSecret(secret)).execute();
}
