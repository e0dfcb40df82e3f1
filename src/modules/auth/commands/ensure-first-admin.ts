import type { AppContext } from "../../../platform/context.js";
import { generatePassword } from "../../../platform/crypto/passwords.js";
import { createUser } from "./create-user.js";

/**
 * On first start there is nobody to sign in as: create an admin from
 * OBRASIGN_ADMIN_EMAIL/OBRASIGN_ADMIN_PASSWORD, or with a one-time password
 * returned to the caller to print. Does nothing once any admin exists.
 */
export async function ensureFirstAdmin(ctx: AppContext): Promise<{ email: string; password: string | null } | null> {
  const existing = await ctx.db.selectFrom("users").select("id").where("role", "=", "admin").limit(1).executeTakeFirst();
  if (existing) return null;
  const email = ctx.config.admin.email ?? "admin@obrasign.local";
  const given = ctx.config.admin.password;
  const password = given ?? generatePassword();
  await createUser(ctx, { email, name: "Administrador", role: "admin", password });
  return { email, password: given ? null : password };
}
