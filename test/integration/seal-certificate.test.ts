import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import forge from "node-forge";
import { createInstallationCa, createSealCertificate } from "../../src/pades/seal/identity.js";
import { verifyPdf } from "../../src/pades/verify/verify.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

/** An A1-like certificate file from an outside CA, as an admin would receive it. */
async function outsidePfx(password: string) {
  const ca = await createInstallationCa({ installationName: "AC Externa de Teste" });
  const seal = await createSealCertificate(ca, { installationName: "Construtora Horizonte Ltda" });
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(seal.privateKeyPem), [seal.certificatePem, ca.certificatePem].map((c) => forge.pki.certificateFromPem(c)), password, { algorithm: "3des" });
  return { bytes: new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary")), ca };
}

async function signedEnvelopePdf(): Promise<Uint8Array> {
  const contract = await makeContract(h);
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Selo", recipients: [{ name: "Sol", email: `sol.${Date.now()}@example.com`, action: "sign" }] }) },
    { name: "file", filename: "a.pdf", bytes: await samplePdf() },
  ]);
  await h.drain();
  const mail = (await h.call("GET", `/api/outbox?to=${created.body.recipients[0].email}`)).body.items[0];
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1];
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  await h.drain();
  const codeMail = (await h.call("GET", `/api/outbox?to=${created.body.recipients[0].email}`)).body.items.find((m: any) => /código/i.test(m.subject));
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Sol" } }, null)).status, 200);
  await h.drain();
  const res = await h.app.inject({ method: "GET", url: `/api/envelopes/${created.body.id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.admin}` } });
  assert.equal(res.statusCode, 200);
  return new Uint8Array(res.rawPayload);
}

test("an admin installs a .pfx; later envelopes are sealed with it, earlier seals stay verifiable", async () => {
  const before = await signedEnvelopePdf();
  const { bytes, ca } = await outsidePfx("senha-do-certificado");
  const wrong = await h.upload("/api/settings/seal", [{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes }, { name: "password", value: "errada" }]);
  assert.equal(wrong.status, 422);
  const manager = await h.upload("/api/settings/seal", [{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes }, { name: "password", value: "senha-do-certificado" }], "manager");
  assert.equal(manager.status, 403);
  const installed = await h.upload("/api/settings/seal", [{ name: "file", filename: "a1.pfx", contentType: "application/x-pkcs12", bytes }, { name: "password", value: "senha-do-certificado" }]);
  assert.equal(installed.status, 201, JSON.stringify(installed.body));
  assert.match(installed.body.subject, /Construtora Horizonte/);
  const identities = (await h.call("GET", "/api/settings/seal", undefined, "viewer")).body.items;
  assert.equal(identities.filter((i: any) => i.active).length, 1);
  assert.equal(identities.find((i: any) => i.active).source, "pfx");
  const rows = await h.runtime.ctx.db.selectFrom("seal_identities").selectAll().execute();
  assert.ok(rows.every((r) => !r.private_key_encrypted.includes("PRIVATE KEY")), "keys are sealed at rest");

  const after = await signedEnvelopePdf();
  const withOutsideRoot = verifyPdf(after, { trustedRoots: [ca.certificatePem] });
  assert.equal(withOutsideRoot.valid, true);
  assert.equal(withOutsideRoot.signatures.at(-1)!.trusted, true, "chains to the outside CA: sealed with the installed certificate");
  const verified = await h.upload("/api/verify", [{ name: "file", filename: "antes.pdf", bytes: before }], null);
  assert.equal(verified.body.valid, true, "a seal made before the change still verifies");
  assert.equal(verified.body.signatures[0].installationSeal, true);
});
