import type { Actor, AppContext } from "../../../../../platform/context.js";
import { taeProviderName } from "../queries.js";
import { userActor } from "./connect-tae-account.js";

/** Forgets the user's TAE token (TAE has no known logout call; the token simply stops being used). */
export async function disconnectTaeAccount(ctx: AppContext, actor: Actor): Promise<void> {
  const user = userActor(actor);
  await ctx.db.deleteFrom("provider_sessions").where("user_id", "=", user.id).where("provider", "=", taeProviderName).execute();
  ctx.log.info({ user: user.id }, "TAE account disconnected");
}
