import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { openPage, signInByForm, type PageSession } from "../support/page-session.js";

/** Decision 012: CSRF, security headers and caching, each finding of the review as a case. */
let h: Harness;
let admin: PageSession;
const site = "http://127.0.0.1:3000";
const sibling = "http://127.0.0.1:8081";

before(async () => {
  h = await startHarness();
  admin = await signInByForm(h.app, h.users.admin.email, "admin-password-1");
});
after(async () => { await h?.close(); });

const userCount = async () => (await h.runtime.ctx.db.selectFrom("users").select("id").execute()).length;
const newUser = (n: string) => ({ email: `csrf-${n}@obrasign.test`, name: "Intrusa", role: "admin", password: "chosen-by-attacker" });

describe("CSRF on the API with a browser session", () => {
  test("a form-encoded or text/plain body with the session cookie creates no user", async () => {
    const before = await userCount();
    const form = await h.app.inject({
      method: "POST", url: "/api/users", cookies: admin.cookies,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: sibling },
      payload: "email=csrf-form%40obrasign.test&name=Intrusa&role=admin&password=chosen-by-attacker",
    });
    assert.equal(form.statusCode, 415);
    const text = await h.app.inject({
      method: "POST", url: "/api/users", cookies: admin.cookies,
      headers: { "content-type": "text/plain", "sec-fetch-site": "same-origin" }, payload: JSON.stringify(newUser("text")),
    });
    assert.equal(text.statusCode, 415);
    assert.equal(await userCount(), before);
  });

  test("JSON with the cookie from another origin, or with no origin at all, is refused; from the site's own page it works", async () => {
    const before = await userCount();
    const cross = await h.app.inject({ method: "POST", url: "/api/users", cookies: admin.cookies, headers: { origin: sibling }, payload: newUser("cross") });
    assert.equal(cross.statusCode, 403);
    const sameSite = await h.app.inject({ method: "POST", url: "/api/users", cookies: admin.cookies, headers: { "sec-fetch-site": "same-site" }, payload: newUser("sibling") });
    assert.equal(sameSite.statusCode, 403);
    const unknown = await h.app.inject({ method: "POST", url: "/api/users", cookies: admin.cookies, payload: newUser("unknown") });
    assert.equal(unknown.statusCode, 403, "a cookie alone proves no origin");
    assert.equal(await userCount(), before);
    const own = await h.app.inject({ method: "POST", url: "/api/users", cookies: admin.cookies, headers: { origin: site }, payload: newUser("own") });
    assert.equal(own.statusCode, 201, own.body);
  });

  test("a body-less state change (secret rotation) with the cookie needs a same-origin request", async () => {
    const first = await h.call("POST", "/api/settings/totvs-sign-webhook/rotate");
    const noCors = await h.app.inject({ method: "POST", url: "/api/settings/totvs-sign-webhook/rotate", cookies: admin.cookies, headers: { origin: sibling } });
    assert.equal(noCors.statusCode, 403);
    const now = await h.call("GET", "/api/settings/totvs-sign-webhook");
    assert.equal(now.body.secret, first.body.secret, "the secret did not change");
    const own = await h.app.inject({ method: "POST", url: "/api/settings/totvs-sign-webhook/rotate", cookies: admin.cookies, headers: { "sec-fetch-site": "same-origin" } });
    assert.equal(own.statusCode, 200);
  });

  test("Bearer requests are unaffected by origin; forms are for pages only", async () => {
    const bearer = await h.app.inject({ method: "POST", url: "/api/users", headers: { authorization: `Bearer ${h.tokens.admin}`, origin: sibling }, payload: newUser("bearer") });
    assert.equal(bearer.statusCode, 201);
    const form = await h.app.inject({
      method: "POST", url: "/api/users", headers: { authorization: `Bearer ${h.tokens.admin}`, "content-type": "application/x-www-form-urlencoded" },
      payload: "email=x%40obrasign.test&name=X&role=viewer",
    });
    assert.equal(form.statusCode, 415);
  });
});

describe("CSRF on page forms", () => {
  test("a page form without the token, with another session's token, or from another origin is refused", async () => {
    const before = (await h.call("GET", "/api/settings/signature")).body;
    const target = { url: "/settings/signature", payload: { provider: before.provider === "embedded" ? "totvs-sign" : "embedded" } };
    const noToken = await h.app.inject({ method: "POST", ...target, cookies: admin.cookies });
    assert.equal(noToken.statusCode, 403);
    assert.match(noToken.body, /Pedido recusado/);
    const manager = await signInByForm(h.app, h.users.manager.email, "manager-password-1");
    const otherSession = await h.app.inject({ method: "POST", ...target, cookies: admin.cookies, headers: { "x-csrf-token": manager.token } });
    assert.equal(otherSession.statusCode, 403);
    const cross = await h.app.inject({ method: "POST", ...target, cookies: admin.cookies, headers: { ...admin.headers, origin: sibling } });
    assert.equal(cross.statusCode, 403);
    assert.equal((await h.call("GET", "/api/settings/signature")).body.provider, before.provider, "nothing changed");
    // The same form as the page sends it: the hidden field, same origin.
    const own = await h.app.inject({ method: "POST", url: "/language", cookies: admin.cookies, headers: { origin: site }, payload: { lang: "en", _csrf: admin.token } });
    assert.equal(own.statusCode, 302);
  });

  test("the login form needs its token too (no login CSRF)", async () => {
    const res = await h.app.inject({ method: "POST", url: "/login", payload: { email: h.users.viewer.email, password: "viewer-password-1" } });
    assert.equal(res.statusCode, 403);
    assert.ok(!res.cookies.some((c) => c.name === "obrasign_session"));
  });

  test("every POST form on a page carries the token field", async () => {
    const pages = ["/login", "/settings/signature", "/monitor", "/account/totvs-sign", "/verify"];
    for (const url of pages) {
      const { page } = await openPage(h.app, url, admin.cookies);
      const forms = page.body.match(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g) ?? [];
      assert.ok(forms.length > 0, url);
      for (const form of forms) assert.ok(form.includes('name="_csrf"') || /action="[^"]*[?&]_csrf=/.test(form), `${url}: ${form.slice(0, 120)}`);
    }
  });
});

describe("security headers and caching", () => {
  test("CSP, frame-ancestors, nosniff, no-referrer on pages and API; HSTS only over https", async () => {
    for (const url of ["/login", "/api/me", "/health"]) {
      const res = await h.app.inject({ method: "GET", url, cookies: admin.cookies });
      const csp = String(res.headers["content-security-policy"]);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers["x-frame-options"], "DENY", url);
      assert.equal(res.headers["x-content-type-options"], "nosniff", url);
      assert.equal(res.headers["referrer-policy"], "no-referrer", url);
      assert.equal(res.headers["strict-transport-security"], undefined, `${url}: no HSTS over http`);
    }
    const unauthenticated = await h.app.inject({ method: "GET", url: "/api/users" });
    assert.equal(unauthenticated.statusCode, 401);
    assert.equal(unauthenticated.headers["x-content-type-options"], "nosniff", "even the 401 carries the headers");
  });

  test("no inline script on any page", async () => {
    for (const url of ["/login", "/settings/signature", "/monitor", "/verify", "/projects"]) {
      const { page } = await openPage(h.app, url, admin.cookies);
      for (const tag of page.body.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /src="\/assets\//, `${url}: ${tag}`);
      assert.doesNotMatch(page.body, /\son(click|change|submit|load|input)=/i, url);
    }
  });

  test("authenticated pages and the API are not stored by caches; the static assets are", async () => {
    for (const url of ["/settings/signature", "/outbox", "/api/me", "/api/outbox"]) {
      const res = await h.app.inject({ method: "GET", url, cookies: admin.cookies });
      assert.equal(res.headers["cache-control"], "no-store", url);
    }
    const signing = await h.app.inject({ method: "GET", url: "/api/signing/sig_unknown" });
    assert.match(String(signing.headers["cache-control"]), /no-store/);
    for (const url of ["/assets/app.css", "/assets/app.js", "/assets/htmx.min.js", "/assets/sign.js"]) {
      const res = await h.app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers["cache-control"]), /^public/, url);
    }
  });
});
