import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createHttpServer, openRuntime, type Runtime } from "../../src/app.js";
import { purgeThrottleCounters } from "../../src/platform/throttle/index.js";
import { createSharedRateLimiter } from "../../src/platform/throttle/index.js";
import { openPage } from "../support/page-session.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { samplePdf } from "../support/pdfs.js";
import { linkIn, startTestSmtp } from "../support/smtp.js";

let h: Harness;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
before(async () => {
  smtp = await startTestSmtp();
  // The login and resend defaults (5 failures per e-mail, locks of 1, 5, 15 min; 3 resends an hour);
  // small per-address limits to reach them quickly.
  h = await startHarness({ smtpUrl: smtp.url, publicUrl: "http://obrasign.test", throttle: { login: { maxFailuresPerAddress: 8 }, verify: { limit: 3, windowMs: 10 * 60_000 } } });
});
after(async () => {
  await h?.close();
  await smtp?.close();
});

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

/** An envelope of the built-in provider with one signer, sent; its id, the recipient's id and signing token. */
async function sentEnvelope(who: string) {
  const contract = await makeContract(h);
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Rita", email: who, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await h.drain();
  const token = linkIn(await smtp.waitFor(who, (m) => linkIn(m) !== null))!;
  const envelope = (await h.call("GET", `/api/envelopes/${created.body.id}`)).body;
  return { id: created.body.id as string, recipientId: envelope.recipients[0].id as string, token };
}

describe("the same throttle on resends, codes, verification and the provider's pace", () => {
  test("/api/verify beyond its limit per address is 429 with Retry-After; the /verify page says it in Portuguese; another address goes on", async () => {
    const junk = multipart([{ name: "file", filename: "x.pdf", bytes: Buffer.from("not a pdf") }]);
    const verify = (address: string, language = "en") =>
      h.app.inject({ method: "POST", url: "/api/verify", remoteAddress: address, payload: junk.payload, headers: { ...junk.headers, "accept-language": language } });
    for (let i = 0; i < 3; i++) assert.notEqual((await verify("198.51.100.20")).statusCode, 429);
    const refused = await verify("198.51.100.20");
    assert.equal(refused.statusCode, 429);
    assert.equal(JSON.parse(refused.body).error.code, "rate_limited");
    assert.match(JSON.parse(refused.body).error.message, /Too many verifications from this address/);
    assert.ok(retryAfter(refused) > 0 && retryAfter(refused) <= 600, `Retry-After ${refused.headers["retry-after"]}`);
    assert.match(JSON.parse((await verify("198.51.100.20", "pt-BR")).body).error.message, /Muitas verificações/);

    const visitor = await openPage(h.app, "/verify");
    const page = await h.app.inject({
      method: "POST", url: "/verify", remoteAddress: "198.51.100.20", payload: junk.payload, cookies: visitor.cookies,
      headers: { ...junk.headers, ...visitor.headers, "accept-language": "pt-BR" },
    });
    assert.equal(page.statusCode, 429);
    assert.ok(retryAfter(page) > 0);
    assert.match(page.body, /Muitas verificações a partir deste endereço/);

    assert.notEqual((await verify("198.51.100.21")).statusCode, 429, "another address has its own count");
    h.clock.advance(10 * 60_000 + 1000);
    assert.notEqual((await verify("198.51.100.20")).statusCode, 429, "the window ends");
  });

  test("'Reenviar convite' to a recipient: 3 an hour, through the API and the envelope page's button", async () => {
    const { id, recipientId } = await sentEnvelope("reenvio@example.com");
    const resend = () => h.call("POST", `/api/envelopes/${id}/recipients/${recipientId}/resend`, undefined, "manager");
    for (let i = 0; i < 3; i++) assert.equal((await resend()).status, 200);
    const refused = await resend();
    assert.equal(refused.status, 429);
    assert.match(refused.body.error.message, /sent again 3 times/);
    assert.ok(retryAfter(refused.raw) > 3000 && retryAfter(refused.raw) <= 3600);

    const manager = await loginForm(h.app, "198.51.100.30");
    const session = (await manager(h.users.manager.email, "manager-password-1")).cookies.find((c) => c.name === "obrasign_session")!.value;
    const envelopePage = await openPage(h.app, `/monitor/envelopes/${id}`, { obrasign_session: session });
    const button = await h.app.inject({
      method: "POST", url: `/monitor/envelopes/${id}/recipients/${recipientId}/resend`, cookies: envelopePage.cookies,
      headers: { ...envelopePage.headers, "accept-language": "pt-BR" }, payload: { _csrf: envelopePage.token },
    });
    assert.equal(button.statusCode, 429);
    assert.ok(retryAfter(button) > 0);
    assert.match(button.body, /O convite já foi reenviado 3 vezes há pouco/);

    h.clock.advance(61 * 60_000);
    assert.equal((await resend()).status, 200, "the next hour allows again");
  });

  test("a user's invitation: 3 an hour, the refusal inline on the users page", async () => {
    const admin = await loginForm(h.app, "198.51.100.31");
    const session = (await admin(h.users.admin.email, "admin-password-1")).cookies.find((c) => c.name === "obrasign_session")!.value;
    const page = await openPage(h.app, "/settings/users", { obrasign_session: session });
    const post = (url: string, payload: Record<string, string>) =>
      h.app.inject({ method: "POST", url, cookies: page.cookies, headers: { ...page.headers, "accept-language": "pt-BR" }, payload: { ...payload, _csrf: page.token } });
    assert.equal((await post("/settings/users", { name: "Convidada", email: "convidada@example.com", role: "viewer", access: "invitation" })).statusCode, 201);
    const user = (await h.call("GET", "/api/users")).body.items.find((u: { email: string }) => u.email === "convidada@example.com");
    assert.equal((await post(`/settings/users/${user.id}`, { do: "invite" })).statusCode, 200);
    assert.equal((await post(`/settings/users/${user.id}`, { do: "invite" })).statusCode, 200);
    const refused = await post(`/settings/users/${user.id}`, { do: "invite" });
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /O convite já foi reenviado 3 vezes há pouco/);
  });

  test("signing codes keep 1 per 30 s and 5 per hour per recipient, counted across two instances", async () => {
    const { token } = await sentEnvelope("codigos@example.com");
    const second: Runtime = await openRuntime(h.runtime.ctx.config, { clock: h.clock });
    const otherApp = await createHttpServer(second.ctx);
    try {
      const ask = (app: FastifyInstance) => app.inject({ method: "POST", url: `/api/signing/${token}/code`, headers: { "accept-language": "en" } });
      assert.equal((await ask(h.app)).statusCode, 200);
      const tooSoon = await ask(otherApp);
      assert.equal(tooSoon.statusCode, 429, "the other instance knows a code was just sent");
      assert.equal(retryAfter(tooSoon), 30);
      for (let i = 0; i < 4; i++) {
        h.clock.advance(31_000);
        assert.equal((await ask(i % 2 ? h.app : otherApp)).statusCode, 200);
      }
      h.clock.advance(31_000);
      const sixth = await ask(otherApp);
      assert.equal(sixth.statusCode, 429);
      assert.match(JSON.parse(sixth.body).error.message, /Too many codes requested/);
      assert.ok(retryAfter(sixth) > 30 && retryAfter(sixth) <= 3600 - 5 * 31, `Retry-After ${sixth.headers["retry-after"]}`);
      h.clock.advance(retryAfter(sixth) * 1000);
      assert.equal((await ask(h.app)).statusCode, 200, "after the hour");
    } finally {
      await otherApp.close();
      await second.close();
    }
  });

  test("the provider's pace is one for the installation: two workers' slots never come closer than the interval", async () => {
    const second: Runtime = await openRuntime(h.runtime.ctx.config, { clock: h.clock });
    try {
      // 10 calls a second = one slot every 100 ms, whichever process takes it.
      const one = createSharedRateLimiter(h.runtime.ctx.db, "test-pace", 10);
      const two = createSharedRateLimiter(second.ctx.db, "test-pace", 10);
      const slots = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).reserve()));
      const sorted = [...slots].sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((at, i) => at - sorted[i]!);
      assert.ok(gaps.every((gap) => gap >= 100), `gaps ${gaps.join(", ")}`);
      assert.ok(sorted[sorted.length - 1]! - sorted[0]! >= 29 * 100, "30 calls take 29 intervals, not 29 per worker / 2");
    } finally {
      await second.close();
    }
  });
});
