import type { AppContext } from "../../platform/context.js";
import type { EnvelopesTable } from "../../platform/db/schema.js";
import type { ProviderAuthor } from "../../platform/providers/port.js";
import { providerAuthorFor } from "../providers/totvs-sign/accounts/index.js";

/**
 * The provider author of an envelope. With TOTVS Sign: the sender's own TAE
 * session while it lives, else the service user (automatic sending, status
 * refresh). The built-in provider's authors are obrasign users themselves.
 */
export async function authorOf(ctx: AppContext, envelope: Pick<EnvelopesTable, "author_id" | "author_label" | "provider">): Promise<ProviderAuthor> {
  if (envelope.provider === "totvs-sign") return providerAuthorFor(ctx, envelope.author_id);
  if (envelope.author_id) {
    const user = await ctx.db.selectFrom("users").select(["email", "name"]).where("id", "=", envelope.author_id).executeTakeFirst();
    if (user) return { email: user.email, name: user.name };
  }
  return { email: "", name: envelope.author_label };
}
