import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promises as dns } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Webhook URLs must not reach inside the network obrasign runs in (SSRF):
 * private, loopback, link-local, CGNAT, multicast and reserved ranges are
 * refused, checked when the webhook is saved and again on every delivery
 * against the address actually connected to (a name can point inside, or
 * change to point inside later).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32], ["64:ff9b::", 96], ["100::", 64],
] as const) blocked.addSubnet(net, prefix, "ipv6");

/** True for an address a webhook may not call (IPv4-mapped IPv6 is judged by its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

export class RefusedAddressError extends Error {}

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

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, "");

/**
 * Why the URL's host may not be called, or null: an IP literal is judged
 * directly, a name by every address it resolves to now.
 */
export async function webhookHostProblem(value: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = bare(new URL(value).hostname);
  if (isIP(host)) return isPrivateAddress(host) ? "must not point to a private, loopback or link-local address" : null;
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    return "the host name does not resolve";
  }
  if (addresses.length === 0) return "the host name does not resolve";
  return addresses.some((a) => isPrivateAddress(a.address)) ? "resolves to a private, loopback or link-local address" : null;
}

/**
 * A `lookup` for http.request that refuses private addresses at connect
 * time, so the address checked is the address used (no DNS rebinding gap).
 * `allowPrivate` is the installation's OBRASIGN_WEBHOOKS_ALLOW_PRIVATE.
 */
export const guardedLookup = (allowPrivate: boolean): LookupFunction => (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return (callback as (e: Error | null, a: LookupAddress[] | string, f?: number) => void)(error, []);
    const list = addresses as unknown as LookupAddress[];
    const refused = !allowPrivate && list.some((a) => isPrivateAddress(a.address));
    const cb = callback as (e: NodeJS.ErrnoException | null, a: LookupAddress[] | string, f?: number) => void;
    if (refused) return cb(new RefusedAddressError(`${hostname} resolves to a private, loopback or link-local address`), []);
    if ((options as { all?: boolean }).all) return cb(null, list);
    const first = list[0];
    if (!first) return cb(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), []);
    return cb(null, first.address, first.family);
  });
};
