import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promises as dns } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Outbound calls to addresses an installation's users choose (webhook URLs,
 * the TAE addresses in the signature settings) must not reach inside the
 * network obrasign runs in (SSRF): private, loopback, link-local, CGNAT,
 * multicast and reserved ranges are refused, unless the installation allows
 * private addresses for that kind of call (tests, on-premises systems).
 */
const blockedV4 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blockedV4.addSubnet(net, prefix, "ipv4");

/**
 * IPv6 ranges refused whole. `::/96` (IPv4-compatible, deprecated) and
 * `::ffff:0:0:0/96` (IPv4-translated) are refused rather than judged by their
 * IPv4: `[::127.0.0.1]` and `[::ffff:0:127.0.0.1]` reach loopback on some
 * stacks, and no public service is addressed that way. NAT64 and Teredo are
 * refused too (the IPv4 behind them cannot be judged reliably).
 */
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ["::", 96], ["::ffff:0:0:0", 96], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32], ["64:ff9b::", 96],
  ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 32], ["2001:2::", 48], ["2001:10::", 28], ["2001:20::", 28],
] as const) blockedV6.addSubnet(net, prefix, "ipv6");

/** The eight 16-bit groups of an IPv6 address (any spelling: `::`, an IPv4 tail), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const bytes = v4[1]!.split(".").map(Number);
    if (bytes.some((b) => b > 255)) return null;
    text = text.slice(0, -v4[1]!.length) + `${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (s: string) => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...Array(Math.max(fill, 0)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/** True for an address such a call may not reach; an address with an IPv4 inside (mapped, 6to4) is judged by that IPv4 too. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blockedV4.check(address, "ipv4");
  if (family !== 6) return true;
  const g = ipv6Groups(address);
  if (!g) return true;
  // ::ffff:a.b.c.d (IPv4-mapped) connects to a.b.c.d itself.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return blockedV4.check(ipv4Of(g[6]!, g[7]!), "ipv4");
  // 2002:AABB:CCDD::/48 (6to4) carries the IPv4 AA.BB.CC.DD.
  if (g[0] === 0x2002 && blockedV4.check(ipv4Of(g[1]!, g[2]!), "ipv4")) return true;
  const canonical = g.map((x) => x.toString(16)).join(":");
  return blockedV6.check(canonical, "ipv6");
}

export class RefusedAddressError extends Error {}

/** A URL's host without the brackets of an IPv6 literal. */
export const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "");

/**
 * Why the URL's host may not be called, or null: an IP literal is judged
 * directly, a name by every address it resolves to now.
 */
export async function hostProblem(value: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = bareHost(new URL(value).hostname);
  if (isIP(host)) return isPrivateAddress(host) ? "must not point to a private, loopback or link-local address" : null;
  if (host === "localhost" || host.endsWith(".localhost")) return "must not point to a private, loopback or link-local address";
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
