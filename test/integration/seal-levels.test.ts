import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as pkijs from "pkijs";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { opensslVerifyToken, startTestTsa, type TestTsa } from "../support/tsa.js";
import { lastSignatureParts, nssDbTrusting, pdfsig } from "../unit/signing/helpers.js";

let tsa: TestTsa;
before(async () => { tsa = await startTestTsa(); });
after(async () => { await tsa?.close(); });

async function completeEnvelope(h: Harness): Promise<string> {
  const contract = await makeContract(h);
  const email = `sol.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Carimbo", recipients: [{ name: "Sol", email, action: "sign" }] }) },
    { name: "file", filename: "a.pdf", bytes: await samplePdf() },
  ]);
  await h.drain();
  const mail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items[0];
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1];
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  await h.drain();
  const codeMail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items.find((m: any) => /código/i.test(m.subject));
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Sol" } }, null)).status, 200);
  await h.drain();
  return created.body.id;
}

async function signedFile(h: Harness, id: string): Promise<Uint8Array> {
  const res = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.admin}` } });
  assert.equal(res.statusCode, 200, res.body);
  return new Uint8Array(res.rawPayload);
}

test("with a TSA configured, a completed envelope's PDF reaches B-LTA: openssl and pdfsig agree, /verify says so", async () => {
  const h = await startHarness({ tsa: { urls: [tsa.url], timeoutMs: 5000 } });
  try {
    assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: tsa.ca.certificatePem })).status, 201);
    const id = await completeEnvelope(h);
    assert.equal((await h.call("GET", `/api/envelopes/${id}`)).body.status, "completed");
    const bytes = await signedFile(h, id);

    const verified = await h.upload("/api/verify", [{ name: "file", filename: "assinado.pdf", bytes }], null);
    assert.equal(verified.body.valid, true, JSON.stringify(verified.body));
    assert.equal(verified.body.level, "B-LTA", verified.body.levelReasons.join("; "));
    const [seal, docTs] = verified.body.signatures;
    assert.equal(seal.installationSeal, true);
    assert.equal(seal.timestamp.valid && seal.timestamp.trusted, true);
    assert.equal(seal.revocation.status, "good");
    assert.equal(docTs.kind, "document-timestamp");
    // A valid RFC 3161 document timestamp verifies as such, not as an "embedded digest mismatch".
    assert.equal(docTs.integrity, true, JSON.stringify(docTs));
    assert.doesNotMatch(JSON.stringify(docTs), /digest mismatch/i);
    assert.equal(docTs.trusted, true);

    // The document timestamp, over its byte ranges, by OpenSSL against the TSA's CA.
    const last = lastSignatureParts(bytes);
    const tokenLength = 4 + last.der.readUInt16BE(2);
    assert.match(await opensslVerifyToken(tsa, last.der.subarray(0, tokenLength), last.content), /Verification: OK/);
    // The seal, by pdfsig with the installation CA published at /seal/ca.pem.
    const caPem = (await h.app.inject({ method: "GET", url: "/seal/ca.pem" })).body;
    const sigs = pdfsig(bytes, nssDbTrusting(caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!));
    assert.ok(sigs[0]!.valid && sigs[0]!.trusted, sigs[0]!.text);
    assert.equal(sigs.length, 2);
    // The DSS carries the installation CA's CRL, the one /seal/crl publishes.
    const crl = await h.app.inject({ method: "GET", url: "/seal/crl" });
    assert.equal(crl.statusCode, 200);
    assert.equal(crl.headers["content-type"], "application/pkix-crl");
    assert.ok(pkijs.CertificateRevocationList.fromBER(new Uint8Array(crl.rawPayload)));
    assert.ok(verified.body.signatures.length === 2);
  } finally {
    await h.close();
  }
});

test("a TSA that is down: the seal retries, then seals B-B with a visible warning; the envelope completes", async () => {
  const h = await startHarness({ tsa: { urls: [tsa.url], timeoutMs: 2000 } });
  tsa.down = true;
  try {
    const id = await completeEnvelope(h);
    for (let i = 0; i < 4 && (await h.call("GET", `/api/envelopes/${id}`)).body.status !== "completed"; i++) {
      h.clock.advance(60_000);
      await h.drain();
    }
    assert.equal((await h.call("GET", `/api/envelopes/${id}`)).body.status, "completed");
    const events = await h.runtime.ctx.db.selectFrom("envelope_events").selectAll().where("envelope_id", "=", id).where("type", "=", "envelope.seal_warning").execute();
    assert.equal(events.length, 1);
    assert.match(events[0]!.data!, /without a time-stamp/);
    const verified = await h.upload("/api/verify", [{ name: "file", filename: "assinado.pdf", bytes: await signedFile(h, id) }], null);
    assert.equal(verified.body.valid, true);
    assert.equal(verified.body.level, "B-B");
    assert.match(verified.body.levelReasons[0], /no signature time-stamp/);
  } finally {
    tsa.down = false;
    await h.close();
  }
});

test("without a TSA the seal is B-B; revoking the seal certificate makes /verify report it revoked and a new one seals", async () => {
  const h = await startHarness();
  try {
    const id = await completeEnvelope(h);
    const bytes = await signedFile(h, id);
    const before = await h.upload("/api/verify", [{ name: "file", filename: "a.pdf", bytes }], null);
    assert.equal(before.body.level, "B-B");
    assert.equal(before.body.signatures[0].trusted, true);
    const active = (await h.call("GET", "/api/settings/seal")).body.items.find((i: any) => i.active);
    assert.equal((await h.call("POST", `/api/settings/seal/${active.id}/revoke`, { reason: "keyCompromise" }, "manager")).status, 403);
    const revoked = await h.call("POST", `/api/settings/seal/${active.id}/revoke`, { reason: "keyCompromise" });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array((await h.app.inject({ method: "GET", url: "/seal/crl" })).rawPayload));
    assert.equal(crl.revokedCertificates?.length, 1);
    const after = await h.upload("/api/verify", [{ name: "file", filename: "a.pdf", bytes }], null);
    assert.equal(after.body.signatures[0].revocation.status, "revoked");
    assert.equal(after.body.signatures[0].trusted, false);
    const next = await h.upload("/api/verify", [{ name: "file", filename: "b.pdf", bytes: await signedFile(h, await completeEnvelope(h)) }], null);
    assert.equal(next.body.signatures[0].trusted, true, "sealed with the replacement certificate");
    assert.equal(next.body.signatures[0].revocation.status, "good");
  } finally {
    await h.close();
  }
});

