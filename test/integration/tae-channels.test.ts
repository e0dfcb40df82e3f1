/**
 * TOTVS Sign channels, resend, delete and refusals (issue 14), through
 * obrasign's HTTP API against the emulator: WhatsApp/SMS recipients reach
 * the publish body with `telefone`; a bad phone is a 400 naming the field;
 * resend reaches `reenvia-email-pendentes`; a refused cancel falls back to
 * delete; a CloudFront 403 fails the envelope at once; another 403 names the
 * permission; a login reason in `messages[0].description` is read.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { systemActor } from "../../src/platform/context.js";
import { updateSignatureSettings } from "../../src/modules/signature-settings/index.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { pointAtEmulator } from "../support/tae-envelopes.js";
import { openPage, signInByForm } from "../support/page-session.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";

process.env.OBRASIGN_TAE_TIMEOUT_MS = "500";

let h: Harness;
let tae: TaeEmulator;

before(async () => {
  h = await startHarness();
  tae = await startTaeEmulator();
  await pointAtEmulator(h.runtime.ctx, tae.url, tae);
});
after(async () => {
  await h?.close();
  await tae?.close();
});
afterEach(() => {
  tae.resetVariants();
  tae.clearFaults();
});

let sequence = 0;
const email = (who: string) => `${who}.${++sequence}@example.com`;
const pt = { "accept-language": "pt-BR" };

async function upload(recipients: object[], extra: Record<string, unknown> = {}) {
  const contract = await makeContract(h);
  return h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de empreitada", recipients, ...extra }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
}

async function envelope(id: string, headers: Record<string, string> = {}) {
  const res = await h.call("GET", `/api/envelopes/${id}`, undefined, "manager", headers);
  assert.equal(res.status, 200);
  return res.body;
}

async function sendPending(recipients: object[], extra: Record<string, unknown> = {}) {
  const res = await upload(recipients, extra);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await h.drain();
  const env = await envelope(res.body.id);
  assert.equal(env.status, "pending", JSON.stringify(env));
  return { id: res.body.id as string, ref: env.providerRef as string, env };
}

const types = (env: any) => env.events.map((e: any) => e.type as string);

describe("notification channels", () => {
  test("WhatsApp and SMS recipients reach the publish body with telefone; e-mail stays e-mail", async () => {
    const [wa, sms, mail] = [email("wa"), email("sms"), email("mail")];
    const { ref, env } = await sendPending([
      { name: "Wagner", email: wa, action: "sign", notifyBy: "whatsapp", phone: "(11) 98765-4321" },
      { name: "Sílvia", email: sms, action: "validate", notifyBy: "sms", phone: "+55 21 3456-7890" },
      { name: "Márcia", email: mail, action: "sign" },
    ]);
    const byEmail = Object.fromEntries(env.recipients.map((r: any) => [r.email, r]));
    assert.equal(byEmail[wa].phone, "11987654321", "stored normalised");
    assert.equal(byEmail[wa].notifyBy, "whatsapp");
    assert.equal(byEmail[sms].phone, "2134567890");
    assert.equal(byEmail[mail].notifyBy, "email");

    const body = tae.document(ref)!.publishBodies[0] as { destinatarios: Record<string, unknown>[] };
    const sent = Object.fromEntries(body.destinatarios.map((d) => [d.email, d]));
    assert.equal(sent[wa]!.tipoEnvioDocumento, 2);
    assert.equal(sent[wa]!.tipoEnvioCodigo, 2);
    assert.equal(sent[wa]!.telefone, "11987654321");
    assert.equal(sent[sms]!.tipoEnvioDocumento, 1, "no SMS for the document itself");
    assert.equal(sent[sms]!.tipoEnvioCodigo, 3);
    assert.equal(sent[sms]!.telefone, "2134567890");
    assert.equal(sent[mail]!.tipoEnvioDocumento, 1);
    assert.equal(sent[mail]!.tipoEnvioCodigo, 1);
    assert.ok(!("telefone" in sent[mail]!));
  });

  test("a bad phone is a 400 naming the field, in both languages, and nothing is created", async () => {
    const before = (await h.runtime.ctx.db.selectFrom("envelopes").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n;
    const res = await upload([{ name: "Beto", email: email("beto"), action: "sign", notifyBy: "whatsapp", phone: "1234" }]);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /recipients\.0\.phone/);
    assert.match(JSON.stringify(res.body), /Brazilian phone/);

    const contract = await makeContract(h);
    const inPt = await h.upload("/api/envelopes", [
      { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "X", recipients: [{ name: "Beto", email: email("beto"), action: "sign", notifyBy: "sms" }] }) },
      { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
    ], "manager", pt);
    assert.equal(inPt.status, 400, JSON.stringify(inPt.body));
    assert.match(JSON.stringify(inPt.body), /recipients\.0\.phone/);
    assert.match(JSON.stringify(inPt.body), /obrigatório para avisar por sms/);
    const after = (await h.runtime.ctx.db.selectFrom("envelopes").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n;
    assert.equal(Number(after), Number(before));
  });

  test("the built-in provider refuses WhatsApp with a 400 naming notifyBy", async () => {
    await updateSignatureSettings(h.runtime.ctx, systemActor, { provider: "embedded" });
    try {
      const res = await upload([{ name: "Eva", email: email("eva"), action: "sign", notifyBy: "whatsapp", phone: "11987654321" }]);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body), /recipients\.0\.notifyBy/);
      assert.match(JSON.stringify(res.body), /e-mail only/);
    } finally {
      await updateSignatureSettings(h.runtime.ctx, systemActor, { provider: "totvs-sign" });
    }
  });
});

describe("resend and delete", () => {
  test("resend reaches reenvia-email-pendentes for a pending document, with a history event", async () => {
    const signer = email("res");
    const { id, ref, env } = await sendPending([{ name: "Rita", email: signer, action: "sign" }]);
    const recipientId = env.recipients[0].id;
    const res = await h.call("POST", `/api/envelopes/${id}/recipients/${recipientId}/resend`, undefined, "manager");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(tae.document(ref)!.resends, 1);
    const call = tae.calls("resendPending").at(-1)!;
    assert.deepEqual(call.body, { listaDocumentos: [Number(ref)] });
    assert.ok(types(res.body).includes("recipient.invitation_resent"));
  });

  test("resend where TAE does not allow it (partially signed) answers 422 in the reader's language and calls nothing", async () => {
    const [a, b] = [email("a"), email("b")];
    const { id, ref, env } = await sendPending([{ name: "Ana", email: a, action: "sign" }, { name: "Bruno", email: b, action: "sign" }]);
    tae.sign(Number(ref), a);
    await h.call("POST", `/api/envelopes/${id}/refresh`, undefined, "manager");
    const bruno = env.recipients.find((r: any) => r.email === b).id;
    const calls = tae.calls("resendPending").length;
    const res = await h.call("POST", `/api/envelopes/${id}/recipients/${bruno}/resend`, undefined, "manager", pt);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /só reenvia o aviso de documentos pendentes/);
    assert.equal(tae.calls("resendPending").length, calls);
  });

  test("the envelope page's resend button reaches TAE too", async () => {
    const { id, ref, env } = await sendPending([{ name: "Paula", email: email("page"), action: "sign" }]);
    const browser = await signInByForm(h.app, h.users.manager.email, "manager-password-1");
    const page = await openPage(h.app, `/monitor/envelopes/${id}`, browser.cookies);
    const res = await h.app.inject({
      method: "POST", url: `/monitor/envelopes/${id}/recipients/${env.recipients[0].id}/resend`, cookies: page.cookies,
      payload: { _csrf: page.token },
    });
    assert.ok(res.statusCode === 303 || res.statusCode === 200, `status ${res.statusCode}: ${res.body.slice(0, 300)}`);
    assert.equal(tae.document(ref)!.resends, 1);
  });

  test("cancel refused by TAE for an open document falls back to delete, with history", async () => {
    tae.setVariants({ cancelRefused: true });
    const { id, ref } = await sendPending([{ name: "Caio", email: email("del"), action: "sign" }]);
    const res = await h.call("DELETE", `/api/envelopes/${id}`, undefined, "manager");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "cancelled");
    assert.equal(tae.calls("cancel").length > 0, true);
    assert.deepEqual(tae.calls("deleteDocument").at(-1)!.body, { idDocumento: Number(ref) });
    assert.equal(tae.document(ref)!.deleted, true);
    const env = await envelope(id);
    assert.ok(types(env).includes("envelope.deleted_at_provider"));
    assert.ok(types(env).includes("envelope.cancelled"));
    // A later refresh finds it gone: still cancelled.
    const again = await h.call("POST", `/api/envelopes/${id}/refresh`, undefined, "manager");
    assert.equal(again.body.status, "cancelled");
  });

  test("without the refusal, cancel is a cancel (no delete)", async () => {
    const { id, ref } = await sendPending([{ name: "Dora", email: email("nodel"), action: "sign" }]);
    const deletes = tae.calls("deleteDocument").length;
    const res = await h.call("DELETE", `/api/envelopes/${id}`, undefined, "manager");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(tae.calls("deleteDocument").length, deletes);
    assert.equal(tae.document(ref)!.deleted, false);
    assert.ok(!types(await envelope(id)).includes("envelope.deleted_at_provider"));
  });
});

describe("refusals", () => {
  test("a 403 from CloudFront on upload fails the envelope at once, told as TAE's firewall in each language", async () => {
    tae.blockByFirewallNext(1, { routes: ["upload"] });
    const uploads = tae.counters().uploads;
    const uploadCalls = tae.calls("upload").length;
    const res = await upload([{ name: "Fábio", email: email("waf"), action: "sign" }]);
    assert.equal(res.status, 201);
    await h.drain();
    const env = await envelope(res.body.id);
    assert.equal(env.status, "failed", "no retry");
    assert.equal(tae.calls("upload").length, uploadCalls + 1, "asked once, never again");
    assert.equal(tae.counters().uploads, uploads, "TAE never accepted it");
    assert.equal(env.failureCode, "firewall_blocked");
    assert.match(env.failureReason, /File blocked by the TOTVS Assinatura Eletrônica firewall/);
    const inPt = await envelope(res.body.id, pt);
    assert.match(inPt.failureReason, /Arquivo bloqueado pelo firewall do TOTVS Assinatura Eletrônica/);
    const jobs = await h.runtime.ctx.db.selectFrom("jobs").select(["status", "attempts"]).where("name", "=", "envelope.send").where("payload", "like", `%${res.body.id}%`).execute();
    assert.deepEqual(jobs.map((j) => [j.status, Number(j.attempts)]), [["failed", 1]]);
  });

  test("another 403 names the missing permission", async () => {
    tae.failNext(1, { routes: ["publish"], status: 403 });
    const res = await upload([{ name: "Gil", email: email("perm"), action: "sign" }]);
    await h.drain();
    const env = await envelope(res.body.id);
    assert.equal(env.status, "failed");
    assert.equal(env.failureCode, "permission_denied");
    assert.deepEqual(env.failureValues, { operation: "publish" });
    assert.match(env.failureReason, /lacks the permission to publish documents for signature/);
    const inPt = await envelope(res.body.id, pt);
    assert.match(inPt.failureReason, /não tem a permissão para publicar documentos para assinatura/);
  });

  test("a login refused with its reason in messages[0].description: the connection test tells that reason", async () => {
    tae.setVariants({ loginError: "messages" });
    const ctx = h.runtime.ctx;
    await updateSignatureSettings(ctx, systemActor, { totvsSign: { servicePassword: "wrong-password-here" } });
    try {
      const res = await h.call("POST", "/api/settings/signature/test", undefined, "admin");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.ok, false);
      assert.match(res.body.message, /refused the login: Usuário ou senha inválidos/);
      const inPt = await h.call("POST", "/api/settings/signature/test", undefined, "admin", pt);
      assert.match(inPt.body.message, /recusou o login: Usuário ou senha inválidos/);
    } finally {
      await updateSignatureSettings(ctx, systemActor, { totvsSign: { servicePassword: tae.serviceUser.password } });
    }
  });
});
