import { totvsSignProvider } from "../../src/modules/providers/totvs-sign/from-settings.js";
import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { systemActor, type Actor, type AppContext } from "../../src/platform/context.js";
import { createLogger } from "../../src/platform/log.js";
import { authPages } from "../../src/modules/auth/pages.js";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { findUserByEmail } from "../../src/modules/auth/queries.js";
import { providerAuthorFor, taeWebLoginLink } from "../../src/modules/providers/totvs-sign/accounts/index.js";
import { updateSignatureSettings } from "../../src/modules/signature-settings/index.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";
import { signInByForm } from "../support/page-session.js";

const service = { email: "servico@obrasign.test", password: "S3nha-do-Servico!", fullName: "Serviço obrasign" };
const managerTae = { email: "manager@obrasign.test", password: "Senha-TAE-do-Gerente-1", fullName: "Test manager" };

let h: Harness;
let tae: TaeEmulator;
let app: FastifyInstance;
let ctx: AppContext;
const lines: string[] = [];
const bodies: string[] = [];

async function call(method: string, url: string, body?: unknown, as: Role = "manager") {
  const raw = await app.inject({ method: method as "GET", url, headers: { authorization: `Bearer ${h.tokens[as]}` }, ...(body !== undefined ? { payload: body as object } : {}) });
  bodies.push(raw.body);
  return { status: raw.statusCode, body: raw.body ? JSON.parse(raw.body) : null };
}

async function actorOf(role: Role): Promise<Actor> {
  const user = (await findUserByEmail(ctx, `${role}@obrasign.test`))!;
  return { kind: "user", id: user.id, role: user.role, email: user.email, name: user.name };
}

before(async () => {
  h = await startHarness();
  tae = await startTaeEmulator({ users: [service, managerTae] });
  // The same runtime with every log line kept, to look for secrets in it.
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  ctx = { ...h.runtime.ctx, log: createLogger("debug", sink) };
  app = await createHttpServer(ctx);
  await updateSignatureSettings(ctx, systemActor, {
    provider: "totvs-sign",
    totvsSign: { authUrl: tae.authUrl, apiUrl: tae.apiUrl, webLoginUrl: `${tae.url}/webapptotvssign/#/auth/login?external=true`, serviceUser: service.email, servicePassword: service.password },
  });
});
after(async () => {
  await app?.close();
  await h?.close();
  await tae?.close();
});

describe("TAE authors", () => {
  test("without a session, the author is the service user", async () => {
    const serviceAuthor = { email: service.email, name: "Usuário de serviço" };
    assert.deepEqual(await providerAuthorFor(ctx, null), serviceAuthor);
    assert.deepEqual(await providerAuthorFor(ctx, systemActor), serviceAuthor);
    assert.deepEqual(await providerAuthorFor(ctx, await actorOf("manager")), serviceAuthor);
    const status = await call("GET", "/api/me/totvs-sign");
    assert.equal(status.status, 200);
    assert.equal(status.body.connected, false);
    assert.equal(status.body.expiresAt, null);
    assert.deepEqual(status.body.account, { email: "manager@obrasign.test", exists: true, message: null });
    assert.equal(status.body.webLoginUrl, await taeWebLoginLink(ctx));
    assert.match(status.body.webLoginUrl, /webapptotvssign\/#\/auth\/login\?external=true$/);
  });

  test("a wrong TAE password is refused with TAE's message, naming the field", async () => {
    const res = await call("POST", "/api/me/totvs-sign/connect", { email: managerTae.email, password: "errada-123" });
    assert.equal(res.status, 422);
    assert.match(res.body.error.message, /Usuário ou senha inválidos/);
    assert.ok(res.body.error.fields.password);
    const missing = await call("POST", "/api/me/totvs-sign/connect", { email: "not-an-email" });
    assert.equal(missing.status, 400);
    assert.ok(missing.body.error.fields.email);
    assert.ok(missing.body.error.fields.password);
    assert.equal((await call("POST", "/api/me/totvs-sign/connect", { email: managerTae.email, password: managerTae.password }, "viewer")).status, 403);
  });

  test("connecting stores the token sealed until it expires; the author then sends as themself", async () => {
    tae.resetCounters();
    const res = await call("POST", "/api/me/totvs-sign/connect", { email: managerTae.email, password: managerTae.password });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.connected, true);
    assert.equal(res.body.accountEmail, managerTae.email);
    const expiresAt = Date.parse(res.body.expiresAt);
    const now = h.clock.now().getTime();
    assert.ok(expiresAt > now && expiresAt <= now + 12 * 3600_000 + 1000, res.body.expiresAt);
    assert.equal(tae.counters().logins, 1);

    const author = await providerAuthorFor(ctx, await actorOf("manager"));
    assert.equal(author.email, managerTae.email);
    assert.equal(author.name, "Test manager");
    assert.ok(author.session && author.session.token.length > 10);
    assert.equal(author.session.expiresAt.getTime(), expiresAt);
    const managerId = (await findUserByEmail(ctx, "manager@obrasign.test"))!.id;
    assert.deepEqual(await providerAuthorFor(ctx, managerId), author, "the worker may pass a user id");

    const rows = await ctx.db.selectFrom("provider_sessions").selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.provider, "totvs-sign");
    assert.ok(!rows[0]!.token_encrypted.includes(author.session.token), "the token is sealed at rest");
    assert.equal(ctx.secrets.open(rows[0]!.token_encrypted), author.session.token);

    // The stored session is a working TAE token: the adapter uses it and logs in no one.
    const provider = await totvsSignProvider(ctx);
    assert.deepEqual(await provider.profile(author), { email: managerTae.email });
    assert.equal(tae.calls("profile").at(-1)!.authenticatedAs, managerTae.email);
    assert.equal(tae.counters().logins, 1);
    for (const body of bodies) assert.ok(!body.includes(author.session.token), "the TAE token reached a response");
  });

  test("an expired session falls back to the service user", async () => {
    const manager = await actorOf("manager");
    h.clock.advance(12 * 3600_000 + 5 * 60_000);
    assert.deepEqual(await providerAuthorFor(ctx, manager), { email: service.email, name: "Usuário de serviço" });
    const status = await call("GET", "/api/me/totvs-sign");
    assert.equal(status.body.connected, false);
    h.clock.advance(-(12 * 3600_000 + 5 * 60_000));
    assert.ok((await providerAuthorFor(ctx, manager)).session);
  });

  test("disconnecting forgets the token", async () => {
    const res = await app.inject({ method: "DELETE", url: "/api/me/totvs-sign/connect", headers: { authorization: `Bearer ${h.tokens.manager}` } });
    assert.equal(res.statusCode, 204);
    assert.equal((await ctx.db.selectFrom("provider_sessions").selectAll().execute()).length, 0);
    assert.equal((await providerAuthorFor(ctx, await actorOf("manager"))).session, undefined);
  });

  test("a user without a TAE account creates it through the service user", async () => {
    tae.resetCounters();
    const before = await call("GET", "/api/me/totvs-sign", undefined, "admin");
    assert.deepEqual(before.body.account, { email: "admin@obrasign.test", exists: false, message: null });

    const created = await call("POST", "/api/me/totvs-sign/account", undefined, "admin");
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body, { email: "admin@obrasign.test", exists: true, created: true });
    assert.ok(tae.users().some((u) => u.email === "admin@obrasign.test" && u.fullName === "Test admin"));
    const registers = tae.calls("register");
    assert.equal(registers.length, 1);
    assert.equal(registers[0]!.authenticatedAs, service.email, "created by the service user");

    const again = await call("POST", "/api/me/totvs-sign/account", undefined, "admin");
    assert.deepEqual(again.body, { email: "admin@obrasign.test", exists: true, created: false });
    assert.equal(tae.calls("register").length, 1);
    assert.equal((await call("GET", "/api/me/totvs-sign", undefined, "admin")).body.account.exists, true);
    assert.equal((await call("POST", "/api/me/totvs-sign/account", undefined, "viewer")).status, 403);
  });

  test("the account page: offers account creation, connects by a plain form, shows until when", async () => {
    const { cookies, headers } = await signInByForm(app, "manager@obrasign.test", "manager-password-1");

    const page = await app.inject({ method: "GET", url: "/account/totvs-sign", cookies, headers: { "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Conectar ao TOTVS Assinatura Eletrônica/);
    assert.match(page.body, /<label for="tae-email">E-mail no TAE<\/label>/);
    assert.match(page.body, /<label for="tae-password">Senha do TAE<\/label>/);
    assert.match(page.body, /Abrir no TAE/);

    const wrong = await app.inject({ method: "POST", url: "/account/totvs-sign/connect", cookies, headers, payload: { email: managerTae.email, password: "nope-nope" } });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Usuário ou senha inválidos/);
    assert.match(wrong.body, /id="tae-password"[^>]*aria-invalid="true"/);
    assert.ok(!wrong.body.includes("nope-nope"));

    const ok = await app.inject({ method: "POST", url: "/account/totvs-sign/connect", cookies, headers, payload: { email: managerTae.email, password: managerTae.password } });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, "/account/totvs-sign?done=connected");
    const connected = await app.inject({ method: "GET", url: "/account/totvs-sign?done=connected", cookies });
    assert.match(connected.body, /Conta do TAE conectada/);
    assert.match(connected.body, /Conectado como manager@obrasign\.test até \d{2}\/\d{2}\/\d{4}/);
    assert.match(connected.body, /action="\/account\/totvs-sign\/disconnect"/);
    const off = await app.inject({ method: "POST", url: "/account/totvs-sign/disconnect", cookies, headers });
    assert.equal(off.statusCode, 303);
    assert.equal((await ctx.db.selectFrom("provider_sessions").selectAll().execute()).length, 0);

    // A viewer with no TAE account is told so, and gets no forms (viewers do not send).
    const viewerCookies = (await signInByForm(app, "viewer@obrasign.test", "viewer-password-1")).cookies;
    const viewerPage = await app.inject({ method: "GET", url: "/account/totvs-sign", cookies: viewerCookies });
    assert.match(viewerPage.body, /não tem conta no TAE/);
    assert.ok(!viewerPage.body.includes("Criar conta no TAE"));
    assert.ok(!viewerPage.body.includes('action="/account/totvs-sign/connect"'));
  });

  test("the create-account button appears for a sender without an account and works without JavaScript", async () => {
    // The admin's account was created above: a fresh emulator is a TAE where it does not exist yet.
    const fresh = await startTaeEmulator({ users: [service] });
    try {
      await updateSignatureSettings(ctx, systemActor, { totvsSign: { authUrl: fresh.authUrl, apiUrl: fresh.apiUrl } });
      const { cookies, headers } = await signInByForm(app, "admin@obrasign.test", "admin-password-1");
      const page = await app.inject({ method: "GET", url: "/account/totvs-sign", cookies, headers: { "accept-language": "pt-BR" } });
      assert.match(page.body, /O e-mail admin@obrasign\.test não tem conta no TAE/);
      assert.match(page.body, /<form method="post" action="\/account\/totvs-sign\/account"><input type="hidden" name="_csrf" value="[^"]+">\s*<button type="submit">Criar conta no TAE<\/button>/);
      const created = await app.inject({ method: "POST", url: "/account/totvs-sign/account", cookies, headers });
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, "/account/totvs-sign?done=created");
      assert.ok(fresh.users().some((u) => u.email === "admin@obrasign.test"));
      const shown = await app.inject({ method: "GET", url: created.headers.location as string, cookies });
      assert.match(shown.body, /Conta criada no TAE para admin@obrasign\.test/);
      assert.match(shown.body, /O e-mail admin@obrasign\.test tem conta no TAE/);
    } finally {
      await updateSignatureSettings(ctx, systemActor, { totvsSign: { authUrl: tae.authUrl, apiUrl: tae.apiUrl } });
      await fresh.close();
    }
  });

  test("no password nor token in any log line", () => {
    const logs = lines.join("");
    assert.ok(logs.includes("TAE account connected"));
    for (const secret of [service.password, managerTae.password, "errada-123", "nope-nope"]) assert.ok(!logs.includes(secret), `${secret} reached a log line`);
    assert.ok(!/tae\.[A-Za-z0-9_-]{40,}/.test(logs), "a TAE token reached a log line");
  });
});
