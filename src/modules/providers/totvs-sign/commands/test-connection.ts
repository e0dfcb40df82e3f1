import type { AppContext } from "../../../../platform/context.js";
import { AppError } from "../../../../platform/errors.js";
import { format, type Locale } from "../../../../platform/i18n/index.js";
import { createTotvsSignProvider, TaeError } from "../index.js";
import { signatureMessages } from "../../../signature-settings/messages.js";
import { totvsSignConfigOf } from "../from-settings.js";
import { readStoredSignatureSettings } from "../../../signature-settings/queries.js";
import { providerFailureText } from "../../../../platform/providers/failure-messages.js";

/**
 * Signs in to TAE with the saved service credentials and looks the service
 * user up through the API URL, so both addresses are exercised. A fresh
 * adapter is used: the cached one could answer from a token obtained before
 * the password changed. With the built-in provider and no TAE credentials
 * there is nothing to test; with credentials they are tested anyway, so an
 * administrator can check them before switching.
 */
export async function testSignatureConnection(ctx: AppContext, options: { locale?: Locale } = {}): Promise<{ ok: boolean; message: string }> {
  const t = signatureMessages(options.locale ?? "en");
  const stored = await readStoredSignatureSettings(ctx);
  const configured = Boolean(stored.serviceUser && stored.servicePasswordSealed);
  if (!configured) {
    return stored.provider === "embedded" ? { ok: true, message: t.embeddedNoConnection } : { ok: false, message: t.notConfigured };
  }
  try {
    const provider = createTotvsSignProvider(totvsSignConfigOf(ctx, stored, { retries: 0, timeoutMs: 10_000 }));
    await provider.ensureAuthor({ email: stored.serviceUser, name: stored.serviceUser }, { create: false });
    const template = stored.provider === "embedded" ? t.connectedAsNotInUse : t.connectedAs;
    return { ok: true, message: format(template, { user: stored.serviceUser }) };
  } catch (error) {
    if (error instanceof TaeError || error instanceof AppError) {
      // The adapter's messages carry TAE's own text and are already redacted.
      // A failure with a code (a refused login, a missing permission) is told in the reader's language.
      const coded = error instanceof TaeError ? providerFailureText(error.code, error.values) : null;
      const said = coded ? coded[options.locale ?? "en"] : error instanceof AppError ? error.messageIn(options.locale ?? "en") : error.message;
      return { ok: false, message: `${t.testFailed}: ${said}` };
    }
    // Only the name: an unexpected error's text is not known to be free of secrets.
    ctx.log.error({ error: (error as Error)?.name }, "signature connection test failed unexpectedly");
    return { ok: false, message: `${t.testFailed}: ${(error as Error).name}` };
  }
}
