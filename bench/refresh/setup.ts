/**
 * Shared by bench/refresh and bench/auto-send: the TAE emulator in a child
 * process (so its memory and event loop are not obrasign's), and an obrasign
 * runtime on a fresh SQLite file or a fresh database of a throw-away
 * PostgreSQL, with an admin API token and the HTTP app for `inject`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { createHttpServer, openRuntime, type Runtime } from "../../src/app.js";
import type { DatabaseTarget } from "../../src/platform/config.js";
import { testConfig } from "../../test/support/harness.js";
import { createLogger } from "../../src/platform/log.js";
import { createApiToken } from "../../src/modules/auth/commands/create-api-token.js";
import { createUser } from "../../src/modules/auth/commands/create-user.js";
// @ts-expect-error plain .mjs helper shared with the test runner
import { startThrowawayPostgres } from "../../scripts/throwaway-postgres.mjs";

export const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
export const dialectsFromArgs = (): ("sqlite" | "postgres")[] => {
  const db = arg("db", "sqlite");
  return db === "both" ? ["sqlite", "postgres"] : [db as "sqlite" | "postgres"];
};

// ---------------------------------------------------------------- emulator

export interface EmulatorProcess {
  url: string;
  serviceUser: string;
  servicePassword: string;
  /** POST/GET/DELETE under /__control. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  /** A TAE call as the service user (logs in once). */
  tae(method: string, path: string, body?: BodyInit, headers?: Record<string, string>): Promise<any>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "test/tae-emulator/main.ts"], { stdio: ["ignore", "pipe", "inherit"] });
  // Not left behind when the bench exits early (an error, Ctrl-C).
  process.once("exit", () => child.kill("SIGTERM"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", (l) => {
      rl.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as { url: string; serviceUser: string; servicePassword: string };
  let token: string | null = null;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${info.url}/__control${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const tae = async (method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) => {
    if (!token) {
      const login = await fetch(`${info.url}/identityintegration/v2/auth/login`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userName: info.serviceUser, password: info.servicePassword }),
      });
      token = ((await login.json()) as { data: { token: string } }).data.token;
    }
    const res = await fetch(`${info.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers }, body });
    const json = (await res.json()) as { success: boolean; data: unknown; message: string };
    if (!res.ok || !json.success) throw new Error(`TAE ${method} ${path}: ${res.status} ${json.message}`);
    return json.data;
  };
  return {
    ...info, control, tae,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}

// ---------------------------------------------------------------- obrasign

export interface BenchApp {
  runtime: Runtime;
  app: FastifyInstance;
  /** The API as the admin; throws on a status ≥ 300. */
  call(method: string, url: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

let pgServer: { url: string; stop(): Promise<void> } | null | undefined;

/** The throw-away PostgreSQL server, started once per run (null when no binaries). */
export async function postgresServer() {
  if (pgServer === undefined) pgServer = await startThrowawayPostgres();
  return pgServer;
}
export async function stopPostgres() {
  if (pgServer) await pgServer.stop();
  pgServer = undefined;
}

export async function openBenchApp(dialect: "sqlite" | "postgres"): Promise<BenchApp | null> {
  const dataDir = mkdtempSync(join(tmpdir(), "obrasign-bench-"));
  let target: DatabaseTarget;
  let dropDatabase = async () => {};
  if (dialect === "sqlite") target = { dialect: "sqlite", path: join(dataDir, "bench.db") };
  else {
    const server = await postgresServer();
    if (!server) return null;
    const name = `obrasign_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    target = { dialect: "postgres", url: url.toString() };
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const config = testConfig(target, dataDir);
  const runtime = await openRuntime(config, { log: createLogger("silent") });
  const app = await createHttpServer(runtime.ctx);
  await createUser(runtime.ctx, { email: "admin@obrasign.test", name: "Bench admin", role: "admin", password: "admin-password-1" });
  const token = (await createApiToken(runtime.ctx, { email: "admin@obrasign.test" })).token;
  const call = async (method: string, url: string, body?: unknown) => {
    const raw = await app.inject({ method: method as "GET", url, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body as object } : {}) });
    const parsed = raw.body ? JSON.parse(raw.body) : null;
    if (raw.statusCode >= 300) throw new Error(`${method} ${url} → ${raw.statusCode} ${raw.body.slice(0, 500)}`);
    return parsed;
  };
  return {
    runtime, app, call,
    async close() {
      await app.close();
      await runtime.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Global settings: TOTVS Sign at the emulator, through the API. */
export async function pointAtEmulator(bench: BenchApp, tae: EmulatorProcess) {
  await bench.call("PUT", "/api/settings/signature", {
    provider: "totvs-sign",
    totvsSign: {
      authUrl: `${tae.url}/identityintegration`, apiUrl: tae.url, webLoginUrl: `${tae.url}/webapptotvssign/#/auth/login?external=true`,
      serviceUser: tae.serviceUser, servicePassword: tae.servicePassword,
    },
  });
}

/** Runs `work` over 0..n-1 with at most `limit` at once. */
export async function inParallel(n: number, limit: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await work(next++);
  }));
}

export function printTable(header: string[], rows: string[][]) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  console.log(`| ${header.map((h, i) => h.padEnd(widths[i]!)).join(" | ")} |`);
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`);
  for (const r of rows) console.log(`| ${r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ")} |`);
}
