import type { z } from "zod";
import { nowIso, type AppContext } from "../../../platform/context.js";
import { notFound } from "../../../platform/errors.js";
import { generateSecret, hashSecret } from "../../../platform/crypto/tokens.js";
import { newId } from "../../../platform/ids.js";
import { createTokenBody } from "../schemas.js";
import { findUserByEmail } from "../queries.js";

/** Creates an API token for a user; the secret is returned once and only its hash is kept. */
export async function createApiToken(ctx: AppContext, input: z.input<typeof createTokenBody>) {
  const data = createTokenBody.parse(input);
  const user = await findUserByEmail(ctx, data.email);
  if (!user || user.disabled_at) throw notFound(`User ${data.email}`);
  const secret = generateSecret("obs");
  const row = {
    id: newId(),
    user_id: user.id,
    name: data.name ?? "API token",
    token_hash: hashSecret(secret),
    prefix: secret.slice(0, 8),
    created_at: nowIso(ctx),
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.db.insertInto("api_tokens").values(row).execute();
  return { token: secret, record: { ...row, email: user.email } };
}
