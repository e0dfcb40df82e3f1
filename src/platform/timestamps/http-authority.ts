/**
 * The HTTP transport of RFC 3161 (§3.4): POST application/timestamp-query,
 * answer application/timestamp-reply. Each URL gets the configured time-out
 * and the reply is read up to a size limit; on failure the next URL (the
 * fallback) is tried. Credentials go as HTTP Basic, never into logs.
 */
import type { Logger } from "../log.js";
import { TimestampUnavailable, type TimestampAuthority, type TsaConfig } from "./port.js";
import { timestampRequest, tokenFromResponse } from "./rfc3161.js";

/** A token with its TSA chain is a few KB; anything far larger is not a time-stamp reply. */
const MAX_REPLY_BYTES = 64 * 1024;

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the reply is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function httpTimestampAuthority(config: TsaConfig, log?: Logger): TimestampAuthority {
  const headers: Record<string, string> = { "content-type": "application/timestamp-query", accept: "application/timestamp-reply" };
  if (config.username) headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ""}`).toString("base64")}`;
  return {
    async timestamp(digest) {
      const problems: string[] = [];
      for (const url of config.urls) {
        const request = timestampRequest(digest);
        try {
          const response = await fetch(url, { method: "POST", headers, body: new Blob([request.der as Uint8Array<ArrayBuffer>]), signal: AbortSignal.timeout(config.timeoutMs), redirect: "error" });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return tokenFromResponse(await readLimited(response, MAX_REPLY_BYTES), request, digest);
        } catch (error) {
          const reason = error instanceof Error ? (error.name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : error.message) : String(error);
          problems.push(`${new URL(url).host}: ${reason}`);
          log?.warn({ tsa: new URL(url).host, err: reason }, "time-stamp authority failed");
        }
      }
      throw new TimestampUnavailable(`No time-stamp authority answered (${problems.join("; ")})`);
    },
  };
}
