import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { ParsedMail } from "mailparser";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createHttpServer, openRuntime, startBackground, type Runtime } from "../../src/app.js";
import { createApiToken } from "../../src/modules/auth/commands/create-api-token.js";
import { createUser } from "../../src/modules/auth/commands/create-user.js";
import { monitorPages } from "../../src/modules/monitor/index.js";
import { createLogger } from "../../src/platform/log.js";
import { freshDatabase } from "../support/database.js";
import type { Harness, Role } from "../support/harness.js";
import { testConfig } from "../support/harness.js";
import { multipart } from "../support/multipart.js";
import { startTestSmtp } from "../support/smtp.js";

/**
 * An obrasign as it runs in production, for the browser: a real loopback
 * port, `publicUrl` at that address (the links in the mails work), the
 * worker and schedules running on the system clock, mail to a test SMTP
 * server. The API helpers mirror the harness's, so the factories work.
 */
export interface E2eServer {
  url: string;
  app: FastifyInstance;
  runtime: Runtime;
  smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  users: Record<Role, { id: string; email: string; password: string; name: string }>;
  /** The subset of the harness the factories use. */
  api: Harness;
  close(): Promise<void>;
}

export async function startE2eServer(): Promise<E2eServer> {
  const smtp = await startTestSmtp();
  const database = await freshDatabase();
  const config = testConfig(database.target, database.dataDir, { smtpUrl: smtp.url });
  const runtime = await openRuntime(config, { log: createLogger("silent") });
  const { ctx } = runtime;
  const app = await createHttpServer(ctx);
  // The monitor's routes may not be in the app's list yet while it is being built; register them here if so.
  if (!app.hasRoute({ method: "GET", url: "/monitor" })) await monitorPages(app.withTypeProvider() as never, ctx);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  ctx.config.publicUrl = url;
  const background = startBackground(ctx);

  const users = {} as E2eServer["users"];
  const tokens = {} as Record<Role, string>;
  for (const role of ["admin", "manager", "viewer"] as const) {
    const email = `${role}@obrasign.test`;
    const name = { admin: "Alice Admin", manager: "Marcos Gestor", viewer: "Vitor Leitor" }[role];
    const password = `${role}-password-1`;
    const user = await createUser(ctx, { email, name, role, password });
    users[role] = { id: user.id, email, password, name };
    tokens[role] = (await createApiToken(ctx, { email })).token;
  }
  const parse = (raw: LightMyRequestResponse) => {
    try {
      return raw.body ? JSON.parse(raw.body) : null;
    } catch {
      return raw.body;
    }
  };
  const api = {
    app, runtime, tokens, users,
    async call(method: string, path: string, body?: unknown, as: Role | null = "admin") {
      const raw = await app.inject({
        method: method as "GET", url: path,
        headers: as ? { authorization: `Bearer ${tokens[as]}` } : {},
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      return { status: raw.statusCode, body: parse(raw), raw };
    },
    async upload(path: string, parts: Parameters<typeof multipart>[0], as: Role | null = "admin") {
      const body = multipart(parts);
      const raw = await app.inject({ method: "POST", url: path, payload: body.payload, headers: { ...body.headers, ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}) } });
      return { status: raw.statusCode, body: parse(raw) };
    },
  } as unknown as Harness;

  return {
    url, app, runtime, smtp, users, api,
    async close() {
      await background.stop();
      await app.close();
      await runtime.close();
      await database.drop();
      await smtp.close();
    },
  };
}

/** Debian's Chromium, headless, with nothing that reaches for the network (the machine has none). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export type Locale = "pt-BR" | "en-US";

export async function newContext(browser: Browser, server: E2eServer, locale: Locale = "pt-BR"): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url, locale, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Signs in through the login form, as a person would. */
export async function logIn(page: Page, server: E2eServer, role: Role, labels: { email: RegExp; password: RegExp; submit: RegExp }) {
  await page.goto("/login");
  await page.getByLabel(labels.email).fill(server.users[role].email);
  await page.getByLabel(labels.password).fill(server.users[role].password);
  await page.getByRole("button", { name: labels.submit }).click();
  await page.waitForURL(/\/projects$/);
}

export const linkIn = (mail: ParsedMail) => /https?:\/\/\S+\/sign\/sig_[A-Za-z0-9_-]+/.exec(mail.text ?? "")?.[0] ?? null;
export const codeIn = (mail: ParsedMail) => /\b(\d{6})\b/.exec(mail.text ?? "")?.[1] ?? null;

/** Polls `check` until it returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
