import { guardedLookup, hostProblem, isPrivateAddress, RefusedAddressError } from "../../platform/net/address-guard.js";

/**
 * Webhook URLs must not reach inside the network obrasign runs in (SSRF):
 * checked when the webhook is saved and again on every delivery against the
 * address actually connected to (a name can point inside, or change to point
 * inside later). The address rules live in `platform/net/address-guard.ts`,
 * shared with the TAE client; `allowPrivate` is OBRASIGN_WEBHOOKS_ALLOW_PRIVATE.
 */
export { guardedLookup, isPrivateAddress, RefusedAddressError };

/** Why `value` cannot be a webhook URL (syntax only), or null. */
export function webhookUrlSyntaxProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL (https://…)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use https (or http)";
  if (url.username || url.password) return "must not carry a user name or password";
  if (!url.hostname) return "must name a host";
  return null;
}

/** Why the URL's host may not be called, or null (an IP literal judged directly, a name by what it resolves to now). */
export const webhookHostProblem = (value: string, allowPrivate: boolean): Promise<string | null> => hostProblem(value, allowPrivate);
