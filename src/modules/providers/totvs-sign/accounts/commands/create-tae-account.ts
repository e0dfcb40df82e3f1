import type { Actor, AppContext } from "../../../../../platform/context.js";
import { AppError } from "../../../../../platform/errors.js";
import { authorize } from "../../../../auth/policies.js";
import { TaeError } from "../../index.js";
import { totvsSignProvider } from "../../from-settings.js";
import { userActor } from "./connect-tae-account.js";

/**
 * Creates the user's own TAE account through the service user. Only for the
 * user's own obrasign e-mail: the service user's rights are not lent out to
 * create arbitrary accounts. TAE mails the new user a confirmation where they
 * set their password.
 */
export async function createTaeAccountForUser(ctx: AppContext, actor: Actor, options: { cpf?: string | null } = {}): Promise<{ email: string; exists: boolean; created: boolean }> {
  authorize(actor, "envelopes:send");
  const user = userActor(actor);
  const provider = await totvsSignProvider(ctx);
  try {
    const result = await provider.ensureAuthor({ email: user.email, name: user.name, cpf: options.cpf ?? null }, { create: true });
    if (result.created) ctx.log.info({ user: user.id, account: user.email }, "TAE account created through the service user");
    return { email: user.email, ...result };
  } catch (error) {
    if (error instanceof TaeError) throw new AppError("provider_error", error.message);
    throw error;
  }
}
