/**
 * One HTTP exchange with TAE, and the retry loop around it. Every attempt
 * has its own timeout; only calls marked `safeToRepeat` are repeated here
 * (with exponential backoff and jitter), on network errors, timeouts, 5xx,
 * 408 and 429. Everything else surfaces at once as a TaeError whose
 * `retryable` tells the job system whether trying later makes sense.
 */
import { hostProblem } from "../../../platform/net/address-guard.js";
import { ProviderError, type ProviderFailureCode } from "../../../platform/providers/port.js";
import { unwrap } from "./api.js";
import type { Redactor } from "./redact.js";
import { readCapped } from "./signed-file.js";

const isFileType = (type: string | null) => /^application\/(pdf|octet-stream)\b/i.test(type ?? "");

/** A pino-compatible logger subset: `log.info({ ...fields }, "message")`. */
export interface TaeLog {
  debug?(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLog: TaeLog = { debug() {}, info() {}, warn() {}, error() {} };

export type FailureKind =
  | "timeout" // no answer in time: the call may or may not have happened
  | "network" // connection refused, reset or dropped
  | "http" // an HTTP error status with TAE's message when there is one
  | "unauthorized" // HTTP 401
  | "refused" // HTTP 2xx with success/succeeded false
  | "invalid_answer" // an answer we cannot read
  | "input"; // refused before calling (e.g. too large)

/** A ProviderError that says what happened, for the adapter's own decisions and for logs. */
export class TaeError extends ProviderError {
  constructor(
    message: string,
    retryable: boolean,
    httpStatus: number | undefined,
    readonly kind: FailureKind,
    /** TAE's own message (redacted), when it gave one. */
    readonly taeMessage: string | null = null,
    code?: ProviderFailureCode,
    values: Record<string, string> = {},
  ) {
    super(message, retryable, httpStatus, code, values);
    this.name = "ProviderError";
  }

  /** The request may have been carried out even though we got no usable answer. */
  get ambiguous(): boolean {
    return this.kind === "timeout" || this.kind === "network" || (this.kind === "http" && (this.httpStatus ?? 0) >= 500);
  }
}

export interface CallSpec {
  op: string;
  method: "GET" | "POST" | "DELETE";
  url: string;
  token?: string;
  json?: unknown;
  form?: FormData;
  safeToRepeat: boolean;
  /** The answer may be the file itself (`application/pdf`, §7): returned as a Uint8Array of at most this many bytes. */
  binaryUpTo?: number;
}

export interface ClientOptions {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  log: TaeLog;
  redactor: Redactor;
  /**
   * The installation's OBRASIGN_PROVIDERS_ALLOW_PRIVATE: TAE may be called on
   * private and loopback addresses and over plain http (tests, emulators).
   * Off, every call is checked first: https, and a host that is not inside.
   */
  allowPrivate: boolean;
}

export class TaeClient {
  constructor(private readonly options: ClientOptions) {}

  async call(spec: CallSpec): Promise<unknown> {
    const attempts = spec.safeToRepeat ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(spec, attempt);
      } catch (error) {
        if (!(error instanceof TaeError) || !error.retryable || attempt >= attempts) throw error;
        const delay = this.options.retryDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        this.options.log.warn({ op: spec.op, attempt, delayMs: Math.round(delay), error: error.message }, "TAE call failed, retrying");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async once(spec: CallSpec, attempt: number): Promise<unknown> {
    const { redactor, log, timeoutMs } = this.options;
    const headers: Record<string, string> = { accept: "application/json" };
    if (spec.token) headers.authorization = `Bearer ${spec.token}`;
    let body: string | FormData | undefined;
    if (spec.form) body = spec.form;
    else if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(spec.json);
    }
    const target = new URL(spec.url);
    const where = `${spec.method} ${target.pathname}`;
    await this.checkAddress(spec, target);
    const started = Date.now();
    let status: number;
    let text: string;
    let server = "";
    let contentType = "";
    try {
      // No redirect is followed: fetch would carry the body (the service password at login) to wherever
      // a 307/308 points, and the target's host was never checked.
      const response = await fetch(spec.url, { method: spec.method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      server = response.headers.get("server") ?? "";
      contentType = response.headers.get("content-type") ?? "";
      if (status >= 300 && status < 400) {
        void response.body?.cancel().catch(() => {});
        const host = hostOf(response.headers.get("location"), target);
        log.warn({ op: spec.op, where, status, redirectHost: host }, "TAE answered a redirect, not followed");
        throw new TaeError(`TAE ${spec.op}: answered a redirect (HTTP ${status}) to ${host}, which is not followed (${where})`, false, status, "http", null, "redirect_refused", { host, status: String(status) });
      }
      if (spec.binaryUpTo && response.ok && isFileType(response.headers.get("content-type"))) {
        log.debug?.({ op: spec.op, where, attempt, status, ms: Date.now() - started }, "TAE call (file)");
        return await readCapped(response, spec.binaryUpTo, where);
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof TaeError) throw error;
      const timedOut = (error as Error)?.name === "TimeoutError" || (error as Error)?.name === "AbortError";
      const cause = describeCause(error);
      const message = timedOut
        ? `TAE ${spec.op}: no answer within ${timeoutMs} ms (${where})`
        : `TAE ${spec.op}: connection failed (${where}): ${cause}`;
      log.warn({ op: spec.op, where, attempt, ms: Date.now() - started, error: redactor.text(cause) }, "TAE call failed");
      throw new TaeError(redactor.text(message), true, undefined, timedOut ? "timeout" : "network");
    }
    log.debug?.({ op: spec.op, where, attempt, status, ms: Date.now() - started }, "TAE call");

    let parsed: unknown = null;
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    const answer = unwrap(parsed);
    const taeMessage = answer.message ? redactor.text(answer.message) : null;
    if (status === 401) {
      throw new TaeError(`TAE ${spec.op}: not authenticated (HTTP 401)${taeMessage ? `: ${taeMessage}` : ""}`, false, 401, "unauthorized", taeMessage);
    }
    if (status === 403) {
      // §7: CloudFront's 403 is TAE's firewall refusing what was sent (a file, mostly): asking again
      // gets the same answer. Any other 403 is TAE saying the account lacks a permission.
      const firewall = /cloudfront/i.test(server);
      log.warn({ op: spec.op, where, status, firewall }, "TAE refused the call (HTTP 403)");
      throw firewall
        ? new TaeError(`TAE ${spec.op}: blocked by TAE's firewall (HTTP 403, CloudFront)`, false, 403, "http", taeMessage, "firewall_blocked")
        : new TaeError(`TAE ${spec.op}: the account lacks the permission (HTTP 403)${taeMessage ? `: ${taeMessage}` : ""}`, false, 403, "http", taeMessage, "permission_denied", { operation: spec.op });
    }
    if (status < 200 || status >= 300) {
      const retryable = status >= 500 || status === 408 || status === 429;
      // Only TAE's own JSON message is told: the body of any other answer (a proxy's or a foreign host's
      // error page) is not repeated to the user or the log, whatever it holds.
      const detail = taeMessage ?? (text && parsed === null ? `not a TAE answer (${contentKind(contentType)})` : "no message");
      log.warn({ op: spec.op, where, status, message: detail }, "TAE answered an error");
      throw new TaeError(`TAE ${spec.op} failed (HTTP ${status}): ${detail}`, retryable, status, "http", taeMessage);
    }
    if (answer.ok === false) {
      log.warn({ op: spec.op, where, status, message: taeMessage }, "TAE refused the call");
      throw new TaeError(`TAE ${spec.op} refused: ${taeMessage ?? "no message"}`, false, status, "refused", taeMessage);
    }
    if (text.trim() && parsed === null) {
      throw new TaeError(`TAE ${spec.op}: the answer is not JSON (HTTP ${status})`, true, status, "invalid_answer");
    }
    return answer.data;
  }

  /** Refuses, before any byte is sent, an address the installation does not allow TAE to be called on. */
  private async checkAddress(spec: CallSpec, target: URL): Promise<void> {
    if (this.options.allowPrivate) return;
    const problem = target.protocol !== "https:" ? "must use https" : await hostProblem(target.href, false);
    if (!problem) return;
    this.options.log.warn({ op: spec.op, host: target.host, problem }, "TAE address refused");
    throw new TaeError(`TAE ${spec.op}: the address ${target.protocol}//${target.host} is refused: ${problem}`, false, undefined, "input", null, "address_refused", { host: `${target.protocol}//${target.host}` });
  }
}

/** The host a redirect points to (scheme and host only, never its path or query), for messages. */
function hostOf(location: string | null, base: URL): string {
  if (!location) return "(no Location)";
  try {
    const url = new URL(location, base);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(an invalid Location)";
  }
}

/** What kind of answer it was, in a word, from its content type (never its text). */
function contentKind(contentType: string): string {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : "no content type";
}

function describeCause(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause ? `${e.cause.code ?? ""} ${e.cause.message ?? ""}`.trim() : "";
  return [e?.message, cause].filter(Boolean).join(": ") || String(error);
}
