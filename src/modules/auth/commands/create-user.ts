import type { z } from "zod";
import { AppError } from "../../../platform/errors.js";
import { nowIso, type AppContext } from "../../../platform/context.js";
import { hashPassword } from "../../../platform/crypto/passwords.js";
import { isUniqueViolation } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { accountRefusals } from "../messages.js";
import { createUserBody } from "../schemas.js";

export type CreateUserInput = z.input<typeof createUserBody>;

export async function createUser(ctx: AppContext, input: CreateUserInput) {
  const data = createUserBody.parse(input);
  const now = nowIso(ctx);
  const row = {
    id: newId(),
    email: data.email,
    name: data.name,
    role: data.role,
    password_hash: data.password ? await hashPassword(data.password) : null,
    created_at: now,
    updated_at: now,
    disabled_at: null,
    locale: null,
  };
  try {
    await ctx.db.insertInto("users").values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", accountRefusals("userExists", { email: data.email }), { email: "already in use" });
    throw error;
  }
  return row;
}
