import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../../../platform/context.js";

/** The settings row holding our secret for TOTVS Sign's calls, sealed with ctx.secrets. */
export const inboundSecretKey = "webhooks.totvsSign.inboundSecretSealed";
export const inboundWebhookPath = "/api/providers/totvs-sign/webhook";

async function readSecret(ctx: AppContext): Promise<string | null> {
  const row = await ctx.db.selectFrom("settings").select("value").where("key", "=", inboundSecretKey).executeTakeFirst();
  if (!row) return null;
  return ctx.secrets.open(JSON.parse(row.value) as string);
}

/** The secret, created on first use; two first uses at once agree on one (insert or keep). */
export async function ensureInboundSecret(ctx: AppContext, options: { rotate?: boolean } = {}): Promise<string> {
  if (!options.rotate) {
    const existing = await readSecret(ctx);
    if (existing) return existing;
  }
  const now = ctx.clock.now().toISOString();
  const value = JSON.stringify(ctx.secrets.seal(randomBytes(24).toString("base64url")));
  await ctx.db
    .insertInto("settings")
    .values({ key: inboundSecretKey, value, updated_at: now })
    .onConflict((oc) => (options.rotate ? oc.column("key").doUpdateSet({ value, updated_at: now }) : oc.column("key").doNothing()))
    .execute();
  return (await readSecret(ctx))!;
}

/** Constant-time check of a presented secret; false when none was ever created. */
export async function inboundSecretMatches(ctx: AppContext, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  const expected = await readSecret(ctx);
  if (!expected) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export async function inboundWebhookSettings(ctx: AppContext, options: { rotate?: boolean } = {}) {
  const secret = await ensureInboundSecret(ctx, options);
  return {
    url: `${ctx.config.publicUrl}${inboundWebhookPath}?secret=${encodeURIComponent(secret)}`,
    header: "X-Obrasign-Secret",
    secret,
  };
}
