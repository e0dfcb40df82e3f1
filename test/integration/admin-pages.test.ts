import assert from "node:assert/strict";
import { openPage } from "../support/page-session.js";
/** Page POSTs carry the CSRF cookie and token a browser would have (decision 012). */
async function inject(options: any): Promise<import("fastify").LightMyRequestResponse> {
  if (options.method !== "POST") return h.app.inject(options);
  const browser = await openPage(h.app, "/login", options.cookies ?? {});
  return h.app.inject({ ...options, cookies: browser.cookies, headers: { ...(options.headers ?? {}), ...browser.headers } });
}
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { makeContract } from "../support/factories.js";

let h: Harness;
const sessions = {} as Record<Role, string>;

before(async () => {
  h = await startHarness();
  for (const role of ["admin", "manager", "viewer"] as const) sessions[role] = await signIn(`${role}@obrasign.test`, `${role}-password-1`);
});
after(async () => { await h?.close(); });

async function signIn(email: string, password: string): Promise<string> {
  const res = await inject({ method: "POST", url: "/login", payload: { email, password } });
  const cookie = res.cookies.find((c) => c.name === "obrasign_session");
  assert.ok(cookie, `${email} signs in (${res.statusCode})`);
  return cookie.value;
}

const html = { accept: "text/html,application/xhtml+xml", "accept-language": "pt-BR" };
const page = (url: string, session: string, headers: Record<string, string> = html) => inject({ method: "GET", url, headers, cookies: { obrasign_session: session } });
const post = (url: string, payload: Record<string, string>, session: string) => inject({ method: "POST", url, payload, headers: html, cookies: { obrasign_session: session } });
const text = (body: string) => body.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

describe("administration pages", () => {
  test("an admin invites a manager; the link signs them in once; they set a password at /account and sign in with it", async () => {
    const email = `gestora.${Date.now()}@example.com`;
    const created = await post("/settings/users", { name: "Gestora Nova", email, role: "manager", access: "invitation" }, sessions.admin);
    assert.equal(created.statusCode, 201, text(created.body).slice(0, 600));
    const link = /\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(created.body)?.[0] ?? assert.fail("the page shows the invitation link");
    assert.match(text(created.body), new RegExp(`Convite enviado para ${email.replace(/\./g, "\\.")}`));
    const mail = await h.runtime.ctx.db.selectFrom("mails").selectAll().where("to_address", "=", email).executeTakeFirstOrThrow();
    assert.ok(mail.text_body.includes(link), "the invitation goes by mail");
    assert.equal(mail.subject, "Convite para o obrasign");

    const accepted = await inject({ method: "GET", url: link, headers: html });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, "/account?welcome=1");
    const session = accepted.cookies.find((c) => c.name === "obrasign_session")!.value;
    const again = await inject({ method: "GET", url: link, headers: html });
    assert.equal(again.statusCode, 404);
    assert.match(again.headers["content-type"] as string, /text\/html/);
    assert.match(text(again.body), /Este convite não é válido ou já foi usado/);

    const account = await page("/account", session);
    assert.equal(account.statusCode, 200);
    assert.match(text(account.body), /Defina uma senha/);
    assert.doesNotMatch(account.body, /name="current"/, "no current password to give yet");
    const mismatch = await post("/account/password", { password: "senha-nova-123", confirm: "outra-coisa" }, session);
    assert.equal(mismatch.statusCode, 400);
    assert.match(text(mismatch.body), /as duas senhas não são iguais/);
    const changed = await post("/account/password", { password: "senha-nova-123", confirm: "senha-nova-123" }, session);
    assert.equal(changed.statusCode, 303);
    await signIn(email, "senha-nova-123");

    const withPassword = await page("/account", changed.cookies.find((c) => c.name === "obrasign_session")!.value);
    assert.match(withPassword.body, /name="current"/, "now the current password is asked");
  });

  test("a one-time password, a reset and a role change from the users page", async () => {
    const email = `consulta.${Date.now()}@example.com`;
    const created = await post("/settings/users", { name: "Consulta", email, role: "viewer", access: "password" }, sessions.admin);
    assert.equal(created.statusCode, 201);
    const password = /Senha provisória de [^:]+: (\S+)/.exec(text(created.body))?.[1] ?? assert.fail("the one-time password is shown");
    await signIn(email, password);
    const user = (await h.call("GET", "/api/users")).body.items.find((u: { email: string }) => u.email === email);
    const reset = await post(`/settings/users/${user.id}`, { do: "reset" }, sessions.admin);
    const newPassword = /Senha provisória de [^:]+: (\S+)/.exec(text(reset.body))?.[1] ?? assert.fail("the new password is shown");
    assert.notEqual(newPassword, password);
    await signIn(email, newPassword);
    const role = await post(`/settings/users/${user.id}`, { do: "role", role: "manager" }, sessions.admin);
    assert.equal(role.statusCode, 303);
    assert.equal((await h.call("GET", `/api/users/${user.id}`)).body.role, "manager");
    const duplicate = await post("/settings/users", { name: "Outra", email, role: "viewer", access: "password" }, sessions.admin);
    assert.equal(duplicate.statusCode, 409);
    assert.match(text(duplicate.body), /Já existe um usuário com o e-mail/);
  });

  test("an API token created on its page is shown once, works, and stops working when revoked", async () => {
    const created = await post("/settings/tokens", { email: h.users.manager.email, name: "ERP Obra" }, sessions.admin);
    assert.equal(created.statusCode, 201);
    const token = /id="new-token">(obs_[^<]+)</.exec(created.body)?.[1] ?? assert.fail("the token is shown");
    const api = (t: string) => inject({ method: "GET", url: "/api/projects", headers: { authorization: `Bearer ${t}` } });
    assert.equal((await api(token)).statusCode, 200);
    const listed = await page("/settings/tokens", sessions.admin);
    assert.doesNotMatch(listed.body, new RegExp(token), "never shown again");
    const id = /action="\/settings\/tokens\/([0-9a-f-]{36})\/revoke"/.exec(listed.body)?.[1] ?? assert.fail("a revoke form");
    assert.equal((await post(`/settings/tokens/${id}/revoke`, {}, sessions.admin)).statusCode, 303);
    assert.equal((await api(token)).statusCode, 401);
  });

  test("a viewer meets a page saying access is denied, in Portuguese, not JSON", async () => {
    for (const url of ["/settings/users", "/settings/tokens"]) {
      const res = await page(url, sessions.viewer);
      assert.equal(res.statusCode, 403, url);
      assert.match(res.headers["content-type"] as string, /text\/html/);
      assert.match(text(res.body), /Acesso negado/);
    }
  });
});

describe("webhooks page", () => {
  test("a webhook created on its page receives a signed delivery, shown in its log", async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => { received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }); res.end("ok"); });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    h.runtime.ctx.config.webhooksAllowPrivate = true;
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const form = `url=${encodeURIComponent(url)}&events=envelope.cancelled&events=envelope.sent`;
      const created = await inject({ method: "POST", url: "/settings/webhooks", payload: form, headers: { ...html, "content-type": "application/x-www-form-urlencoded" }, cookies: { obrasign_session: sessions.admin } });
      assert.equal(created.statusCode, 201, text(created.body).slice(0, 500));
      const secret = /id="new-secret">(whsec_[^<]+)</.exec(created.body)?.[1] ?? assert.fail("the secret is shown once");
      const none = await post("/settings/webhooks", { url: "ftp://x", events: "envelope.sent" }, sessions.admin);
      assert.equal(none.statusCode, 400);
      assert.match(text(none.body), /deve ser um endereço completo|deve usar https/);

      const contract = await makeContract(h);
      const envelope = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, name: "Contrato", source: "report", recipients: [{ name: "Ana", email: `ana.${Date.now()}@example.com`, action: "sign" }] });
      assert.equal(envelope.status, 201, JSON.stringify(envelope.body));
      await h.drain();
      assert.equal((await h.call("DELETE", `/api/envelopes/${envelope.body.id}`)).status, 200);
      await h.drain();
      const cancelled = received.find((r) => r.body.includes("envelope.cancelled")) ?? assert.fail(`a delivery of envelope.cancelled (${received.length} received)`);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(cancelled.headers["x-obrasign-signature"])) ?? assert.fail("signed");
      assert.equal(v1, createHmac("sha256", secret).update(`${t}.${cancelled.body}`).digest("hex"));

      const list = await page("/settings/webhooks", sessions.admin);
      const id = /href="\/settings\/webhooks\/([0-9a-f-]{36})"/.exec(list.body)?.[1] ?? assert.fail("a link to the delivery log");
      assert.match(text(list.body), /Envelope cancelado; Envelope enviado/);
      const log = await page(`/settings/webhooks/${id}`, sessions.admin);
      assert.match(text(log.body), /Envelope cancelado .* Entregue/);
      const deliveryId = /deliveries\/([0-9a-f-]{36})\/redeliver/.exec(log.body)?.[1] ?? assert.fail("a redeliver button");
      const again = await post(`/settings/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {}, sessions.admin);
      assert.equal(again.statusCode, 303);
      await h.drain();
      assert.ok(received.filter((r) => r.body.includes("envelope.cancelled")).length >= 2, "delivered again");
    } finally {
      h.runtime.ctx.config.webhooksAllowPrivate = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("error pages", () => {
  test("a browser gets an HTML page in its language; the API keeps JSON, in the reader's language too", async () => {
    const missing = await page("/nothing/here", sessions.manager);
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers["content-type"] as string, /text\/html/);
    assert.match(text(missing.body), /Página não encontrada/);
    const english = await page("/nothing/here", sessions.manager, { accept: "text/html", "accept-language": "en" });
    assert.match(text(english.body), /Page not found/);
    const api = await inject({ method: "GET", url: "/api/nothing", headers: { authorization: `Bearer ${h.tokens.manager}`, "accept-language": "en" } });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, "not_found");
    assert.match(api.json().error.message, /No route GET \/api\/nothing/);
    const pt = await inject({ method: "GET", url: "/api/nothing", headers: { authorization: `Bearer ${h.tokens.manager}` } });
    assert.equal(pt.json().error.message, "Página não encontrada: GET /api/nothing", "pt-BR first when no language is named");
    const signedOut = await inject({ method: "GET", url: "/outbox", headers: html });
    assert.equal(signedOut.statusCode, 302);
  });

  test("an API client naming Portuguese reads validation errors in Portuguese", async () => {
    const res = await inject({ method: "POST", url: "/api/users", payload: { email: "not-an-email", name: "X", role: "viewer" }, headers: { authorization: `Bearer ${h.tokens.admin}`, "accept-language": "pt-BR" } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.fields.email, "deve ser um endereço de e-mail válido");
    const en = await h.call("POST", "/api/users", { email: "not-an-email", name: "X", role: "viewer" });
    assert.equal(en.body.error.fields.email, "must be a valid e-mail address");
  });
});

/** Words that mean a page left English on a Portuguese screen. */
const englishPhrases = [
  /\bnot found\b/i, /\bmust be\b/, /\bis required\b/, /\bWrong code\b/, /\bSign in\b/, /\bSettings\b/, /\bSave\b/, /\bCancel\b/, /\bSubmit\b/,
  /\bUsers\b/, /\bPassword\b/, /\bCreated\b/, /\bRevoke\b/, /\bError\b/, /\bCannot\b/, /\bThe file\b/, /\btries left\b/, /\bAsk for a code\b/,
];

test("every page read in pt-BR carries no known English phrase", async () => {
  const contract = await makeContract(h);
  const urls = [
    "/projects", `/projects/${contract.projectId}`, `/records/contracts/${contract.id}`, `/records/contracts/${contract.id}/send`, "/monitor", "/outbox",
    "/settings/signature", `/projects/${contract.projectId}/signature-settings`, "/settings/users", "/settings/tokens", "/settings/webhooks", "/settings/company", "/settings/seal", "/account", "/account/totvs-sign",
    "/verify", "/nothing/here",
  ];
  const problems: string[] = [];
  for (const url of urls) {
    const res = await page(url, sessions.admin);
    if (res.statusCode !== (url === "/nothing/here" ? 404 : 200)) problems.push(`${url}: ${res.statusCode}`);
    // The language switch offers "English" by name and the API docs link says "API": both are meant.
    const words = text(res.body.replace(/<option value="en"[^>]*>English<\/option>/g, ""));
    for (const phrase of englishPhrases) if (phrase.test(words)) problems.push(`${url}: ${phrase} in “${words.slice(Math.max(0, words.search(phrase) - 40), words.search(phrase) + 40)}”`);
  }
  const login = await inject({ method: "GET", url: "/login", headers: html });
  for (const phrase of englishPhrases) if (phrase.test(text(login.body))) problems.push(`/login: ${phrase}`);
  assert.deepEqual(problems, []);
});
