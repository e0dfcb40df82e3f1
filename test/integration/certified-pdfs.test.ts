import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { sealPdf } from "../../src/pades/seal/seal.js";
import { inspectPdf } from "../../src/pades/pdf/inspect.js";
import { nssDbTrusting, pdfsig, testIdentity } from "../unit/signing/helpers.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

/** A contract certified elsewhere (another CA), allowing later changes of level P. */
async function certified(p: 1 | 2 | 3) {
  const { ca, seal } = await testIdentity();
  const bytes = sealPdf(await samplePdf("Contrato certificado"), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem, name: "Cartório", certify: p });
  return { bytes, caPem: ca.certificatePem };
}

async function upload(bytes: Uint8Array, signer: string) {
  const contract = await makeContract(h);
  return h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato certificado", recipients: [{ name: "Ana", email: signer, action: "sign" }] }) },
    { name: "file", filename: "certificado.pdf", bytes },
  ], "manager", { "accept-language": "pt-BR" });
}

async function signAll(id: string, signer: string) {
  await h.drain();
  const mail = (await h.call("GET", `/api/outbox?to=${signer}`)).body.items.find((m: any) => /\/sign\/sig_/.test(m.text));
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  const codeMail = (await h.call("GET", `/api/outbox?to=${signer}`)).body.items.find((m: any) => /código/i.test(m.subject));
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1]!;
  const signed = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Ana" } }, null);
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  await h.drain();
  return (await h.call("GET", `/api/envelopes/${id}`)).body;
}

test("a certified PDF that admits no changes (DocMDP P=1) is refused at upload", async () => {
  const { bytes } = await certified(1);
  const res = await upload(bytes, `p1.${Date.now()}@example.com`);
  assert.equal(res.status, 422);
  assert.match(res.body.error.message, /Documento certificado não admite alterações/);
});

test("a certified PDF (P=2) is sealed without new pages, its manifest comes as a separate sealed PDF, and the certification stays valid", async () => {
  const { bytes, caPem } = await certified(2);
  const signer = `p2.${Date.now()}@example.com`;
  const created = await upload(bytes, signer);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const envelope = await signAll(created.body.id, signer);
  assert.equal(envelope.status, "completed", envelope.failureReason);
  const signedFiles = envelope.files.filter((f: any) => f.kind === "signed");
  assert.deepEqual(signedFiles.map((f: any) => f.name), ["certificado (assinado).pdf", "certificado (manifesto de assinaturas).pdf"]);

  const installationCa = (await h.app.inject({ method: "GET", url: "/seal/ca.pem" })).body;
  const nss = nssDbTrusting([caPem, installationCa]);
  const document = (await h.app.inject({ method: "GET", url: `/api/envelopes/${created.body.id}/files/signed?file=0`, headers: { authorization: `Bearer ${h.tokens.manager}` } })).rawPayload;
  assert.equal(inspectPdf(document).pageCount, inspectPdf(bytes).pageCount, "no page appended");
  const signatures = pdfsig(document, nss);
  assert.equal(signatures.length, 2);
  assert.ok(signatures[0]!.valid, `the certification signature stays valid:\n${signatures[0]!.text}`);
  assert.ok(signatures[1]!.valid && signatures[1]!.totalDocumentSigned);

  const manifest = (await h.app.inject({ method: "GET", url: `/api/envelopes/${created.body.id}/files/signed?file=1`, headers: { authorization: `Bearer ${h.tokens.manager}` } })).rawPayload;
  const manifestSignatures = pdfsig(manifest, nss);
  assert.equal(manifestSignatures.length, 1);
  assert.ok(manifestSignatures[0]!.valid && manifestSignatures[0]!.totalDocumentSigned && manifestSignatures[0]!.trusted);
  const verified = await h.upload("/api/verify", [{ name: "file", filename: "manifesto.pdf", bytes: manifest }], null);
  assert.equal(verified.body.verdict, "valid");
  assert.equal(verified.body.envelopeId, created.body.id);
});
