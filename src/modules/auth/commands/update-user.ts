import type { z } from "zod";
import { AppError, notFound } from "../../../platform/errors.js";
import { nowIso, type AppContext, type Actor } from "../../../platform/context.js";
import { hashPassword } from "../../../platform/crypto/passwords.js";
import { updateUserBody } from "../schemas.js";
import { findUserById } from "../queries.js";

export async function updateUser(ctx: AppContext, actor: Actor, id: string, input: z.input<typeof updateUserBody>) {
  const data = updateUserBody.parse(input);
  const user = await findUserById(ctx, id);
  if (!user) throw notFound("User");
  if (actor.kind === "user" && actor.id === id && (data.disabled || (data.role && data.role !== "admin"))) {
    // An admin locking themselves out leaves the installation without anyone to undo it.
    throw new AppError("conflict", "You cannot disable yourself or drop your own admin role");
  }
  const now = nowIso(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable("users")
      .set({
        updated_at: now,
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.role !== undefined ? { role: data.role } : {}),
        ...(data.password !== undefined ? { password_hash: await hashPassword(data.password) } : {}),
        ...(data.disabled !== undefined ? { disabled_at: data.disabled ? now : null } : {}),
      })
      .where("id", "=", id)
      .execute();
    // A new password or a disabled account ends every open session.
    if (data.password !== undefined || data.disabled) await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
  });
  return (await findUserById(ctx, id))!;
}
