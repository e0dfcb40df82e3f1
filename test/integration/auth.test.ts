import assert from "node:assert/strict";
import { openPage, signInByForm } from "../support/page-session.js";
import { after, before, describe, test } from "node:test";
import { createHttpServer } from "../../src/app.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract, makeProject } from "../support/factories.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

describe("authentication", () => {
  test("/health and the API docs answer without credentials; /api does not", async () => {
    assert.deepEqual((await h.call("GET", "/health", undefined, null)).body, { status: "ok" });
    const spec = await h.call("GET", "/openapi.json", undefined, null);
    assert.equal(spec.status, 200);
    assert.ok(spec.body.paths["/api/contracts"].post.requestBody, "request schemas come from the route validators");
    assert.equal((await h.call("GET", "/docs/", undefined, null)).status, 200);
    for (const url of ["/api/projects", "/api/contracts", "/api/users", "/api/tokens", "/api/me"]) {
      const res = await h.call("GET", url, undefined, null);
      assert.equal(res.status, 401, url);
      assert.equal(res.body.error.code, "unauthenticated");
    }
  });

  test("a wrong, malformed or revoked token is 401", async () => {
    const bad = await h.app.inject({ method: "GET", url: "/api/projects", headers: { authorization: "Bearer obs_nope" } });
    assert.equal(bad.statusCode, 401);
    const malformed = await h.app.inject({ method: "GET", url: "/api/projects", headers: { authorization: "Basic abc" } });
    assert.equal(malformed.statusCode, 401);
    const created = await h.call("POST", "/api/tokens", { email: h.users.viewer.email, name: "ERP" });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^obs_/);
    const ok = await h.app.inject({ method: "GET", url: "/api/projects", headers: { authorization: `Bearer ${created.body.token}` } });
    assert.equal(ok.statusCode, 200);
    assert.equal((await h.call("DELETE", `/api/tokens/${created.body.id}`)).status, 204);
    const revoked = await h.app.inject({ method: "GET", url: "/api/projects", headers: { authorization: `Bearer ${created.body.token}` } });
    assert.equal(revoked.statusCode, 401);
  });

  test("tokens and passwords are stored hashed, never returned", async () => {
    const created = await h.call("POST", "/api/tokens", { email: h.users.manager.email });
    const rows = await h.runtime.ctx.db.selectFrom("api_tokens").selectAll().execute();
    assert.ok(rows.every((r) => r.token_hash !== created.body.token && !r.token_hash.includes(created.body.token)));
    const users = await h.runtime.ctx.db.selectFrom("users").selectAll().execute();
    assert.ok(users.every((u) => u.password_hash?.startsWith("scrypt$")));
    const listed = await h.call("GET", "/api/tokens");
    assert.ok(!JSON.stringify(listed.body).includes(created.body.token));
    assert.ok(!JSON.stringify((await h.call("GET", "/api/users")).body).includes("scrypt"));
  });

  test("login page, session cookie, logout", async () => {
    const page = await h.app.inject({ method: "GET", url: "/login", headers: { "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Entrar/);
    const english = await h.app.inject({ method: "GET", url: "/login", headers: { "accept-language": "en-US,en;q=0.9" } });
    assert.match(english.body, /Sign in/);
    const wrong = (await signInByForm(h.app, h.users.manager.email, "nope-nope")).login;
    assert.equal(wrong.statusCode, 401);
    assert.ok(!wrong.cookies.some((c) => c.name === "obrasign_session"));
    const res = (await signInByForm(h.app, h.users.manager.email, "manager-password-1", { next: "//evil.example" })).login;
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, "/", "no open redirect");
    const cookie = res.cookies.find((c) => c.name === "obrasign_session")!;
    assert.ok(cookie.httpOnly);
    assert.equal(cookie.sameSite, "Lax");
    const me = await h.app.inject({ method: "GET", url: "/api/me", cookies: { obrasign_session: cookie.value } });
    assert.equal(me.statusCode, 200);
    assert.equal(JSON.parse(me.body).role, "manager");
    const home = await h.app.inject({ method: "GET", url: "/", cookies: { obrasign_session: cookie.value } });
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, "/projects", "the projects list is the home page");
    const browser = await openPage(h.app, "/login", { obrasign_session: cookie.value });
    await h.app.inject({ method: "POST", url: "/logout", cookies: browser.cookies, headers: browser.headers });
    const after = await h.app.inject({ method: "GET", url: "/api/me", cookies: { obrasign_session: cookie.value } });
    assert.equal(after.statusCode, 401);
    const anonymousHome = await h.app.inject({ method: "GET", url: "/" });
    assert.equal(anonymousHome.statusCode, 302);
  });

  test("after sign-in, next goes only to a path on this site", async () => {
    const cases: [string, string][] = [
      ["/\\evil.example", "/"], ["/\t/evil.example", "/"], ["/\n/evil.example", "/"], ["//evil.example", "/"], ["https://evil.example/", "/"],
      ["javascript:alert(1)", "/"], ["/%09/evil.example", "/%09/evil.example"], ["/monitor?status=pending#x", "/monitor?status=pending#x"], ["/projects", "/projects"],
    ];
    for (const [next, location] of cases) {
      const res = (await signInByForm(h.app, h.users.viewer.email, "viewer-password-1", { next })).login;
      assert.equal(res.statusCode, 302, next);
      assert.equal(res.headers.location, location, JSON.stringify(next));
    }
    // The login page's hidden field gets the same treatment.
    const page = await h.app.inject({ method: "GET", url: `/login?next=${encodeURIComponent("/\\evil.example")}` });
    assert.match(page.body, /name="next" value="\/"/);
  });

  test("secure cookie and HSTS behind an HTTPS proxy only when OBRASIGN_TRUST_PROXY trusts it", async () => {
    const https = { headers: { "x-forwarded-proto": "https" } };
    const untrusted = (await signInByForm(h.app, h.users.viewer.email, "viewer-password-1", https)).login;
    assert.ok(!untrusted.cookies.find((c) => c.name === "obrasign_session")!.secure, "a forwarded header from anyone is not believed");
    assert.equal(untrusted.headers["strict-transport-security"], undefined);
    const { ctx } = h.runtime;
    ctx.config.trustProxy = ["127.0.0.1"];
    const behindProxy = await createHttpServer(ctx);
    try {
      const res = (await signInByForm(behindProxy, h.users.viewer.email, "viewer-password-1", https)).login;
      assert.ok(res.cookies.find((c) => c.name === "obrasign_session")!.secure);
      assert.match(String(res.headers["strict-transport-security"]), /max-age=31536000/);
    } finally {
      ctx.config.trustProxy = false;
      await behindProxy.close();
    }
  });
});

describe("authorization matrix", () => {
  test("each role on each route", async () => {
    const contract = await makeContract(h);
    const project = await makeProject(h);
    type Case = [method: string, url: string, body: unknown, allowed: Role[]];
    const everyone: Role[] = ["admin", "manager", "viewer"];
    const writers: Role[] = ["admin", "manager"];
    const admins: Role[] = ["admin"];
    const cases: Case[] = [
      ["GET", "/api/projects", undefined, everyone],
      ["GET", `/api/projects/${project.id}`, undefined, everyone],
      ["GET", "/api/contracts", undefined, everyone],
      ["GET", `/api/contracts/${contract.id}`, undefined, everyone],
      ["GET", "/api/parties", undefined, everyone],
      ["GET", "/api/amendments", undefined, everyone],
      ["GET", "/api/periods", undefined, everyone],
      ["GET", "/api/measurements", undefined, everyone],
      ["GET", "/api/advances", undefined, everyone],
      ["GET", "/api/me", undefined, everyone],
      ["PATCH", `/api/projects/${project.id}`, { address: "Rua B, 2" }, writers],
      ["PATCH", `/api/contracts/${contract.id}`, { object: "Novo objeto" }, writers],
      ["PUT", "/api/projects/external/matrix-1", { code: "MX-1", name: "Matrix" }, writers],
      ["GET", "/api/users", undefined, admins],
      ["GET", "/api/tokens", undefined, admins],
      ["POST", "/api/tokens", { email: "viewer@obrasign.test" }, admins],
    ];
    for (const [method, url, body, allowed] of cases) {
      for (const role of everyone) {
        const res = await h.call(method, url, body, role);
        if (allowed.includes(role)) assert.ok(res.status < 300, `${role} ${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
        else {
          assert.equal(res.status, 403, `${role} ${method} ${url}`);
          assert.equal(res.body.error.code, "forbidden");
        }
      }
    }
    // Writes that create: viewer is refused before validation, even with a bad body.
    for (const kind of ["projects", "parties", "contracts", "amendments", "periods", "measurements", "advances"]) {
      assert.equal((await h.call("POST", `/api/${kind}`, { nonsense: true }, "viewer")).status, 403, kind);
      assert.equal((await h.call("POST", `/api/${kind}`, { nonsense: true }, "manager")).status, 400, kind);
    }
    assert.equal((await h.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" }, "viewer")).status, 403);
    assert.equal((await h.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" }, "manager")).status, 200);
    assert.equal((await h.call("POST", "/api/users", { email: "x@example.com", name: "X", role: "viewer" }, "manager")).status, 403);
  });

  test("users: admin creates, changes role, disables; cannot disable self", async () => {
    const created = await h.call("POST", "/api/users", { email: "Nova@Example.com", name: "Nova Pessoa", role: "viewer", password: "bem-segura-1" });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, "nova@example.com");
    const dup = await h.call("POST", "/api/users", { email: "nova@example.com", name: "Outra", role: "viewer" });
    assert.equal(dup.status, 409);
    const shortPw = await h.call("POST", "/api/users", { email: "x2@example.com", name: "X", role: "viewer", password: "curta" });
    assert.ok(shortPw.body.error.fields.password);
    const promoted = await h.call("PATCH", `/api/users/${created.body.id}`, { role: "manager" });
    assert.equal(promoted.body.role, "manager");
    const disabled = await h.call("PATCH", `/api/users/${created.body.id}`, { disabled: true });
    assert.equal(disabled.body.disabled, true);
    const self = await h.call("PATCH", `/api/users/${h.users.admin.id}`, { disabled: true });
    assert.equal(self.status, 409);
    const missing = await h.call("GET", "/api/users/01a00000-0000-7000-8000-000000000000");
    assert.equal(missing.status, 404);
  });

  test("a record that does not exist is 404, a malformed id is 400", async () => {
    assert.equal((await h.call("GET", "/api/contracts/01a00000-0000-7000-8000-000000000000", undefined, "viewer")).status, 404);
    const bad = await h.call("GET", "/api/contracts/not-an-id", undefined, "viewer");
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.id);
  });
});
