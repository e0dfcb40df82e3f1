import type { Actor, AppContext } from "../../../../../platform/context.js";
import { AppError } from "../../../../../platform/errors.js";
import { authorize } from "../../../../auth/policies.js";
import { loginTaeUser, TaeError } from "../../index.js";
import { taeLogOf } from "../../from-settings.js";
import { readStoredSignatureSettings } from "../../../../signature-settings/queries.js";
import { taeProviderName } from "../queries.js";
import { connectTaeAccountBody, type ConnectTaeAccountInput } from "../schemas.js";

/** TAE logins last 12 hours in ERP integrations; a longer expirationDate is not trusted. */
export const maxTaeSessionMs = 12 * 60 * 60 * 1000;

export function userActor(actor: Actor): Extract<Actor, { kind: "user" }> {
  if (actor.kind !== "user") throw new AppError("forbidden", "Only a user has a TAE account of their own");
  return actor;
}

/**
 * "Conectar ao TOTVS Assinatura Eletrônica": signs the user in to TAE and keeps
 * the token, sealed, until it expires. The password is used once and kept nowhere.
 */
export async function connectTaeAccount(ctx: AppContext, actor: Actor, input: ConnectTaeAccountInput): Promise<{ accountEmail: string; expiresAt: Date }> {
  authorize(actor, "envelopes:send");
  const user = userActor(actor);
  const { email, password } = connectTaeAccountBody.parse(input);
  const settings = await readStoredSignatureSettings(ctx);

  let grant: { token: string; expiresAt: Date };
  try {
    grant = await loginTaeUser({ authUrl: settings.authUrl, allowPrivate: ctx.config.providersAllowPrivate ?? false, timeoutMs: ctx.config.taeTimeoutMs, log: taeLogOf(ctx.log) }, email, password);
  } catch (error) {
    if (!(error instanceof TaeError)) throw error;
    if (error.kind === "unauthorized") {
      const message = error.taeMessage ?? "wrong e-mail or password";
      throw new AppError("unprocessable", `TAE refused the sign-in: ${message}`, { password: message });
    }
    throw new AppError("provider_error", error.message);
  }

  const now = ctx.clock.now();
  const expiresAt = new Date(Math.min(grant.expiresAt.getTime(), now.getTime() + maxTaeSessionMs));
  if (expiresAt.getTime() <= now.getTime()) throw new AppError("provider_error", "TAE answered a token that has already expired");
  const row = { account_email: email, token_encrypted: ctx.secrets.seal(grant.token), expires_at: expiresAt.toISOString(), created_at: now.toISOString() };
  await ctx.db
    .insertInto("provider_sessions")
    .values({ user_id: user.id, provider: taeProviderName, ...row })
    .onConflict((oc) => oc.columns(["user_id", "provider"]).doUpdateSet(row))
    .execute();
  ctx.log.info({ user: user.id, account: email, expiresAt: row.expires_at }, "TAE account connected");
  return { accountEmail: email, expiresAt };
}
