import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createHttpServer, openRuntime, type Runtime } from "../../src/app.js";
import { purgeThrottleCounters } from "../../src/platform/throttle/index.js";
import { openPage } from "../support/page-session.js";
import { startHarness, type Harness } from "../support/harness.js";

let h: Harness;
before(async () => {
  // The login defaults (5 failures per e-mail, locks of 1, 5, 15 min); a small per-address limit to reach it quickly.
  h = await startHarness({ throttle: { login: { maxFailuresPerAddress: 8 } } });
});
after(async () => h?.close());

/** One browser at one client address posting the login form. */
async function loginForm(app: FastifyInstance, address: string) {
  const anonymous = await openPage(app, "/login");
  return (email: string, password: string) =>
    app.inject({
      method: "POST", url: "/login", remoteAddress: address, cookies: anonymous.cookies, headers: { "accept-language": "pt-BR" },
      payload: { email, password, _csrf: anonymous.token },
    });
}

const signedIn = (res: { statusCode: number; cookies: { name: string }[] }) => res.statusCode === 302 && res.cookies.some((c) => c.name === "obrasign_session");
const retryAfter = (res: { headers: Record<string, unknown> }) => Number(res.headers["retry-after"]);

describe("login throttle", () => {
  test("400 wrong passwords in a row: refused with 429 from the 5th, the right one too during the lock; the admin's unlock lets it in", async () => {
    const post = await loginForm(h.app, "198.51.100.1");
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) statuses.push((await post(h.users.manager.email, `wrong-${i}`)).statusCode);
    assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
    assert.ok(statuses.slice(4).every((s) => s === 429), "every try from the 5th on is refused");

    const right = await post(h.users.manager.email, "manager-password-1");
    assert.equal(right.statusCode, 429, "the right password is refused while locked");
    assert.ok(!right.cookies.some((c) => c.name === "obrasign_session"));
    assert.ok(retryAfter(right) > 0 && retryAfter(right) <= 60, `Retry-After ${right.headers["retry-after"]}`);
    assert.match(right.body, /Muitas tentativas de entrar sem sucesso/);
    assert.match(right.body, /tente de novo em 1 min/);

    assert.equal((await h.call("POST", `/api/users/${h.users.manager.id}/unlock`, undefined, "manager")).status, 403, "only who manages users unlocks");
    const unlocked = await h.call("POST", `/api/users/${h.users.manager.id}/unlock`);
    assert.equal(unlocked.status, 200);
    assert.deepEqual(unlocked.body, { id: h.users.manager.id, email: h.users.manager.email, unlocked: true });
    assert.ok(signedIn(await post(h.users.manager.email, "manager-password-1")), "after the unlock the right password works");
  });

  test("the lock grows 1, 5, 15 min; it ends by itself; a success forgets the failures", async () => {
    const post = await loginForm(h.app, "198.51.100.2");
    const email = h.users.viewer.email;
    for (let i = 0; i < 4; i++) assert.equal((await post(email, "wrong")).statusCode, 401);
    const first = await post(email, "wrong");
    assert.equal(first.statusCode, 429);
    assert.equal(retryAfter(first), 60);

    h.clock.advance(61_000);
    const second = await post(email, "wrong");
    assert.equal(second.statusCode, 429, "one more wrong password after the lock locks again");
    assert.equal(retryAfter(second), 300);

    h.clock.advance(301_000);
    const third = await post(email, "wrong");
    assert.equal(retryAfter(third), 900);

    h.clock.advance(901_000);
    assert.ok(signedIn(await post(email, "viewer-password-1")), "the lock ends by itself");
    for (let i = 0; i < 4; i++) assert.equal((await post(email, "wrong")).statusCode, 401, "the success forgot the earlier failures");
    assert.ok(signedIn(await post(email, "viewer-password-1")));
  });

  test("one address trying many e-mails is locked, for every e-mail; other addresses are not", async () => {
    const post = await loginForm(h.app, "203.0.113.9");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(`nobody-${i}@example.com`, "guess")).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 429]);
    assert.equal((await post(h.users.admin.email, "admin-password-1")).statusCode, 429, "the address is locked whatever the e-mail");
    const elsewhere = await loginForm(h.app, "203.0.113.10");
    assert.ok(signedIn(await elsewhere(h.users.admin.email, "admin-password-1")));
  });

  test("the users page shows a locked sign-in with an unlock button, in Portuguese", async () => {
    const post = await loginForm(h.app, "198.51.100.3");
    const user = (await h.call("POST", "/api/users", { email: "locked@obrasign.test", name: "Locked", role: "viewer", password: "locked-password-1" })).body;
    for (let i = 0; i < 5; i++) await post(user.email, "wrong");
    const admin = await loginForm(h.app, "198.51.100.4");
    const session = (await admin(h.users.admin.email, "admin-password-1")).cookies.find((c) => c.name === "obrasign_session")!.value;
    const page = await openPage(h.app, "/settings/users", { obrasign_session: session });
    assert.match(page.page.body, /Entrada bloqueada até/);
    assert.match(page.page.body, /value="unlock"/);
    const unlock = await h.app.inject({
      method: "POST", url: `/settings/users/${user.id}`, cookies: page.cookies, headers: { ...page.headers, "accept-language": "pt-BR" }, payload: { do: "unlock", _csrf: page.token },
    });
    assert.equal(unlock.statusCode, 200);
    assert.match(unlock.body, /Entrada de locked@obrasign.test desbloqueada/);
    assert.doesNotMatch(unlock.body, /Entrada bloqueada até/);
    assert.ok(signedIn(await post(user.email, "locked-password-1")));
  });

  test("two app instances on one database share the count", async () => {
    const second: Runtime = await openRuntime(h.runtime.ctx.config, { clock: h.clock });
    const otherApp = await createHttpServer(second.ctx);
    try {
      const one = await loginForm(h.app, "192.0.2.1");
      const two = await loginForm(otherApp, "192.0.2.1");
      const email = h.users.admin.email;
      const statuses = [];
      for (const post of [one, two, one, two, one, two]) statuses.push((await post(email, "wrong")).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
      assert.equal((await one(email, "admin-password-1")).statusCode, 429);
      assert.equal((await h.call("POST", `/api/users/${h.users.admin.id}/unlock`)).status, 200);
      assert.ok(signedIn(await two(email, "admin-password-1")), "the unlock on one instance holds on the other");
    } finally {
      await otherApp.close();
      await second.close();
    }
  });

  test("many wrong passwords at once on two instances: exactly the limit is evaluated before the lock", async () => {
    const second: Runtime = await openRuntime(h.runtime.ctx.config, { clock: h.clock });
    const otherApp = await createHttpServer(second.ctx);
    try {
      const user = (await h.call("POST", "/api/users", { email: "race@obrasign.test", name: "Race", role: "viewer", password: "race-password-1" })).body;
      const one = await loginForm(h.app, "192.0.2.2");
      const two = await loginForm(otherApp, "192.0.2.3");
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two)(user.email, `wrong-${i}`)));
      const counts = answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.statusCode]: (n[a.statusCode] ?? 0) + 1 }), {});
      assert.deepEqual(counts, { 401: 4, 429: 8 }, "each failure was counted once, none lost between the instances");
    } finally {
      await otherApp.close();
      await second.close();
    }
  });

  test("the purge forgets counters idle for 48 h; keys hold no e-mail or address in clear", async () => {
    const post = await loginForm(h.app, "198.51.100.5");
    const user = (await h.call("POST", "/api/users", { email: "purge@obrasign.test", name: "Purge", role: "viewer", password: "purge-password-1" })).body;
    await post(user.email, "wrong");
    const stored = await h.runtime.ctx.db.selectFrom("throttle_counters").select("key").execute();
    assert.ok(stored.length > 0);
    assert.ok(stored.every((row) => !row.key.includes("@") && !row.key.includes("198.51.100")), "no e-mail or address in clear in the keys");
    h.clock.advance(47 * 3600_000);
    assert.equal(await purgeThrottleCounters(h.runtime.ctx), 0, "nothing idle for 48 h yet");
    h.clock.advance(2 * 3600_000);
    assert.equal(await purgeThrottleCounters(h.runtime.ctx), stored.length);
    assert.equal((await h.runtime.ctx.db.selectFrom("throttle_counters").select("key").execute()).length, 0);
  });
});
