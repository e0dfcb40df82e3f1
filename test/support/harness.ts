import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { DestinationStream } from "pino";
import { createHttpServer, openRuntime, type Runtime } from "../../src/app.js";
import { ManualClock } from "../../src/platform/clock.js";
import type { Config } from "../../src/platform/config.js";
import { createLogger } from "../../src/platform/log.js";
import { createApiToken } from "../../src/modules/auth/commands/create-api-token.js";
import { createUser } from "../../src/modules/auth/commands/create-user.js";
import { freshDatabase } from "./database.js";
import { multipart } from "./multipart.js";
import { drainJobs } from "../../src/platform/jobs/worker.js";

export type Role = "admin" | "manager" | "viewer";

export interface Harness {
  app: FastifyInstance;
  runtime: Runtime;
  clock: ManualClock;
  tokens: Record<Role, string>;
  users: Record<Role, { id: string; email: string }>;
  /** Runs every due job now (sending, mail, sealing), as the worker would. */
  drain(): Promise<number>;
  /** Sends multipart/form-data as a role. */
  upload(url: string, parts: Parameters<typeof multipart>[0], as?: Role | null, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Calls the API as a role (or anonymously with null) and parses JSON; answers in English (see apiLanguage). */
  call(method: string, url: string, body?: unknown, as?: Role | null, headers?: Record<string, string>): Promise<{ status: number; body: any; raw: LightMyRequestResponse }>;
  close(): Promise<void>;
}

/**
 * `call` and `upload` read the API as an integrator asking for English;
 * a test of the Portuguese answers sends its own Accept-Language.
 */
const apiLanguage = { "accept-language": "en" };

export function testConfig(target: Config["database"], dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    database: target, dataDir, port: 0, host: "127.0.0.1", publicUrl: "http://127.0.0.1:3000", smtpUrl: null,
    mailFrom: "obrasign <no-reply@obrasign.test>", secretKey: "test-secret-key-0123456789abcdef", admin: { email: null, password: null },
    logLevel: "silent", refresh: { everyMinutes: 15, concurrency: 8, ratePerSecond: 20 }, taeTimeoutMs: 15_000,
    // The TAE emulator listens on http loopback; a test of the address guard turns this off.
    jobLeaseMs: 300_000, webhooksAllowPrivate: false, providersAllowPrivate: true, ...overrides,
  };
}

export interface HarnessOptions {
  /** Where log lines go (at debug level), e.g. a memory stream to look for secrets in them; silent when absent. */
  logDestination?: DestinationStream;
}

/** A running obrasign on a fresh database with one user and one API token per role. */
export async function startHarness(overrides: Partial<Config> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const database = await freshDatabase();
  const clock = new ManualClock(new Date());
  const config = testConfig(database.target, database.dataDir, overrides);
  const runtime = await openRuntime(config, { clock, log: options.logDestination ? createLogger("debug", options.logDestination) : createLogger("silent") });
  const app = await createHttpServer(runtime.ctx);
  const tokens = {} as Record<Role, string>;
  const users = {} as Harness["users"];
  for (const role of ["admin", "manager", "viewer"] as const) {
    const email = `${role}@obrasign.test`;
    const user = await createUser(runtime.ctx, { email, name: `Test ${role}`, role, password: `${role}-password-1` });
    users[role] = { id: user.id, email };
    tokens[role] = (await createApiToken(runtime.ctx, { email })).token;
  }
  const parse = (raw: LightMyRequestResponse) => {
    try {
      return raw.body ? JSON.parse(raw.body) : null;
    } catch {
      return raw.body;
    }
  };
  return {
    app, runtime, clock, tokens, users,
    drain: () => drainJobs(runtime.ctx),
    async upload(url, parts, as = "admin", headers = {}) {
      const body = multipart(parts);
      const raw = await app.inject({ method: "POST", url, payload: body.payload, headers: { ...body.headers, ...apiLanguage, ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}), ...headers } });
      return { status: raw.statusCode, body: parse(raw) };
    },
    async call(method, url, body, as = "admin", headers = {}) {
      const raw = await app.inject({
        method: method as "GET",
        url,
        headers: { ...apiLanguage, ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}), ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      let parsed: any = raw.body;
      try {
        parsed = raw.body ? JSON.parse(raw.body) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: raw.statusCode, body: parsed, raw };
    },
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}
