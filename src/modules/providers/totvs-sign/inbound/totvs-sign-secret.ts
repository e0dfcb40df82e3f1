import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../../../platform/context.js";
import { readSetting, writeSetting } from "../../../../platform/settings.js";

/** The settings row holding our secret for TOTVS Sign's calls, sealed with ctx.secrets. */
export const inboundSecretKey = "webhooks.totvsSign.inboundSecretSealed";
export const inboundWebhookPath = "/api/providers/totvs-sign/webhook";

async function readSecret(ctx: AppContext): Promise<string | null> {
  const sealed = await readSetting(ctx.db, inboundSecretKey);
  return typeof sealed === "string" ? ctx.secrets.open(sealed) : null;
}

/** The secret, created on first use; two first uses at once agree on one (insert or keep). */
export async function ensureInboundSecret(ctx: AppContext, options: { rotate?: boolean } = {}): Promise<string> {
  if (!options.rotate) {
    const existing = await readSecret(ctx);
    if (existing) return existing;
  }
  await writeSetting(ctx.db, inboundSecretKey, ctx.secrets.seal(randomBytes(24).toString("base64url")), ctx.clock.now(), { ifAbsent: !options.rotate });
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
