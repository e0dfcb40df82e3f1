import type { AppContext, Actor } from "../../platform/context.js";
import { hashSecret } from "../../platform/crypto/tokens.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";

const lastUsedGranularityMs = 60_000;

/** Resolves an API token or a session secret to the user it stands for, or null. */
export async function actorFromApiToken(ctx: AppContext, token: string): Promise<Actor | null> {
  const row = await ctx.db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id as token_id", "api_tokens.last_used_at", "users.id", "users.role", "users.email", "users.name"])
    .where("api_tokens.token_hash", "=", hashSecret(token))
    .where("api_tokens.revoked_at", "is", null)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const now = ctx.clock.now();
  // Write "last used" at most once a minute: a busy ERP must not turn every read into a write.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > lastUsedGranularityMs) {
    await ctx.db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", row.token_id).execute();
  }
  return { kind: "user", id: row.id, role: row.role, email: row.email, name: row.name };
}

export async function actorFromSession(ctx: AppContext, secret: string): Promise<Actor | null> {
  const row = await ctx.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.role", "users.email", "users.name", "users.locale", "sessions.expires_at"])
    .where("sessions.token_hash", "=", hashSecret(secret))
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row || Date.parse(row.expires_at) <= ctx.clock.now().getTime()) return null;
  return { kind: "user", id: row.id, role: row.role, email: row.email, name: row.name, locale: row.locale };
}

export function findUserByEmail(ctx: AppContext, email: string) {
  return ctx.db.selectFrom("users").selectAll().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
}

/** `ctx` may carry a transaction (`{ db: tx }`) when the caller is inside one. */
export function findUserById(ctx: { db: Db | Tx }, id: string) {
  return ctx.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listUsers(ctx: AppContext) {
  return ctx.db.selectFrom("users").selectAll().orderBy("email").execute();
}

export function listApiTokens(ctx: AppContext) {
  return ctx.db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id", "api_tokens.name", "api_tokens.prefix", "api_tokens.created_at", "api_tokens.last_used_at", "api_tokens.revoked_at", "users.email", "users.id as user_id"])
    .orderBy("api_tokens.id", "desc")
    .execute();
}

/** A user as other modules show them: id, name, e-mail. */
export interface UserLabel {
  id: string;
  name: string;
  email: string;
}

/** These users, disabled ones too, ordered by name then id (the database's collation). Unknown ids are left out. */
export async function usersByIds(db: Db | Tx, ids: readonly string[]): Promise<UserLabel[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("users").select(["id", "name", "email"]).where("id", "in", ids).orderBy("name").orderBy("id").execute();
}

/** The active (not disabled) ones of these users, ordered by name then id. Unknown and disabled ids are left out. */
export async function activeUsersByIds(db: Db | Tx, ids: readonly string[]): Promise<UserLabel[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("id", "in", ids)
    .where("disabled_at", "is", null)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/** One user, if they exist and are not disabled. */
export function findActiveUser(db: Db | Tx, id: string): Promise<UserLabel | undefined> {
  return db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", id).where("disabled_at", "is", null).executeTakeFirst();
}
