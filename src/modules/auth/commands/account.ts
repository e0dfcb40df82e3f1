import { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { generatePassword, hashPassword } from "../../../platform/crypto/passwords.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError, notFound } from "../../../platform/errors.js";
import { accountRefusals } from "../messages.js";
import { findUserById } from "../queries.js";
import { passwordSchema } from "../schemas.js";
import { checkCurrentPassword, openSession } from "./sign-in.js";

export const accountBody = z.strictObject({
  name: z.string().trim().min(1, "is required").max(200, "is too long"),
  locale: z.enum(["pt-BR", "en"]).nullable(),
});

export const passwordChangeBody = z.strictObject({
  current: z.string().max(200).default(""),
  password: passwordSchema,
  confirm: z.string().max(200),
});

function ownId(actor: Actor): string {
  if (actor.kind !== "user") throw new AppError("forbidden", accountRefusals("notAUser"));
  return actor.id;
}

/** One's own name and page language. */
export async function updateOwnAccount(ctx: AppContext, actor: Actor, input: z.input<typeof accountBody>) {
  const data = accountBody.parse(input);
  const id = ownId(actor);
  await ctx.db.updateTable("users").set({ name: data.name, locale: data.locale, updated_at: nowIso(ctx) }).where("id", "=", id).execute();
  return (await findUserById(ctx, id))!;
}

/**
 * One's own password. The current one is asked for, except by a user who
 * has none yet (came in by invitation). Every session ends and a new one is
 * opened for this browser, so a stolen session does not outlive the change.
 */
export async function changeOwnPassword(ctx: AppContext, actor: Actor, input: z.input<typeof passwordChangeBody>, meta: { ip?: string; userAgent?: string }) {
  const data = passwordChangeBody.parse(input);
  const id = ownId(actor);
  const user = await findUserById(ctx, id);
  if (!user) throw notFound("User");
  if (user.password_hash && !(await checkCurrentPassword(ctx, { email: user.email, password_hash: user.password_hash }, data.current))) {
    throw new AppError("validation", accountRefusals("wrongCurrent"), { current: accountRefusals("wrongCurrent") });
  }
  if (data.password !== data.confirm) throw new AppError("validation", accountRefusals("mismatch"), { confirm: accountRefusals("mismatch") });
  const hash = await hashPassword(data.password);
  return inTransaction(ctx, async (tx) => {
    await tx.updateTable("users").set({ password_hash: hash, updated_at: nowIso(ctx) }).where("id", "=", id).execute();
    await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
    return { secret: await openSession(ctx, tx, id, meta) };
  });
}

/** An administrator gives a user a new one-time password (shown once) and ends their sessions. */
export async function resetPassword(ctx: AppContext, userId: string): Promise<{ password: string; email: string }> {
  const user = await findUserById(ctx, userId);
  if (!user) throw notFound("User");
  const password = generatePassword();
  const hash = await hashPassword(password);
  await inTransaction(ctx, async (tx) => {
    await tx.updateTable("users").set({ password_hash: hash, updated_at: nowIso(ctx) }).where("id", "=", userId).execute();
    await tx.deleteFrom("sessions").where("user_id", "=", userId).execute();
  });
  return { password, email: user.email };
}
