/**
 * Fetches a CRL a certificate names (its CRL distribution point): an external
 * system, so bounded in time and size, http(s) only, no redirects to
 * elsewhere. Returns null with the reason rather than throwing: a missing
 * CRL lowers the evidence level, it does not stop a seal.
 */
export interface CrlFetchResult {
  url: string;
  der: Uint8Array | null;
  problem?: string;
}

const MAX_CRL_BYTES = 4 * 1024 * 1024;

export async function fetchCrl(url: string, timeoutMs = 5000): Promise<CrlFetchResult> {
  if (!/^https?:\/\//i.test(url)) return { url, der: null, problem: "not an http(s) URL" };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) return { url, der: null, problem: `HTTP ${response.status}` };
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > MAX_CRL_BYTES) return { url, der: null, problem: "larger than 4 MB" };
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length > MAX_CRL_BYTES) return { url, der: null, problem: "larger than 4 MB" };
    // A PEM CRL is accepted too; what goes into the DSS is DER.
    const text = Buffer.from(body.subarray(0, 64)).toString("latin1");
    if (text.startsWith("-----BEGIN X509 CRL-----")) {
      const b64 = Buffer.from(body).toString("latin1").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
      return { url, der: new Uint8Array(Buffer.from(b64, "base64")) };
    }
    return body[0] === 0x30 ? { url, der: body } : { url, der: null, problem: "not a CRL" };
  } catch (error) {
    const reason = error instanceof Error ? (error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
    return { url, der: null, problem: reason };
  }
}
