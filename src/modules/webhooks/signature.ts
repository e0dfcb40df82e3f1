import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeaderName = "X-Obrasign-Signature";

/** Hex HMAC-SHA256 of `"<t>.<body>"` under the webhook's secret. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** `t=<unix seconds>,v1=<hex>`: the value of X-Obrasign-Signature. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

export function parseSignatureHeader(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d+$/.test(value)) t = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * What a receiver does: recompute the HMAC over the raw body and compare in
 * constant time; refuse timestamps further than `toleranceSeconds` from now
 * (replays).
 */
export function verifySignature(header: string, secret: string, body: string, now: Date, toleranceSeconds = 300): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(now.getTime() / 1000 - parsed.t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, parsed.t, body), "hex");
  return parsed.v1.some((candidate) => {
    const given = Buffer.from(candidate, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
