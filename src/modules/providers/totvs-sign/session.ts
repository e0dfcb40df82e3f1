/**
 * Tokens. The service user's token is cached until a little before TAE's
 * `expirationDate` and shared by every call of this provider; concurrent
 * callers wait on one login. A token TAE refuses (HTTP 401) is dropped so
 * the next caller logs in again. An author's own session (from the "connect
 * your TAE account" flow) is used as given: there is no password to renew it.
 */
import { TaeError } from "./client.js";
import type { Redactor } from "./redact.js";

export interface TokenGrant {
  token: string;
  expiresAt: Date;
}

/** When TAE gives no `expirationDate`: ERP integrations treat a login as valid for 12 hours. */
export const assumedTokenLifetimeMs = 12 * 60 * 60 * 1000;

interface Cached {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

export class ServiceSession {
  private cached: Cached | null = null;
  private inflight: Promise<Cached> | null = null;

  constructor(
    private readonly login: () => Promise<{ token: string; expiresAt: Date | null }>,
    private readonly redactor: Redactor,
    private readonly refreshMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.token;
    this.inflight ??= this.renew().finally(() => {
      this.inflight = null;
    });
    return (await this.inflight).token;
  }

  /** Drops `token` if it is still the cached one (another caller may already have renewed it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) {
      this.cached = null;
      // The token stays known to the redactor: it may still sit in a log line being built.
    }
  }

  private async renew(): Promise<Cached> {
    const obtainedAt = this.now();
    const grant = await this.login();
    this.redactor.add(grant.token);
    const expiresAt = grant.expiresAt?.getTime() ?? obtainedAt + assumedTokenLifetimeMs;
    // Refresh early: a fixed margin, but never more than a tenth of the token's life.
    const margin = Math.min(this.refreshMarginMs, Math.max(0, (expiresAt - obtainedAt) / 10));
    if (this.cached) this.redactor.forget(this.cached.token);
    this.cached = { token: grant.token, expiresAt, refreshAt: expiresAt - margin };
    return this.cached;
  }
}

/** An author's own session: usable until its expiry, then the author must sign in to TAE again. */
export function authorToken(session: TokenGrant, email: string, now = Date.now()): string {
  if (session.expiresAt.getTime() <= now) {
    throw new TaeError(`TAE session of ${email} has expired; sign in to TAE again`, false, 401, "unauthorized");
  }
  return session.token;
}
