import { nowIso, type AppContext } from "../../../platform/context.js";
import { notFound } from "../../../platform/errors.js";

export async function revokeApiToken(ctx: AppContext, id: string): Promise<void> {
  const result = await ctx.db
    .updateTable("api_tokens")
    .set({ revoked_at: nowIso(ctx) })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound("API token");
}
