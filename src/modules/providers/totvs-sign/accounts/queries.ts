import type { Actor, AppContext } from "../../../../platform/context.js";
import type { ProviderAuthor } from "../../../../platform/providers/port.js";
import { findUserById } from "../../../auth/queries.js";
import { readStoredSignatureSettings } from "../../../signature-settings/queries.js";

export const taeProviderName = "totvs-sign";
export const serviceAuthorName = "Usuário de serviço";
/** A session this close to its end is not handed out: a send could outlive it halfway. */
export const sessionSafetyMarginMs = 60_000;

export interface TaeSessionRow {
  accountEmail: string;
  tokenSealed: string;
  expiresAt: Date;
}

export async function findTaeSession(ctx: AppContext, userId: string): Promise<TaeSessionRow | null> {
  const row = await ctx.db
    .selectFrom("provider_sessions")
    .select(["account_email", "token_encrypted", "expires_at"])
    .where("user_id", "=", userId)
    .where("provider", "=", taeProviderName)
    .executeTakeFirst();
  return row ? { accountEmail: row.account_email, tokenSealed: row.token_encrypted, expiresAt: new Date(row.expires_at) } : null;
}

export const isLive = (ctx: AppContext, session: { expiresAt: Date }) => session.expiresAt.getTime() > ctx.clock.now().getTime() + sessionSafetyMarginMs;

/** The installation's service user, the author of automatic sending and status refresh. */
export async function serviceAuthor(ctx: AppContext): Promise<ProviderAuthor> {
  const settings = await readStoredSignatureSettings(ctx);
  return { email: settings.serviceUser, name: serviceAuthorName };
}

/**
 * Who is TAE's author of a call made for `who`: a user with a live TAE
 * session sends as themself; the system, a user id or actor without one
 * (never connected, expired, or sealed under another key) falls back to the
 * service user, whose credentials the adapter holds.
 */
export async function providerAuthorFor(ctx: AppContext, who: Actor | string | null): Promise<ProviderAuthor> {
  const userId = who === null ? null : typeof who === "string" ? who : who.kind === "user" ? who.id : null;
  if (!userId) return serviceAuthor(ctx);
  const session = await findTaeSession(ctx, userId);
  if (!session || !isLive(ctx, session)) return serviceAuthor(ctx);
  let token: string;
  try {
    token = ctx.secrets.open(session.tokenSealed);
  } catch {
    ctx.log.warn({ user: userId }, "TAE session cannot be decrypted with this installation's key; using the service user");
    return serviceAuthor(ctx);
  }
  const name = typeof who === "object" && who?.kind === "user" ? who.name : ((await findUserById(ctx, userId))?.name ?? session.accountEmail);
  return { email: session.accountEmail, name, session: { token, expiresAt: session.expiresAt } };
}

/** The "abrir no TAE" link: TAE's web login form (a document's own web address is not publicly known). */
export async function taeWebLoginLink(ctx: AppContext): Promise<string> {
  return (await readStoredSignatureSettings(ctx)).webLoginUrl;
}
