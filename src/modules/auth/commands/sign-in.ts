import { AppError } from "../../../platform/errors.js";
import type { AppContext } from "../../../platform/context.js";
import { verifyPassword } from "../../../platform/crypto/passwords.js";
import { generateSecret, hashSecret } from "../../../platform/crypto/tokens.js";
import { newId } from "../../../platform/ids.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { findUserByEmail } from "../queries.js";

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

// Compared against when the e-mail is unknown, so both paths cost one scrypt.
const decoyHash = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Checks a password and opens a session; the session secret goes to the cookie only. */
export async function signIn(ctx: AppContext, input: { email: string; password: string; ip?: string; userAgent?: string }) {
  const user = await findUserByEmail(ctx, input.email);
  const ok = await verifyPassword(input.password, user?.password_hash ?? decoyHash);
  if (!user || !ok || user.disabled_at) throw new AppError("unauthenticated", "E-mail or password is wrong");
  return { secret: await openSession(ctx, ctx.db, user.id, input), user };
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
