/**
 * Fetching a file TAE answered as a URL (`data.signedURL`, or the v2
 * download's string). The URL is TAE's to choose, so it is treated as
 * untrusted: our bearer token never goes with it; only https, or the
 * configured API host itself; no redirects (each hop would need the same
 * check, and none is known to be used); a time limit and a size limit
 * enforced while reading; and the bytes must be a PDF.
 */
import { TaeError } from "./client.js";

export interface SignedFileLimits {
  /** The configured API URL: its origin may be plain http (a staging or test host). */
  apiUrl: string;
  timeoutMs: number;
  maxBytes: number;
}

/** Whether TAE may send us to `url` for a file: https, or the API host itself. */
export function allowedFileUrl(url: string, apiUrl: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  if (parsed.protocol === "https:") return parsed;
  return parsed.origin === new URL(apiUrl).origin ? parsed : null;
}

// httpStatus 200: the failure lies in what TAE's (successful) download answer gave, not in our request.
// The reason and its values are stored with the failure and told in the reader's language (signedFileReasons).
const refused = (message: string, reason: string, values: Record<string, string>, retryable = false) =>
  new TaeError(message, retryable, 200, retryable ? "network" : "invalid_answer", null, "signed_file_invalid", { reason, ...values });

export async function fetchSignedFile(url: string, limits: SignedFileLimits): Promise<Uint8Array> {
  const target = allowedFileUrl(url, limits.apiUrl);
  // The host is named, never the whole URL: signed URLs carry their credentials in the query.
  if (!target) throw refused(`TAE answered a file URL obrasign does not fetch (only https or the API host): ${safeHost(url)}`, "url_refused", { host: safeHost(url) });
  let response: Response;
  try {
    response = await fetch(target, {
      method: "GET",
      headers: { accept: "application/pdf, application/octet-stream" },
      redirect: "manual",
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError" || (error as Error)?.name === "AbortError";
    throw refused(
      `TAE file at ${target.host}: ${timedOut ? `no answer within ${limits.timeoutMs} ms` : "connection failed"}`,
      timedOut ? "timeout" : "unreachable",
      { host: target.host, ms: String(limits.timeoutMs) },
      true,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw refused(`TAE file at ${target.host} answered a redirect (HTTP ${response.status}); obrasign does not follow it`, "redirect", {
      host: target.host,
      status: String(response.status),
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw refused(`TAE file at ${target.host} answered HTTP ${response.status}`, "http", { host: target.host, status: String(response.status) }, response.status >= 500 || response.status === 429);
  }
  const bytes = await readCapped(response, limits.maxBytes, target.host);
  if (!looksLikePdf(bytes)) throw refused(`TAE file at ${target.host} is not a PDF`, "not_pdf", { host: target.host });
  return bytes;
}

/** Reads a body, giving up as soon as it grows past `maxBytes` (a declared length past it is refused at once). */
export async function readCapped(response: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw refused(`TAE file at ${where} is ${declared} bytes; obrasign takes at most ${maxBytes}`, "too_large", { host: where, max: String(maxBytes) });
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw refused(`TAE file at ${where} is larger than ${maxBytes} bytes; obrasign takes at most that`, "too_large", { host: where, max: String(maxBytes) });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof TaeError) throw error;
    throw refused(`TAE file at ${where}: the answer broke off`, "broke_off", { host: where }, true);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A PDF by its header and trailer: `%PDF-` within the first 1 KB (readers
 * tolerate a little junk before it) and `%%EOF` within the last 2 KB. The
 * file is then stored and served as it came; the full parse happens where
 * obrasign reads PDFs (verification), within its limits.
 */
export function looksLikePdf(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString("latin1");
  return /%PDF-\d\.\d/.test(head) && tail.includes("%%EOF");
}

function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "an unreadable URL";
  }
}
