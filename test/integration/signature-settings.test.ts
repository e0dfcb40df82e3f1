import assert from "node:assert/strict";
import { totvsSignProvider } from "../../src/modules/providers/totvs-sign/from-settings.js";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { openRuntime, type Runtime, createHttpServer } from "../../src/app.js";
import { ManualClock } from "../../src/platform/clock.js";
import { createLogger } from "../../src/platform/log.js";
import { authPages } from "../../src/modules/auth/pages.js";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { createApiToken } from "../../src/modules/auth/commands/create-api-token.js";
import { createUser } from "../../src/modules/auth/commands/create-user.js";
import { urlProblem } from "../../src/modules/signature-settings/index.js";
import { freshDatabase } from "../support/database.js";
import { testConfig, type Role } from "../support/harness.js";
import { signInByForm } from "../support/page-session.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";

/** A runtime whose every log line (debug and up) is kept in memory, to look for secrets in it. */
async function startCapturing() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const database = await freshDatabase();
  const clock = new ManualClock(new Date());
  const runtime: Runtime = await openRuntime(testConfig(database.target, database.dataDir), { clock, log: createLogger("debug", sink) });
  const app: FastifyInstance = await createHttpServer(runtime.ctx);
  const tokens = {} as Record<Role, string>;
  for (const role of ["admin", "manager", "viewer"] as const) {
    await createUser(runtime.ctx, { email: `${role}@obrasign.test`, name: `Test ${role}`, role, password: `${role}-password-1` });
    tokens[role] = (await createApiToken(runtime.ctx, { email: `${role}@obrasign.test` })).token;
  }
  const bodies: string[] = [];
  async function call(method: string, url: string, body?: unknown, as: Role | null = "admin", language = "en") {
    const raw = await app.inject({ method: method as "GET", url, headers: { "accept-language": language, ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}) }, ...(body !== undefined ? { payload: body as object } : {}) });
    bodies.push(raw.body);
    let parsed: any = raw.body;
    try { parsed = raw.body ? JSON.parse(raw.body) : null; } catch { /* HTML */ }
    return { status: raw.statusCode, body: parsed, raw };
  }
  const browserFor = (role: Role) => signInByForm(app, `${role}@obrasign.test`, `${role}-password-1`);
  const cookieFor = async (role: Role) => (await browserFor(role)).cookies.obrasign_session!;
  return {
    app, runtime, clock, lines, bodies, call, cookieFor, browserFor,
    async close() { await app.close(); await runtime.close(); await database.drop(); },
  };
}

let h: Awaited<ReturnType<typeof startCapturing>>;
let tae: TaeEmulator;
const password = "S3nha-do-Servico!";

before(async () => {
  h = await startCapturing();
  tae = await startTaeEmulator({ users: [{ email: "servico@obrasign.test", password, fullName: "Serviço" }] });
});
after(async () => {
  await h?.close();
  await tae?.close();
});

const emulatorSettings = () => ({ authUrl: tae.authUrl, apiUrl: tae.apiUrl, webLoginUrl: `${tae.url}/webapptotvssign/#/auth/login?external=true` });

describe("global signature settings", () => {
  test("defaults: embedded, no refresh on load, the production TAE addresses, no service user", async () => {
    const res = await h.call("GET", "/api/settings/signature", undefined, "viewer");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      provider: "embedded",
      refreshStatusOnLoad: false,
      totvsSign: {
        authUrl: "https://totvssign.totvs.app/identityintegration",
        apiUrl: "https://totvssign.totvs.app",
        webLoginUrl: "https://totvssign.totvs.app/webapptotvssign/#/auth/login?external=true",
        serviceUser: "",
        servicePasswordSet: false,
        signerRoles: { sign: "como assinante", validate: "como validador", witness: "como testemunha", sign_certificate: "como assinante" }, companyCnpj: "",
      },
    });
    assert.equal((await h.call("GET", "/api/settings/signature", undefined, null)).status, 401);
  });

  test("embedded needs no connection", async () => {
    const res = await h.call("POST", "/api/settings/signature/test", undefined, "admin", "pt-BR");
    assert.deepEqual(res.body.ok, true);
    assert.match(res.body.message, /n[ãa]o precisa de conex[ãa]o/);
    const english = await h.call("POST", "/api/settings/signature/test", undefined);
    assert.match(english.body.message, /needs no connection/);
  });

  test("only an admin may change or test them", async () => {
    for (const role of ["viewer", "manager"] as const) {
      const put = await h.call("PUT", "/api/settings/signature", { refreshStatusOnLoad: true }, role);
      assert.equal(put.status, 403, role);
      assert.equal(put.body.error.code, "forbidden");
      assert.equal((await h.call("POST", "/api/settings/signature/test", undefined, role)).status, 403, role);
    }
    assert.equal((await h.call("GET", "/api/settings/signature")).body.refreshStatusOnLoad, false);
  });

  test("validation names the field: http refused except on loopback, unknown fields, wrong types", async () => {
    const http = await h.call("PUT", "/api/settings/signature", { totvsSign: { authUrl: "http://totvssign.totvs.app/identityintegration" } });
    assert.equal(http.status, 400);
    assert.equal(http.body.error.code, "validation");
    assert.match(http.body.error.fields["totvsSign.authUrl"], /https/);
    const notUrl = await h.call("PUT", "/api/settings/signature", { totvsSign: { apiUrl: "totvssign" } });
    assert.ok(notUrl.body.error.fields["totvsSign.apiUrl"]);
    const unknown = await h.call("PUT", "/api/settings/signature", { provider: "embedded", colour: "blue" });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.fields.colour, "unknown field");
    const badProvider = await h.call("PUT", "/api/settings/signature", { provider: "docusign" });
    assert.ok(badProvider.body.error.fields.provider);
    const badUser = await h.call("PUT", "/api/settings/signature", { totvsSign: { serviceUser: "not an email" } });
    assert.ok(badUser.body.error.fields["totvsSign.serviceUser"]);
    for (const url of ["http://127.0.0.1:9/identityintegration", "http://127.8.9.10/x", "http://[::1]:8080", "http://localhost:3000/"]) {
      const ok = await h.call("PUT", "/api/settings/signature", { totvsSign: { authUrl: url } });
      assert.equal(ok.status, 200, `${url}: ${JSON.stringify(ok.body)}`);
      assert.equal(ok.body.totvsSign.authUrl, url);
    }
    assert.ok(urlProblem("http://127.example.com/"));
    assert.ok(urlProblem("https://user:pw@totvssign.totvs.app"));
    assert.equal(urlProblem("https://totvssign.staging.totvs.app"), null);
  });

  test("switching to totvs-sign needs the service user and password (422 naming them)", async () => {
    const res = await h.call("PUT", "/api/settings/signature", { provider: "totvs-sign" });
    assert.equal(res.status, 422);
    assert.ok(res.body.error.fields["totvsSign.serviceUser"]);
    assert.ok(res.body.error.fields["totvsSign.servicePassword"]);
    const userOnly = await h.call("PUT", "/api/settings/signature", { provider: "totvs-sign", totvsSign: { serviceUser: "servico@obrasign.test" } });
    assert.equal(userOnly.status, 422);
    assert.deepEqual(Object.keys(userOnly.body.error.fields), ["totvsSign.servicePassword"]);
    assert.equal((await h.call("GET", "/api/settings/signature")).body.provider, "embedded", "nothing half-written");
    assert.equal((await h.call("GET", "/api/settings/signature")).body.totvsSign.serviceUser, "");
  });

  test("round trip; the password is write-only, sealed at rest, kept when omitted", async () => {
    const put = await h.call("PUT", "/api/settings/signature", {
      provider: "totvs-sign",
      refreshStatusOnLoad: true,
      totvsSign: { ...emulatorSettings(), serviceUser: "Servico@Obrasign.test", servicePassword: password },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const expected = { provider: "totvs-sign", refreshStatusOnLoad: true, totvsSign: { ...emulatorSettings(), serviceUser: "servico@obrasign.test", servicePasswordSet: true, signerRoles: { sign: "como assinante", validate: "como validador", witness: "como testemunha", sign_certificate: "como assinante" }, companyCnpj: "" } };
    assert.deepEqual(put.body, expected);
    const got = await h.call("GET", "/api/settings/signature");
    assert.deepEqual(got.body, expected);

    // GET → PUT of what came back keeps everything, the password included.
    const again = await h.call("PUT", "/api/settings/signature", got.body);
    assert.deepEqual(again.body, expected);

    const rows = await h.runtime.ctx.db.selectFrom("settings").selectAll().execute();
    assert.ok(rows.length >= 6);
    for (const row of rows) {
      assert.ok(!row.value.includes(password), `${row.key} holds the password in clear`);
      JSON.parse(row.value);
    }
    const sealed = rows.find((r) => r.key.toLowerCase().includes("password"))!;
    assert.equal(h.runtime.ctx.secrets.open(JSON.parse(sealed.value)), password);

    // Clearing the password while TOTVS Sign is in use is refused; with embedded it is allowed.
    const clear = await h.call("PUT", "/api/settings/signature", { totvsSign: { servicePassword: null } });
    assert.equal(clear.status, 422);
    assert.ok(clear.body.error.fields["totvsSign.servicePassword"]);
  });

  test("test connection: ok against the emulator, TAE's message with a wrong password", async () => {
    const ok = await h.call("POST", "/api/settings/signature/test", undefined);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true, ok.body.message);
    assert.match(ok.body.message, /servico@obrasign\.test/);

    const wrong = "Senha-Errada-123";
    await h.call("PUT", "/api/settings/signature", { totvsSign: { servicePassword: wrong } });
    const failed = await h.call("POST", "/api/settings/signature/test", undefined);
    assert.equal(failed.body.ok, false);
    assert.match(failed.body.message, /Usuário ou senha inválidos/);
    assert.ok(!failed.body.message.includes(wrong));
    assert.ok(!h.lines.join("").includes(wrong), "the wrong password reached a log line");

    await h.call("PUT", "/api/settings/signature", { totvsSign: { servicePassword: password } });
    const unreachable = await h.call("PUT", "/api/settings/signature", { totvsSign: { authUrl: "http://127.0.0.1:9/identityintegration" } });
    assert.equal(unreachable.status, 200);
    const down = await h.call("POST", "/api/settings/signature/test", undefined, "admin");
    assert.equal(down.body.ok, false);
    await h.call("PUT", "/api/settings/signature", { totvsSign: emulatorSettings() });
  });

  test("the provider is built once and reused (one login for many calls), rebuilt when settings change", async () => {
    tae.resetCounters();
    const first = await totvsSignProvider(h.runtime.ctx);
    const second = await totvsSignProvider(h.runtime.ctx);
    assert.equal(first, second);
    for (let i = 0; i < 3; i++) {
      const p = await totvsSignProvider(h.runtime.ctx);
      assert.equal((await p.ensureAuthor({ email: "servico@obrasign.test", name: "x" }, { create: false })).exists, true);
    }
    assert.equal(tae.counters().logins, 1);

    await h.call("PUT", "/api/settings/signature", { totvsSign: { servicePassword: password } });
    const rebuilt = await totvsSignProvider(h.runtime.ctx);
    assert.notEqual(rebuilt, first);
    await rebuilt.ensureAuthor({ email: "servico@obrasign.test", name: "x" }, { create: false });
    assert.equal(tae.counters().logins, 2);
    assert.equal(await totvsSignProvider(h.runtime.ctx), rebuilt);
  });

  test("the settings page: pt-BR labels, password shown as definida, never its value; English by locale", async () => {
    const cookie = await h.cookieFor("admin");
    const page = await h.app.inject({ method: "GET", url: "/settings/signature", cookies: { obrasign_session: cookie }, headers: { "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    h.bodies.push(page.body);
    for (const text of ["Integração com TOTVS Sign", "URL de autenticação", "URL da API de integração", "URL de login via formulário web", "Usuário de serviço",
      "Senha do usuário de serviço", "definida", "Atualizar situação das assinaturas dos documentos ao carregar visão", "Testar conexão"]) {
      assert.ok(page.body.includes(text), text);
    }
    assert.match(page.body, /<label for="authUrl">/);
    assert.match(page.body, /id="servicePassword" name="servicePassword" type="password"[^>]*value=""/);
    assert.ok(!page.body.includes(password));

    const english = await h.app.inject({ method: "GET", url: "/settings/signature", cookies: { obrasign_session: cookie, lang: "en" } });
    assert.match(english.body, /TOTVS Sign integration/);
    assert.match(english.body, /Authentication URL/);

    const anonymous = await h.app.inject({ method: "GET", url: "/settings/signature" });
    assert.equal(anonymous.statusCode, 302);
    const viewer = await h.app.inject({ method: "GET", url: "/settings/signature", cookies: { obrasign_session: await h.cookieFor("viewer") } });
    assert.equal(viewer.statusCode, 200);
    assert.ok(!viewer.body.includes("Testar conexão"), "a viewer sees the settings read-only");
    const viewerBrowser = await h.browserFor("viewer");
    const viewerPost = await h.app.inject({ method: "POST", url: "/settings/signature", cookies: viewerBrowser.cookies, headers: viewerBrowser.headers, payload: { provider: "embedded" } });
    assert.equal(viewerPost.statusCode, 403);
  });

  test("the settings form works without JavaScript: POST, errors in place, redirect on success; test button", async () => {
    const { cookies, headers } = await h.browserFor("admin");
    const current = (await h.call("GET", "/api/settings/signature")).body;
    const form = { provider: "totvs-sign", ...current.totvsSign, servicePassword: "", refreshStatusOnLoad: "on" };
    delete (form as Record<string, unknown>).servicePasswordSet;

    const bad = await h.app.inject({ method: "POST", url: "/settings/signature", cookies, headers, payload: { ...form, apiUrl: "http://totvs.example.com", servicePassword: password } });
    h.bodies.push(bad.body);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="apiUrl"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /id="apiUrl-error"/);
    assert.match(bad.body, /value="http:\/\/totvs\.example\.com"/, "the submitted value comes back");

    const saved = await h.app.inject({ method: "POST", url: "/settings/signature", cookies, headers, payload: { ...form, refreshStatusOnLoad: undefined } });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/settings/signature?saved=1");
    const after = (await h.call("GET", "/api/settings/signature")).body;
    assert.equal(after.refreshStatusOnLoad, false, "an unchecked box is false");
    assert.equal(after.totvsSign.servicePasswordSet, true, "an empty password field keeps the password");

    const tested = await h.app.inject({ method: "POST", url: "/settings/signature/test", cookies, headers });
    assert.equal(tested.statusCode, 200);
    assert.match(tested.body, /Conexão bem-sucedida/);
    const fragment = await h.app.inject({ method: "POST", url: "/settings/signature/test", cookies, headers: { ...headers, "hx-request": "true" } });
    assert.match(fragment.body, /^<div id="test-result"/);
    assert.ok(!fragment.body.includes("<html"));
  });

  test("the password never appears in a response body or a log line", () => {
    assert.ok(h.lines.length > 10, "logs were captured");
    assert.ok(h.lines.some((l) => l.includes("signature settings updated")));
    assert.ok(h.lines.some((l) => l.includes("TAE login")), "the adapter logs through the runtime's logger");
    const logs = h.lines.join("");
    assert.ok(!logs.includes(password), "the service password reached a log line");
    for (const body of h.bodies) assert.ok(!body.includes(password), "the service password reached a response");
  });
});
