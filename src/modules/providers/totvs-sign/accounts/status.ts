import type { Actor, AppContext } from "../../../../platform/context.js";
import { AppError } from "../../../../platform/errors.js";
import { TaeError } from "../index.js";
import { totvsSignProvider } from "../from-settings.js";
import { readStoredSignatureSettings } from "../../../signature-settings/queries.js";
import { findTaeSession, isLive } from "./queries.js";
import type { TaeAccountStatus } from "./schemas.js";

/**
 * The user's TAE standing: connected and until when, and whether the e-mail
 * (the connected account's, else the user's own) has a TAE account — asked of
 * TAE through the service user unless `checkAccount` is false.
 */
export async function taeAccountStatus(ctx: AppContext, actor: Actor, options: { checkAccount?: boolean } = {}): Promise<TaeAccountStatus> {
  if (actor.kind !== "user") throw new AppError("forbidden", "Only a user has a TAE account of their own");
  const settings = await readStoredSignatureSettings(ctx);
  const session = await findTaeSession(ctx, actor.id);
  const live = session !== null && isLive(ctx, session);
  const email = live ? session.accountEmail : actor.email;
  const account: TaeAccountStatus["account"] = { email, exists: null, message: null };
  if (options.checkAccount !== false) {
    try {
      const provider = await totvsSignProvider(ctx);
      account.exists = (await provider.ensureAuthor({ email, name: actor.name }, { create: false })).exists;
    } catch (error) {
      if (!(error instanceof TaeError) && !(error instanceof AppError)) throw error;
      account.message = error.message;
    }
  }
  return {
    provider: settings.provider,
    connected: live,
    accountEmail: live ? session.accountEmail : null,
    expiresAt: live ? session.expiresAt.toISOString() : null,
    account,
    webLoginUrl: settings.webLoginUrl,
  };
}
