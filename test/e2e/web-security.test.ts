import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { eventually, launchChromium, linkIn, logIn, newContext, startE2eServer, type E2eServer } from "./support.js";

/**
 * Decision 012 in Chromium: a page on another origin of the same host (another
 * port of 127.0.0.1: same site, so SameSite=Lax sends the session cookie)
 * cannot create a user or rotate the webhook secret; the app's own pages,
 * htmx included, still work; and no page breaks its Content-Security-Policy.
 */

let server: E2eServer;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;
let context: BrowserContext;
const login = { email: /^E-mail$/, password: /^Senha$/, submit: /^Entrar$/ };

/** Another intranet app: its pages post to obrasign with the visitor's cookie, as the review did. */
function attackerPages(target: string) {
  const pages: Record<string, string> = {
    "/form": `<form id="f" method="post" action="${target}/api/users">
        <input name="email" value="intrusa@evil.test"><input name="name" value="Intrusa"><input name="role" value="admin"><input name="password" value="chosen-by-attacker">
      </form><script>document.getElementById("f").submit()</script>`,
    "/fetch": `<script>
        Promise.allSettled([
          fetch("${target}/api/settings/totvs-sign-webhook/rotate", { method: "POST", mode: "no-cors", credentials: "include" }),
          fetch("${target}/api/users", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" },
            body: JSON.stringify({ email: "intrusa2@evil.test", name: "Intrusa", role: "admin", password: "chosen-by-attacker" }) }),
        ]).then(() => { document.title = "done"; });
      </script>`,
    "/page-form": `<form id="f" method="post" action="${target}/settings/signature"><input name="provider" value="totvs-sign"></form>
      <script>document.getElementById("f").submit()</script>`,
  };
  return createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>intranet</title></head><body>${pages[req.url ?? ""] ?? ""}</body></html>`);
  });
}

before(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
  attacker = attackerPages(server.url);
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
  context = await newContext(browser, server);
  const page = await context.newPage();
  await logIn(page, server, "admin", login);
  await page.close();
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

const userEmails = async () => (await server.runtime.ctx.db.selectFrom("users").select("email").execute()).map((u) => u.email);

describe("a page on another origin of the same host", () => {
  test("cannot create a user, rotate the webhook secret or post a page form", async () => {
    const secretBefore = (await server.api.call("POST", "/api/settings/totvs-sign-webhook/rotate")).body.secret;
    const providerBefore = (await server.api.call("GET", "/api/settings/signature")).body.provider;
    const page = await context.newPage();
    // The browser does send the cookie to the other port (same site): this is what the defences must stop.
    assert.ok((await context.cookies(server.url)).some((c) => c.name === "obrasign_session" && c.sameSite === "Lax"));

    const formAnswer = page.waitForResponse((r) => r.url() === `${server.url}/api/users`);
    await page.goto(`${attackerUrl}/form`);
    assert.equal((await formAnswer).status(), 415);

    await page.goto(`${attackerUrl}/fetch`);
    await page.waitForFunction(() => document.title === "done");

    const pageAnswer = page.waitForResponse((r) => r.url() === `${server.url}/settings/signature` && r.request().method() === "POST");
    await page.goto(`${attackerUrl}/page-form`);
    assert.equal((await pageAnswer).status(), 403);

    const emails = await userEmails();
    assert.ok(!emails.includes("intrusa@evil.test") && !emails.includes("intrusa2@evil.test"), emails.join(", "));
    assert.equal((await server.api.call("GET", "/api/settings/totvs-sign-webhook")).body.secret, secretBefore, "the secret did not change");
    assert.equal((await server.api.call("GET", "/api/settings/signature")).body.provider, providerBefore);
    await page.close();
  });
});

/** Collects every CSP violation a page reports, by event and on the console. */
async function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to: CSP ${e.violatedDirective} ${e.blockedURI}`));
  });
  return violations;
}

describe("the app's own pages", () => {
  test("htmx posts work (token in the header), plain forms work (hidden field), and no page breaks the CSP", async () => {
    const contract = await makeContract(server.api);
    const envelope = await server.api.upload("/api/envelopes", [
      { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato CSP", recipients: [{ name: "Sara Signatária", email: "sara.csp@example.com", action: "sign" }] }) },
      { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
    ], "manager");
    assert.equal(envelope.status, 201, JSON.stringify(envelope.body));
    const link = linkIn(await server.smtp.waitFor("sara.csp@example.com", (m) => linkIn(m) !== null, 30_000))!;

    const page = await context.newPage();
    const violations = await watchCsp(page);
    const pages = [
      "/projects", `/projects/${contract.projectId}`, `/records/contracts/${contract.id}`, `/records/contracts/${contract.id}/send`,
      "/monitor", `/monitor/envelopes/${envelope.body.id}`, "/outbox", "/settings/signature", `/projects/${contract.projectId}/signature-settings`,
      "/account/totvs-sign", "/verify", "/docs", new URL(link).pathname,
    ];
    for (const url of pages) {
      const res = await page.goto(url);
      assert.ok(res && res.status() < 400, `${url} → ${res?.status()}`);
      await page.waitForLoadState("load");
    }
    // The signing page's script is a served file: it runs (the code button answers).
    await page.getByRole("button", { name: /^Enviar código para/ }).click();
    await page.getByText(/Código enviado/).waitFor();

    // htmx: "Adicionar critério" posts the form and swaps the block in.
    await page.goto(`/projects/${contract.projectId}/signature-settings`);
    const criteria = page.locator("[id$='-criteria-block']").first();
    const before = await criteria.locator("select, input").count();
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/signature-settings"));
    await page.getByRole("button", { name: "Adicionar critério" }).first().click();
    const answer = await posted;
    assert.equal(answer.status(), 200);
    assert.ok(answer.request().headers()["x-csrf-token"], "htmx sent the token header");
    await eventually(async () => (await criteria.locator("select, input").count()) > before, "a new criterion row");

    // A plain form with the hidden field and the language switch (a data-autosubmit select, no inline handler).
    await page.goto("/projects");
    await Promise.all([page.waitForURL(/\/projects$/), page.locator("#lang").selectOption("en")]);
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.locator("#lang").selectOption("pt-BR");
    await page.getByRole("heading", { name: "Projetos" }).waitFor();

    assert.deepEqual(violations, []);
    await page.close();
  });
});
