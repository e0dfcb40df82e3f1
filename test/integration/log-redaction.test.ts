import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { redactLine } from "../../src/platform/log.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { signInByForm } from "../support/page-session.js";
import { samplePdf } from "../support/pdfs.js";
import { linkIn, codeIn, startTestSmtp } from "../support/smtp.js";

/** At LOG_LEVEL=debug (one line per request), no signing token, API token, session secret or code reaches a log line. */
let h: Harness;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
const lines: string[] = [];
before(async () => {
  smtp = await startTestSmtp();
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  h = await startHarness({ smtpUrl: smtp.url, publicUrl: "http://obrasign.test" }, { logDestination: sink });
});
after(async () => {
  await h?.close();
  await smtp?.close();
});


test("a whole signing, sign-in and webhook call at debug level leave no secret in the logs", async () => {
  const contract = await makeContract(h);
  const email = "rita.logs@example.com";
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Rita", email, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(created.status, 201);
  await h.drain();
  const token = linkIn(await smtp.waitFor(email, (m) => linkIn(m) !== null))!;
  assert.equal((await h.app.inject({ method: "GET", url: `/sign/${token}` })).statusCode, 200);
  assert.equal((await h.call("GET", `/api/signing/${token}`, undefined, null)).status, 200);
  assert.equal((await h.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 200);
  await h.drain();
  const code = codeIn(await smtp.waitFor(email, (m) => /código/i.test(m.subject ?? "")))!;
  const wrong = code === "000000" ? "111111" : "000000";
  await h.call("POST", `/api/signing/${token}/sign`, { code: wrong, consent: true, signature: { type: "typed", value: "Rita" } }, null);
  const signed = await h.call("POST", `/api/signing/${token}/sign`, { code, consent: true, signature: { type: "typed", value: "Rita" } }, null);
  assert.equal(signed.status, 200);
  await h.drain();
  const browser = await signInByForm(h.app, h.users.admin.email, "admin-password-1");
  const webhook = (await h.call("GET", "/api/settings/totvs-sign-webhook")).body;
  await h.app.inject({ method: "POST", url: `${new URL(webhook.url).pathname}?secret=${webhook.secret}`, payload: "{}" });

  const all = lines.join("");
  assert.ok(all.includes("sig_[redacted]"), "the request lines were written, with the token redacted");
  const secrets = { token, code, wrong, apiToken: h.tokens.manager, session: browser.cookies.obrasign_session!, csrf: browser.token, webhookSecret: webhook.secret };
  // Codes as numbers of their own (a response time's digits may hold "000000" by chance).
  const leaks = (value: string) => (/^\d+$/.test(value) ? new RegExp(`(?<![\\d.])${value}(?![\\d.])`).test(all) : all.includes(value));
  for (const [name, value] of Object.entries(secrets)) assert.ok(!leaks(value), `${name} leaked into the logs: ${lines.find((l) => l.includes(value))}`);
});

test("the line rules: tokens anywhere, query secrets, codes beside their word", () => {
  assert.equal(redactLine('{"url":"/api/signing/sig_abcdefghijklmnopqrstuvwxyz/code"}'), '{"url":"/api/signing/sig_[redacted]/code"}');
  assert.equal(redactLine('{"msg":"Bearer obs_AAAAAAAAAAAAAAAAAAAAAAAA"}'), '{"msg":"Bearer obs_[redacted]"}');
  assert.equal(redactLine('{"url":"/hook?secret=abc&x=1"}'), '{"url":"/hook?secret=[redacted]&x=1"}');
  assert.equal(redactLine('{"body":{"code":"123456"}}'), '{"body":{"code":"[redacted]"}}');
  assert.equal(redactLine('{"err":"Seu código: 123456"}'), '{"err":"Seu código: [redacted]"}');
  assert.equal(redactLine('{"pid":123456,"hostname":"x"}'), '{"pid":123456,"hostname":"x"}');
});
