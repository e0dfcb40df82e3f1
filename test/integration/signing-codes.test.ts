import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { ParsedMail } from "mailparser";
import { createHttpServer } from "../../src/app.js";
import { parseTrustProxy } from "../../src/platform/config.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { linkIn, codeIn, startTestSmtp } from "../support/smtp.js";

/** The 5-try limit of a signing code holds under parallel tries (the review saw 16 of 50 compared on PostgreSQL). */
let h: Harness;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
before(async () => {
  smtp = await startTestSmtp();
  h = await startHarness({ smtpUrl: smtp.url, publicUrl: "http://obrasign.test" });
});
after(async () => {
  await h?.close();
  await smtp?.close();
});


async function recipientWithCode(email: string) {
  const contract = await makeContract(h);
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Rita", email, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await h.drain();
  const token = linkIn(await smtp.waitFor(email, (m) => linkIn(m) !== null))!;
  assert.equal((await h.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 200);
  await h.drain();
  const code = codeIn(await smtp.waitFor(email, (m) => /código/i.test(m.subject ?? "")))!;
  return { token, code };
}

test("50 parallel wrong codes: exactly 5 are compared, the rest are refused unread, and the right code is then refused too", async () => {
  const { token, code } = await recipientWithCode("rita.parallel@example.com");
  const wrong = code === "000000" ? "111111" : "000000";
  const sign = (c: string) => h.app.inject({ method: "POST", url: `/api/signing/${token}/sign`, headers: { "accept-language": "en" }, payload: { code: c, consent: true, signature: { type: "typed", value: "Rita" } } });
  const answers = await Promise.all(Array.from({ length: 50 }, () => sign(wrong)));
  const messages = answers.map((a) => JSON.parse(a.body).error.message as string);
  const compared = messages.filter((m) => m.startsWith("Wrong code")).length;
  const refused = messages.filter((m) => m.startsWith("Too many wrong tries")).length;
  assert.equal(compared, 5, messages.join("\n"));
  assert.equal(refused, 45);
  const row = await h.runtime.ctx.db.selectFrom("signing_codes").select("attempts").where("consumed_at", "is", null).executeTakeFirstOrThrow();
  assert.equal(Number(row.attempts), 5);
  const right = await sign(code);
  assert.equal(right.statusCode, 422, "the right code after the limit is refused");
});

test("the right code within the limit signs, after wrong ones", async () => {
  const { token, code } = await recipientWithCode("rita.later@example.com");
  const wrong = code === "000000" ? "111111" : "000000";
  for (let i = 0; i < 4; i++) {
    const res = await h.app.inject({ method: "POST", url: `/api/signing/${token}/sign`, headers: { "accept-language": "en" }, payload: { code: wrong, consent: true, signature: { type: "typed", value: "Rita" } } }).then((r) => ({ body: JSON.parse(r.body) }));
    assert.match(res.body.error.message, new RegExp(`Wrong code: ${4 - i} tr`));
  }
  const ok = await h.call("POST", `/api/signing/${token}/sign`, { code, consent: true, signature: { type: "typed", value: "Rita" } }, null);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test("evidence records the connection's address; a forwarded one only through a trusted proxy, with the chain", async () => {
  const sign = async (app: FastifyInstance, email: string) => {
    const { token, code } = await recipientWithCode(email);
    const res = await app.inject({
      method: "POST", url: `/api/signing/${token}/sign`, headers: { "x-forwarded-for": "203.0.113.77" },
      payload: { code, consent: true, signature: { type: "typed", value: "Rita" } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const row = await h.runtime.ctx.db.selectFrom("recipients").select("evidence").where("email", "=", email).executeTakeFirstOrThrow();
    return JSON.parse(String(row.evidence));
  };
  const direct = await sign(h.app, "rita.direct@example.com");
  assert.equal(direct.ip, "127.0.0.1", "X-Forwarded-For from anyone is not evidence");
  assert.equal(direct.forwardedChain, undefined);

  const { ctx } = h.runtime;
  ctx.config.trustProxy = ["127.0.0.1/8"];
  const behindProxy = await createHttpServer(ctx);
  try {
    const proxied = await sign(behindProxy, "rita.proxied@example.com");
    assert.equal(proxied.ip, "203.0.113.77");
    assert.deepEqual(proxied.forwardedChain, ["127.0.0.1", "203.0.113.77"]);
  } finally {
    ctx.config.trustProxy = false;
    await behindProxy.close();
  }
});

test("OBRASIGN_TRUST_PROXY: off by default, a hop count, or a list of addresses and CIDRs", () => {
  assert.equal(parseTrustProxy(undefined), false);
  assert.equal(parseTrustProxy("0"), false);
  assert.equal(parseTrustProxy("2"), 2);
  assert.deepEqual(parseTrustProxy("10.0.0.1, 192.168.0.0/16,loopback,::1,fd00::/8"), ["10.0.0.1", "192.168.0.0/16", "loopback", "::1", "fd00::/8"]);
  assert.throws(() => parseTrustProxy("true"), /OBRASIGN_TRUST_PROXY/);
  assert.throws(() => parseTrustProxy("proxy.example.com"), /OBRASIGN_TRUST_PROXY/);
});
