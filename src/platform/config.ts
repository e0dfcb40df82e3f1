import { resolve } from "node:path";
import { z } from "zod";
import type { TsaConfig } from "./timestamps/port.js";
import type { WorkerPoolSettings } from "./workers/pool.js";

/** Environment → typed configuration, validated once at start-up. */
const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  OBRASIGN_DATA_DIR: z.string().default("./data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("obrasign <no-reply@obrasign.local>"),
  OBRASIGN_SECRET_KEY: z.string().optional(),
  OBRASIGN_ADMIN_EMAIL: z.string().email().optional(),
  OBRASIGN_ADMIN_PASSWORD: z.string().min(8).optional(),
  OBRASIGN_TRUST_PROXY: z.string().optional(),
  OBRASIGN_TSA_URL: z.string().url().optional(),
  OBRASIGN_TSA_FALLBACK_URL: z.string().url().optional(),
  OBRASIGN_TSA_USERNAME: z.string().optional(),
  OBRASIGN_TSA_PASSWORD: z.string().optional(),
  OBRASIGN_TSA_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  OBRASIGN_SEAL_RENEW_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  OBRASIGN_WORKER_THREADS: z.coerce.number().int().min(0).optional(),
  OBRASIGN_WORKER_MEMORY_MB: z.coerce.number().int().min(16).optional(),
  OBRASIGN_WORKER_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OBRASIGN_REFRESH_EVERY_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),
  OBRASIGN_REFRESH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  OBRASIGN_REFRESH_RATE_PER_SECOND: z.coerce.number().min(0).max(10_000).default(20),
  OBRASIGN_TAE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(15_000),
  OBRASIGN_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  OBRASIGN_WEBHOOKS_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  OBRASIGN_PROVIDERS_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  OBRASIGN_SIGNED_ATTACH_MAX_MB: z.coerce.number().min(0).max(50).optional(),
  OBRASIGN_SIGNED_LINK_DAYS: z.coerce.number().int().min(0).max(3650).optional(),
  OBRASIGN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).optional(),
  OBRASIGN_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).optional(),
  OBRASIGN_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).optional(),
  OBRASIGN_LOGIN_LOCK_MINUTES: z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "a comma-separated list of minutes, e.g. 1,5,15").optional(),
  OBRASIGN_VERIFY_LIMIT: z.coerce.number().int().min(1).max(100_000).optional(),
  OBRASIGN_VERIFY_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).optional(),
  OBRASIGN_RESEND_LIMIT: z.coerce.number().int().min(1).max(1000).optional(),
  OBRASIGN_RESEND_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).optional(),
});

/** How the signed copy reaches the participants when an envelope completes. */
export interface SignedCopyConfig {
  /** Signed files up to this size (all together) go attached to the mail; above it, the mail carries a link. */
  attachUpToBytes: number;
  /** Days after completion during which a signer's link shows "documento finalizado" with the download. */
  linkDays: number;
}

export const defaultSignedCopy: SignedCopyConfig = { attachUpToBytes: 8 * 1024 * 1024, linkDays: 30 };
export const signedCopyOf = (config: Pick<Config, "signedCopy">): SignedCopyConfig => ({ ...defaultSignedCopy, ...config.signedCopy });

/** A plain limit: at most `limit` in a window of `windowMs` (platform/throttle). */
export interface LimitConfig {
  limit: number;
  windowMs: number;
}

/**
 * The throttles' limits (platform/throttle), shared by every node through
 * the database. Login: failures per e-mail and per client address in a
 * window; reaching either locks for the next step of `lockMs` (1, 5, 15 min
 * by default; the last step repeats).
 */
export interface ThrottleConfig {
  login: { maxFailures: number; maxFailuresPerAddress: number; windowMs: number; lockMs: number[] };
  /** `/api/verify` and the `/verify` upload page, per client address. */
  verify: LimitConfig;
  /** "Reenviar convite": per recipient of an envelope, and per invited user. */
  resend: LimitConfig;
}

const minute = 60_000;
export const defaultThrottle: ThrottleConfig = {
  login: { maxFailures: 5, maxFailuresPerAddress: 50, windowMs: 15 * minute, lockMs: [1 * minute, 5 * minute, 15 * minute] },
  verify: { limit: 60, windowMs: 10 * minute },
  resend: { limit: 3, windowMs: 60 * minute },
};

/** The throttles with the defaults filled in (tests give only what they change). */
export function throttleOf(config: Pick<Config, "throttle">): ThrottleConfig {
  const t = config.throttle ?? {};
  return {
    login: { ...defaultThrottle.login, ...t.login },
    verify: { ...defaultThrottle.verify, ...t.verify },
    resend: { ...defaultThrottle.resend, ...t.resend },
  };
}

/** The status refresh process's knobs. */
export interface RefreshConfig {
  /** Minutes between scheduled refreshes of pending envelopes; 0 turns the schedule off. */
  everyMinutes: number;
  /** Envelopes asked at once, per job. */
  concurrency: number;
  /** Calls to a remote provider started per second by the whole installation (every worker together, paced through the database); 0 = no limit. */
  ratePerSecond: number;
}

export type DatabaseTarget =
  | { dialect: "sqlite"; path: string }
  | { dialect: "postgres"; url: string };

/**
 * Which proxies' `X-Forwarded-*` headers are believed: none (the address is
 * the connection's), the last N hops, or the listed addresses and CIDRs
 * (also Fastify's names `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = false | number | string[];

export interface Config {
  database: DatabaseTarget;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  secretKey: string | null;
  admin: { email: string | null; password: string | null };
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** RFC 3161 time-stamp authority for PAdES B-T/B-LTA seals; absent: seals are B-B. */
  tsa?: TsaConfig | null;
  /** Days before the last document timestamp expires that the daily sweep renews a signed file (0: no sweep); 90 when absent. */
  sealRenewDays?: number;
  refresh: RefreshConfig;
  /** Time-out of each call to TOTVS Assinatura Eletrônica. */
  taeTimeoutMs: number;
  /** How long a worker holds a claimed job before another may take it over (a worker that died). */
  jobLeaseMs: number;
  /** Webhooks may call private and loopback addresses (tests, on-premises ERPs). */
  webhooksAllowPrivate: boolean;
  /**
   * The signature provider's addresses (TAE) may be private or loopback and
   * plain http (tests, emulators, a proxy on the same network); off when absent.
   */
  providersAllowPrivate?: boolean;
  /** The worker pool's size and limits (platform/workers); the defaults when absent. */
  workers?: Partial<WorkerPoolSettings>;
  /** The signed copy's delivery; the defaults when absent. */
  signedCopy?: Partial<SignedCopyConfig>;
  /** Which proxies are trusted; off when absent. */
  trustProxy?: TrustProxy;
  /** The throttles' limits; the defaults (defaultThrottle) for what is absent. */
  throttle?: { login?: Partial<ThrottleConfig["login"]>; verify?: Partial<LimitConfig>; resend?: Partial<LimitConfig> };
}

const proxyNames = new Set(["loopback", "linklocal", "uniquelocal"]);
const ipv4Cidr = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const ipv6Cidr = /^[0-9a-f:.]+(\/\d{1,3})?$/i;

/** `OBRASIGN_TRUST_PROXY`: empty, `false` or `0` = off; a hop count; or a comma-separated list of addresses, CIDRs or names. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? "").trim();
  if (text === "" || text === "false" || text === "0") return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(",").map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!proxyNames.has(entry) && !ipv4Cidr.test(entry) && !(entry.includes(":") && ipv6Cidr.test(entry))) {
      throw new Error(`Invalid environment variable OBRASIGN_TRUST_PROXY: "${entry}" is not a hop count, an address, a CIDR or one of loopback, linklocal, uniquelocal`);
    }
  }
  return entries;
}

export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url || url === "") return { dialect: "sqlite", path: resolve(dataDir, "obrasign.db") };
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    return { dialect: "sqlite", path: path === ":memory:" ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", url };
  throw new Error(`DATABASE_URL must be sqlite:PATH or postgres://…, got "${url.split(":")[0]}:…"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset (a shell's `X= obrasign serve`).
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.OBRASIGN_DATA_DIR);
  const host = e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${e.PORT}`).replace(/\/$/, "");
  return {
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir),
    dataDir,
    port: e.PORT,
    host,
    publicUrl,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    secretKey: e.OBRASIGN_SECRET_KEY ?? null,
    admin: { email: e.OBRASIGN_ADMIN_EMAIL ?? null, password: e.OBRASIGN_ADMIN_PASSWORD ?? null },
    logLevel: e.LOG_LEVEL,
    tsa: e.OBRASIGN_TSA_URL
      ? {
          urls: [e.OBRASIGN_TSA_URL, ...(e.OBRASIGN_TSA_FALLBACK_URL ? [e.OBRASIGN_TSA_FALLBACK_URL] : [])],
          ...(e.OBRASIGN_TSA_USERNAME ? { username: e.OBRASIGN_TSA_USERNAME, password: e.OBRASIGN_TSA_PASSWORD ?? "" } : {}),
          timeoutMs: e.OBRASIGN_TSA_TIMEOUT_MS,
        }
      : null,
    sealRenewDays: e.OBRASIGN_SEAL_RENEW_DAYS,
    refresh: { everyMinutes: e.OBRASIGN_REFRESH_EVERY_MINUTES, concurrency: e.OBRASIGN_REFRESH_CONCURRENCY, ratePerSecond: e.OBRASIGN_REFRESH_RATE_PER_SECOND },
    taeTimeoutMs: e.OBRASIGN_TAE_TIMEOUT_MS,
    jobLeaseMs: e.OBRASIGN_JOB_LEASE_SECONDS * 1000,
    webhooksAllowPrivate: e.OBRASIGN_WEBHOOKS_ALLOW_PRIVATE === "1",
    providersAllowPrivate: e.OBRASIGN_PROVIDERS_ALLOW_PRIVATE === "1",
    workers: { threads: e.OBRASIGN_WORKER_THREADS, memoryMb: e.OBRASIGN_WORKER_MEMORY_MB, timeoutMs: e.OBRASIGN_WORKER_TIMEOUT_MS },
    signedCopy: {
      ...(e.OBRASIGN_SIGNED_ATTACH_MAX_MB !== undefined ? { attachUpToBytes: Math.round(e.OBRASIGN_SIGNED_ATTACH_MAX_MB * 1024 * 1024) } : {}),
      ...(e.OBRASIGN_SIGNED_LINK_DAYS !== undefined ? { linkDays: e.OBRASIGN_SIGNED_LINK_DAYS } : {}),
    },
    trustProxy: parseTrustProxy(e.OBRASIGN_TRUST_PROXY),
    throttle: {
      login: {
        ...(e.OBRASIGN_LOGIN_MAX_FAILURES !== undefined ? { maxFailures: e.OBRASIGN_LOGIN_MAX_FAILURES } : {}),
        ...(e.OBRASIGN_LOGIN_MAX_FAILURES_PER_ADDRESS !== undefined ? { maxFailuresPerAddress: e.OBRASIGN_LOGIN_MAX_FAILURES_PER_ADDRESS } : {}),
        ...(e.OBRASIGN_LOGIN_WINDOW_MINUTES !== undefined ? { windowMs: e.OBRASIGN_LOGIN_WINDOW_MINUTES * minute } : {}),
        ...(e.OBRASIGN_LOGIN_LOCK_MINUTES !== undefined ? { lockMs: e.OBRASIGN_LOGIN_LOCK_MINUTES.split(",").map((m) => Number(m.trim()) * minute) } : {}),
      },
      verify: {
        ...(e.OBRASIGN_VERIFY_LIMIT !== undefined ? { limit: e.OBRASIGN_VERIFY_LIMIT } : {}),
        ...(e.OBRASIGN_VERIFY_WINDOW_MINUTES !== undefined ? { windowMs: e.OBRASIGN_VERIFY_WINDOW_MINUTES * minute } : {}),
      },
      resend: {
        ...(e.OBRASIGN_RESEND_LIMIT !== undefined ? { limit: e.OBRASIGN_RESEND_LIMIT } : {}),
        ...(e.OBRASIGN_RESEND_WINDOW_MINUTES !== undefined ? { windowMs: e.OBRASIGN_RESEND_WINDOW_MINUTES * minute } : {}),
      },
    },
  };
}
