import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../../../platform/context.js";
import { readSetting, writeSetting } from "../../../../platform/settings.js";

/** The settings row holding our secret for TOTVS Sign's calls, sealed with ctx.secrets. */
export const inboundSecretKey = "webhooks.totvsSign.inboundSecretSealed";
export const inboundWebhookPath = "/api/providers/totvs-sign/webhook";

/**
 * Until an administrator rotates it, the secret is derived from the
 * installation's secret key: reading the settings (a GET) then writes
 * nothing, every node derives the same value, and nobody without the key can
 * guess it. A rotation stores a random one, sealed.
 */
const derivedSecret = (ctx: AppContext) => Buffer.from(ctx.secrets.mac("totvs-sign.inbound-webhook.v1"), "hex").subarray(0, 24).toString("base64url");

async function readSecret(ctx: AppContext): Promise<string> {
  const sealed = await readSetting(ctx.db, inboundSecretKey);
  return typeof sealed === "string" ? ctx.secrets.open(sealed) : derivedSecret(ctx);
}

/** The secret in force; `rotate` replaces it with a new random one (the old URL stops working). */
export async function ensureInboundSecret(ctx: AppContext, options: { rotate?: boolean } = {}): Promise<string> {
  if (options.rotate) await writeSetting(ctx.db, inboundSecretKey, ctx.secrets.seal(randomBytes(24).toString("base64url")), ctx.clock.now());
  return readSecret(ctx);
}

/** Constant-time check of a presented secret. */
export async function inboundSecretMatches(ctx: AppContext, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  const expected = await readSecret(ctx);
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
