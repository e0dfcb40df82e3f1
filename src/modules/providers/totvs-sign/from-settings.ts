import { createHash } from "node:crypto";
import type { AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import type { Logger } from "../../../platform/log.js";
import { createTotvsSignProvider, type TaeLog, type TotvsSignConfig, type TotvsSignProvider } from "./index.js";
import { providerAuthorFor } from "./accounts/queries.js";
import { readStoredSignatureSettings, type StoredSignatureSettings } from "../../signature-settings/queries.js";

/** The adapter's logger: pino, under a child that names the provider. Fields reach it already redacted. */
export function taeLogOf(log: Logger): TaeLog {
  const child = log.child({ provider: "totvs-sign" });
  return {
    debug: (fields, message) => child.debug(fields, message),
    info: (fields, message) => child.info(fields, message),
    warn: (fields, message) => child.warn(fields, message),
    error: (fields, message) => child.error(fields, message),
  };
}

export function notConfigured(): AppError {
  return new AppError(
    "unprocessable",
    "TOTVS Sign is not configured: set the service user and password in the signature settings (Integração com TOTVS Sign)",
    { "totvsSign.serviceUser": "is required to use TOTVS Sign", "totvsSign.servicePassword": "is required to use TOTVS Sign" },
  );
}

/** The adapter's configuration from stored settings, with the password opened. */
export function totvsSignConfigOf(ctx: AppContext, stored: StoredSignatureSettings, overrides: Partial<TotvsSignConfig> = {}): TotvsSignConfig {
  if (!stored.serviceUser || !stored.servicePasswordSealed) throw notConfigured();
  let servicePassword: string;
  try {
    servicePassword = ctx.secrets.open(stored.servicePasswordSealed);
  } catch {
    // A different OBRASIGN_SECRET_KEY (or key file) than the one that sealed it.
    throw new AppError("unprocessable", "The stored TOTVS Sign service password cannot be decrypted with this installation's secret key; enter it again", {
      "totvsSign.servicePassword": "cannot be decrypted; enter it again",
    });
  }
  return {
    authUrl: stored.authUrl, apiUrl: stored.apiUrl, serviceUser: stored.serviceUser, servicePassword, log: taeLogOf(ctx.log),
    allowPrivate: ctx.config.providersAllowPrivate ?? false,
    signerRoles: stored.signerRoles, companyCnpj: stored.companyCnpj || null,
    timeoutMs: ctx.config.taeTimeoutMs, now: () => ctx.clock.now(), authorFor: (authorId) => providerAuthorFor(ctx, authorId), ...overrides,
  };
}

/** Changes whenever a setting the adapter depends on changes (the sealed password is re-sealed on every write). */
function fingerprintOf(stored: StoredSignatureSettings): string {
  return createHash("sha256")
    .update(JSON.stringify([stored.authUrl, stored.apiUrl, stored.serviceUser, stored.servicePasswordSealed, stored.signerRoles, stored.companyCnpj]))
    .digest("hex");
}

const cache = new WeakMap<AppContext, { fingerprint: string; provider: TotvsSignProvider }>();

/**
 * The TOTVS Sign adapter built from the global settings. One instance per
 * context is kept and reused, so its service token is cached across calls
 * (no login per call); it is rebuilt when the settings change — on this node
 * or another one, since the settings are read from the database each time.
 */
export async function totvsSignProvider(ctx: AppContext): Promise<TotvsSignProvider> {
  const stored = await readStoredSignatureSettings(ctx);
  const fingerprint = fingerprintOf(stored);
  const cached = cache.get(ctx);
  if (cached && cached.fingerprint === fingerprint) return cached.provider;
  // No await between the check and the set: concurrent callers share one instance.
  const provider = createTotvsSignProvider(totvsSignConfigOf(ctx, stored));
  cache.set(ctx, { fingerprint, provider });
  return provider;
}
