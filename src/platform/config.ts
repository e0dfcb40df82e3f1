import { resolve } from "node:path";
import { z } from "zod";
import type { TsaConfig } from "./timestamps/port.js";

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
  OBRASIGN_TSA_URL: z.string().url().optional(),
  OBRASIGN_TSA_FALLBACK_URL: z.string().url().optional(),
  OBRASIGN_TSA_USERNAME: z.string().optional(),
  OBRASIGN_TSA_PASSWORD: z.string().optional(),
  OBRASIGN_TSA_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type DatabaseTarget =
  | { dialect: "sqlite"; path: string }
  | { dialect: "postgres"; url: string };

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
    tsa: e.OBRASIGN_TSA_URL
      ? {
          urls: [e.OBRASIGN_TSA_URL, ...(e.OBRASIGN_TSA_FALLBACK_URL ? [e.OBRASIGN_TSA_FALLBACK_URL] : [])],
          ...(e.OBRASIGN_TSA_USERNAME ? { username: e.OBRASIGN_TSA_USERNAME, password: e.OBRASIGN_TSA_PASSWORD ?? "" } : {}),
          timeoutMs: e.OBRASIGN_TSA_TIMEOUT_MS,
        }
      : null,
  };
}
