import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { guardedLookup, isPrivateAddress, RefusedAddressError } from "./url-guard.js";

export const deliveryTimeoutMs = 10_000;
const maxResponseBytes = 4096;

export interface PostResult {
  status: number;
  /** The start of the receiver's answer, for the delivery log. */
  body: string;
}

/**
 * One POST, no redirects followed (a 3xx is a failure: following it could
 * lead inside the network), 10 s for the whole exchange. The connection's
 * address is checked by `guardedLookup`; an IP literal is checked here.
 */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<PostResult> {
  const { allowPrivate, timeoutMs = deliveryTimeoutMs } = options;
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !allowPrivate && isPrivateAddress(host)) {
    return Promise.reject(new RefusedAddressError(`${host} is a private, loopback or link-local address`));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: guardedLookup(allowPrivate),
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "obrasign-webhooks/1", ...headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < maxResponseBytes) chunks.push(chunk);
          size += chunk.length;
        });
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, maxResponseBytes) });
        });
        response.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
