import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { after, before, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { opensslVerifyToken, startTestTsa, type TestTsa } from "../support/tsa.js";
import { lastSignatureParts, nssDbTrusting, pdfsig, qpdfCheck } from "../unit/signing/helpers.js";
import { renewDueSeals, renewEnvelopeSeals } from "../../src/modules/envelopes/commands/renew-seals.js";

let tsa: TestTsa;
before(async () => { tsa = await startTestTsa(); });
after(async () => { await tsa?.close(); });

async function completeEnvelope(h: Harness): Promise<string> {
  const contract = await makeContract(h);
  const email = `rui.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Renovação", recipients: [{ name: "Rui", email, action: "sign" }] }) },
    { name: "file", filename: "a.pdf", bytes: await samplePdf() },
  ]);
  await h.drain();
  const mail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items[0];
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1];
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  await h.drain();
  const codeMail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items.find((m: any) => /código/i.test(m.subject));
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Rui" } }, null)).status, 200);
  await h.drain();
  assert.equal((await h.call("GET", `/api/envelopes/${created.body.id}`)).body.status, "completed");
  return created.body.id;
}

async function signedFile(h: Harness, id: string): Promise<Uint8Array> {
  const res = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.admin}` } });
  assert.equal(res.statusCode, 200, res.body);
  return new Uint8Array(res.rawPayload);
}

test("renewing a completed envelope near its timestamp's expiry: two document timestamps, every signature still valid, B-LTA, the earlier file kept", async () => {
  const h = await startHarness({ tsa: { urls: [tsa.url], timeoutMs: 5000 } });
  let renewedTsa: TestTsa | undefined;
  try {
    assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: tsa.ca.certificatePem })).status, 201);
    const id = await completeEnvelope(h);
    const first = await signedFile(h, id);
    const row = await h.runtime.ctx.db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", id).where("kind", "=", "signed").executeTakeFirstOrThrow();
    // The test TSA's certificate is valid for a year: the expiry recorded is its notAfter.
    assert.equal(row.timestamp_expires_at, new Date(new X509Certificate(tsa.tsa.certificatePem).validTo).toISOString());

    assert.deepEqual((await renewDueSeals(h.runtime.ctx)).filter((o) => o.envelopeId === id), [], "a year away is not due with a 90-day margin");
    assert.equal((await renewEnvelopeSeals(h.runtime.ctx, id, 90))[0]!.outcome, "not-due", "read from the file: not due either");

    h.clock.advance(300 * 86400_000); // 65 days before the TSA certificate expires
    // The same TSA certificate would not extend anything: the file stays as it is.
    const stale = (await renewDueSeals(h.runtime.ctx)).filter((o) => o.envelopeId === id);
    assert.deepEqual(stale.map((o) => o.outcome), ["not-extended"], JSON.stringify(stale));
    assert.ok(Buffer.from(await signedFile(h, id)).equals(Buffer.from(first)), "not rewritten when nothing is extended");

    // The TSA renewed its certificate (a new one, three years): now the evidence is extended.
    renewedTsa = await startTestTsa({ notAfter: new Date(Date.now() + 3 * 365 * 86400_000) });
    {
      assert.equal((await h.call("POST", "/api/settings/seal/anchors", { certificate: renewedTsa.ca.certificatePem })).status, 201);
      h.runtime.ctx.config.tsa = { urls: [renewedTsa.url], timeoutMs: 5000 };
      const outcomes = (await renewDueSeals(h.runtime.ctx)).filter((o) => o.envelopeId === id);
      assert.deepEqual(outcomes.map((o) => o.outcome), ["renewed"], JSON.stringify(outcomes));
      assert.equal(renewedTsa.granted, 1, "one new document timestamp");
      assert.equal(outcomes[0]!.expiresAt, new Date(new X509Certificate(renewedTsa.tsa.certificatePem).validTo).toISOString());
    }
    assert.deepEqual((await renewDueSeals(h.runtime.ctx)).filter((o) => o.envelopeId === id && o.outcome === "renewed"), [], "renewed once: its new expiry is recorded");

    const renewed = await signedFile(h, id);
    assert.ok(Buffer.from(renewed.subarray(0, first.length)).equals(Buffer.from(first)), "the earlier file is a prefix: appended, nothing rewritten");
    const verified = await h.upload("/api/verify", [{ name: "file", filename: "renovado.pdf", bytes: renewed }], null);
    assert.equal(verified.body.valid, true, JSON.stringify(verified.body));
    assert.equal(verified.body.level, "B-LTA", (verified.body.levelReasons ?? []).join("; "));
    assert.deepEqual(verified.body.signatures.map((s: any) => s.kind), ["signature", "document-timestamp", "document-timestamp"]);
    assert.ok(verified.body.signatures.every((s: any) => s.integrity), JSON.stringify(verified.body.signatures));
    assert.equal(verified.body.envelopeId, id);

    const caPem = (await h.app.inject({ method: "GET", url: "/seal/ca.pem" })).body;
    const sigs = pdfsig(renewed, nssDbTrusting(caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!));
    assert.equal(sigs.length, 3, sigs.map((s) => s.text).join("\n"));
    assert.ok(sigs[0]!.valid && sigs[0]!.trusted, sigs[0]!.text);
    // Poppler lists document timestamps but does not validate ETSI.RFC3161 ("Signature Type: unknown"): OpenSSL checks the new one.
    assert.match(sigs[1]!.text, /Carimbo do Tempo Teste/);
    assert.ok(sigs[2]!.totalDocumentSigned, sigs[2]!.text);
    const last = lastSignatureParts(renewed);
    assert.match(await opensslVerifyToken(renewedTsa, last.der.subarray(0, 4 + last.der.readUInt16BE(2)), last.content), /Verification: OK/);
    assert.ok(qpdfCheck(renewed).ok);

    const files = await h.runtime.ctx.db.selectFrom("envelope_files").selectAll().where("envelope_id", "=", id).where("kind", "in", ["signed", "superseded"]).execute();
    assert.deepEqual(files.map((f) => f.kind).sort(), ["signed", "superseded"]);
    assert.equal(files.find((f) => f.kind === "superseded")!.sha256, row.sha256);
    const old = await h.upload("/api/verify", [{ name: "file", filename: "anterior.pdf", bytes: first }], null);
    assert.equal(old.body.envelopeId, id, "an earlier copy still names its envelope");
    const events = (await h.call("GET", `/api/envelopes/${id}`)).body.events.filter((e: any) => e.type === "envelope.seal_renewed");
    assert.equal(events.length, 1);
  } finally {
    await renewedTsa?.close();
    await h.close();
  }
});

test("without a TSA nothing is renewed, and a file without a document timestamp is left as it is", async () => {
  const h = await startHarness();
  try {
    const id = await completeEnvelope(h);
    const before = await signedFile(h, id);
    h.clock.advance(3000 * 86400_000);
    assert.deepEqual(await renewDueSeals(h.runtime.ctx), []);
    const [outcome] = await renewEnvelopeSeals(h.runtime.ctx, id, 90);
    assert.equal(outcome!.outcome, "unavailable");
    assert.match(outcome!.detail!, /OBRASIGN_TSA_URL/);
    assert.ok(Buffer.from(await signedFile(h, id)).equals(Buffer.from(before)));
  } finally {
    await h.close();
  }
});

/** `obrasign seals renew` as a process, on the harness's database and data folder, with the real clock. */
function cli(h: Harness, args: string[], tsaUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { database, dataDir, secretKey } = h.runtime.ctx.config;
  const env = {
    ...process.env, TEST_DB: undefined, LOG_LEVEL: "silent", OBRASIGN_DATA_DIR: dataDir, OBRASIGN_SECRET_KEY: secretKey ?? "", OBRASIGN_TSA_URL: tsaUrl,
    DATABASE_URL: database.dialect === "sqlite" ? `sqlite:${database.path}` : database.url,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/obrasign.js", "seals", "renew", ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
  });
}

test("obrasign seals renew: a line per file and a summary; exit 2 when not extended, 0 when renewed, 1 on bad input", async () => {
  const h = await startHarness({ tsa: { urls: [tsa.url], timeoutMs: 5000 } });
  const renewedTsa = await startTestTsa({ notAfter: new Date(Date.now() + 3 * 365 * 86400_000) });
  try {
    const id = await completeEnvelope(h);
    const notDue = await cli(h, [], tsa.url);
    assert.equal(notDue.code, 0, notDue.stderr);
    assert.match(notDue.stdout, /renewed: 0, not due: 0, failed: 0/, "nothing due a year away with the 90-day margin");

    const stale = await cli(h, [id, "--margin-days", "400"], tsa.url);
    assert.equal(stale.code, 2, stale.stdout + stale.stderr);
    assert.match(stale.stdout, new RegExp(`${id}  a \\(assinado\\)\\.pdf  not-extended`));

    const renewed = await cli(h, ["--margin-days", "400"], renewedTsa.url);
    assert.equal(renewed.code, 0, renewed.stdout + renewed.stderr);
    assert.match(renewed.stdout, new RegExp(`${id}  a \\(assinado\\)\\.pdf  renewed  expires ${new Date(new X509Certificate(renewedTsa.tsa.certificatePem).validTo).toISOString()}`));
    assert.match(renewed.stdout, /renewed: 1, not due: 0, failed: 0/);
    const kinds = (await h.runtime.ctx.db.selectFrom("envelope_files").select("kind").where("envelope_id", "=", id).execute()).map((f) => f.kind).sort();
    assert.deepEqual(kinds, ["original", "signed", "superseded"]);

    const bad = await cli(h, ["--margin-days", "soon"], tsa.url);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /marginDays/);
    const unknown = await cli(h, ["01a00000-0000-7000-8000-000000000000"], tsa.url);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Envelope/);
  } finally {
    await renewedTsa.close();
    await h.close();
  }
});
