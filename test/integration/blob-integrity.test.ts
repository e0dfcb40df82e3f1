import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

async function sentEnvelope(signer: string) {
  const contract = await makeContract(h);
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Ana", email: signer, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf(`Contrato ${signer}`) },
  ], "manager");
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await h.drain();
  const envelope = (await h.call("GET", `/api/envelopes/${created.body.id}`)).body;
  const mail = (await h.call("GET", `/api/outbox?to=${signer}`)).body.items.find((m: any) => /\/sign\/sig_/.test(m.text));
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  const sha256 = envelope.files.find((f: any) => f.kind === "original").sha256 as string;
  return { id: created.body.id as string, token, sha256 };
}

/** Changes the stored bytes behind the store's back: on disk (SQLite) or in the blobs row (PostgreSQL). */
async function tamper(sha256: string, bytes: Uint8Array | null) {
  const ctx = h.runtime.ctx;
  if (ctx.dialect === "postgres") {
    if (bytes) await ctx.db.updateTable("blobs").set({ content: Buffer.from(bytes) }).where("sha256", "=", sha256).execute();
    else await ctx.db.deleteFrom("blobs").where("sha256", "=", sha256).execute();
    return;
  }
  const path = join(ctx.config.dataDir, "blobs", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  if (bytes) writeFileSync(path, bytes);
  else rmSync(path);
}

async function codeFor(token: string, email: string) {
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  const mail = (await h.call("GET", `/api/outbox?to=${email}`)).body.items.find((m: any) => /código/i.test(m.subject));
  return /\b(\d{6})\b/.exec(mail.text)![1]!;
}

test("a stored original changed on disk is not served, signed or sealed, and the envelope says why", async () => {
  const signer = `integridade.${Date.now()}@example.com`;
  const { id, token, sha256 } = await sentEnvelope(signer);
  await tamper(sha256, await samplePdf("Contrato com outro valor"));

  const shown = await h.call("GET", `/api/signing/${token}/files/0`, undefined, null, { "accept-language": "pt-BR" });
  assert.equal(shown.status, 409);
  assert.match(shown.body.error.message, /não corresponde mais ao seu SHA-256/);
  const downloaded = await h.call("GET", `/api/envelopes/${id}/files/original`, undefined, "manager");
  assert.equal(downloaded.status, 409);

  const code = await codeFor(token, signer);
  const signed = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Ana" } }, null);
  assert.equal(signed.status, 409, JSON.stringify(signed.body));

  const envelope = (await h.call("GET", `/api/envelopes/${id}`)).body;
  assert.match(envelope.failureReason, /no longer matches its SHA-256/);
  assert.equal(envelope.recipients[0].status, "pending", "the signature was not recorded");
  assert.equal(envelope.events.filter((e: any) => e.type === "envelope.file_unavailable").length, 1, "said once");
});

test("sealing refuses a file changed after everyone signed", async () => {
  const signer = `selo.${Date.now()}@example.com`;
  const { id, token, sha256 } = await sentEnvelope(signer);
  const code = await codeFor(token, signer);
  // The change lands between the signature and the seal job.
  const signed = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Ana" } }, null);
  assert.equal(signed.status, 200);
  await tamper(sha256, await samplePdf("Trocado depois da assinatura"));
  await h.drain();
  const envelope = (await h.call("GET", `/api/envelopes/${id}`)).body;
  assert.notEqual(envelope.status, "completed");
  assert.match(envelope.failureReason, /SHA-256/);
  assert.ok(envelope.events.some((e: any) => e.type === "envelope.seal_failed"));
  assert.equal((await h.call("GET", `/api/envelopes/${id}/files/signed`, undefined, "manager")).status, 409);
});

test("a missing stored file answers 404 with a message, never 500", async () => {
  const signer = `sumiu.${Date.now()}@example.com`;
  const { id, token, sha256 } = await sentEnvelope(signer);
  await tamper(sha256, null);
  const shown = await h.call("GET", `/api/signing/${token}/files/0`, undefined, null, { "accept-language": "pt-BR" });
  assert.equal(shown.status, 404);
  assert.match(shown.body.error.message, /não está no repositório/);
  const downloaded = await h.call("GET", `/api/envelopes/${id}/files/original`, undefined, "manager");
  assert.equal(downloaded.status, 404);
  assert.match(downloaded.body.error.message, /missing|não está/);
});
