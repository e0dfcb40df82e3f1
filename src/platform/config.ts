import { resolve } from "node:path";
import { z } from "zod";

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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

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
  /** Off when absent. */
  trustProxy?: TrustProxy;
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
  const parsed = envSchema.safeParse(env);
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
    trustProxy: parseTrustProxy(e.OBRASIGN_TRUST_PROXY),
  };
}
