/**
 * The whole envelope lifecycle through obrasign's HTTP API with the provider
 * set to TOTVS Sign and its three URLs pointing at the TAE emulator: send,
 * partial signature, completion with the signed file stored, rejection,
 * cancel, deletion in the portal, recipients, tokens, injected faults, and
 * the service password kept out of every response and log line.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import type { multipart } from "../support/multipart.js";
import { samplePdf } from "../support/pdfs.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";

// Per attempt; uploads get four times as long. Short, so a slow TAE is a test of seconds, not minutes.
const taeTimeoutMs = 500;

const service = { email: "servico@obrasign.test", password: "S3nha-do-Servico!Xq7", fullName: "Serviço obrasign" };
const managerTae = { email: "manager@obrasign.test", password: "Senha-TAE-do-Gerente-9", fullName: "Test manager" };

let h: Harness;
let tae: TaeEmulator;
const logLines: string[] = [];
const responses: string[] = [];

/** The API as a role; every response body is kept to look for secrets at the end. */
async function api(method: string, url: string, body?: unknown, as: Role = "manager") {
  const res = await h.call(method, url, body, as);
  responses.push(res.raw.body);
  return res;
}

async function upload(parts: Parameters<typeof multipart>[0], as: Role = "manager") {
  const res = await h.upload("/api/envelopes", parts, as);
  responses.push(JSON.stringify(res.body));
  return res;
}

async function configureTotvsSign() {
  const put = await api("PUT", "/api/settings/signature", {
    provider: "totvs-sign",
    totvsSign: {
      authUrl: tae.authUrl,
      apiUrl: tae.apiUrl,
      webLoginUrl: `${tae.url}/webapptotvssign/#/auth/login?external=true`,
      serviceUser: service.email,
      servicePassword: service.password,
    },
  }, "admin");
  assert.equal(put.status, 200, JSON.stringify(put.body));
  return put;
}

before(async () => {
  const sink = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
  h = await startHarness({ taeTimeoutMs }, { logDestination: sink });
  tae = await startTaeEmulator({ users: [service] });
  const put = await configureTotvsSign();
  assert.equal(put.body.provider, "totvs-sign");
  assert.equal(put.body.totvsSign.servicePasswordSet, true);
});
after(async () => {
  await h?.close();
  await tae?.close();
});

let sequence = 0;
const email = (who: string) => `${who}.${++sequence}@example.com`;

async function sendUpload(recipients: object[], extra: Record<string, unknown> = {}) {
  const contract = await makeContract(h);
  const res = await upload([
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de empreitada", recipients, ...extra }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ]);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.status, "queued");
  assert.equal(res.body.provider, "totvs-sign");
  return res.body as { id: string };
}

/** Sends and drains: the envelope is pending at TAE, its providerRef the document id. */
async function sendPending(recipients: object[], extra: Record<string, unknown> = {}) {
  const created = await sendUpload(recipients, extra);
  await h.drain();
  const env = await envelope(created.id);
  assert.equal(env.status, "pending", JSON.stringify(env));
  assert.match(env.providerRef, /^\d+$/);
  const doc = tae.document(env.providerRef)!;
  assert.ok(doc, "the document exists at TAE");
  return { id: created.id as string, ref: env.providerRef as string, doc };
}

async function envelope(id: string) {
  const res = await api("GET", `/api/envelopes/${id}`);
  assert.equal(res.status, 200);
  return res.body;
}

async function refresh(id: string) {
  const res = await api("POST", `/api/envelopes/${id}/refresh`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const statusesOf = (env: any) => Object.fromEntries(env.recipients.map((r: any) => [r.email, r.status]));

describe("TOTVS Sign through obrasign's API", () => {
  test("send with signing order, CPF and an observer: the publish JSON TAE expects", async () => {
    const [first, second, validator, observer] = [email("primeira"), email("segundo"), email("validadora"), email("observador")];
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { ref, doc } = await sendPending(
      [
        { name: "Ana Primeira", email: first, action: "sign", order: 1, cpf: "529.982.247-25" },
        { name: "Bruno Segundo", email: second, action: "sign", order: 2, auth: "account" },
        { name: "Vera Validadora", email: validator, action: "validate", order: 3 },
        { name: "Otto Observador", email: observer, action: "observe" },
      ],
      { expiresAt, subject: "Contrato para assinatura", message: "Por favor, assine o contrato.", allowRejection: true, reminderEveryDays: 3 },
    );

    const uploads = tae.calls("upload").filter((c) => (c.body as any[]).some((p) => p.name === "NomeEnvelope" && p.text === "Contrato de empreitada"));
    assert.ok(uploads.length >= 1);
    const parts = uploads.at(-1)!.body as { name: string; filename: string | null; contentType: string | null }[];
    assert.deepEqual(parts.filter((p) => p.filename).map((p) => [p.name, p.filename, p.contentType]), [["Envelope", "contrato.pdf", "application/pdf"]]);

    assert.equal(doc.publishBodies.length, 1);
    const body = doc.publishBodies[0] as any;
    assert.equal(body.idDocumento, Number(ref));
    assert.equal(body.utilizaWorkflow, true);
    assert.deepEqual(
      body.destinatarios.map((d: any) => [d.email, d.acao, d.workflow, d.tipoAutenticacao, d.tipoIdentificacao, d.identificacao, d.nomeCompleto]),
      [
        [first, 0, 1, 2, 1, "52998224725", "Ana Primeira"],
        [second, 0, 2, 1, 3, "", "Bruno Segundo"],
        [validator, 1, 3, 2, 3, "", "Vera Validadora"],
      ],
    );
    for (const d of body.destinatarios) {
      assert.equal(d.tipoEnvioDocumento, 1);
      // The code's channel goes only with code-by-e-mail (tipoAutenticacao 2), never with an account login.
      assert.equal(d.tipoEnvioCodigo, d.tipoAutenticacao === 2 ? 1 : undefined);
      assert.equal(d.notificaEnvio, true);
    }
    assert.deepEqual(body.observadores, [{ email: observer, tipoEnvioDocumento: 1 }], "observers apart, never in destinatarios");
    assert.deepEqual(body.publicacaoOpcoes, {
      idDocumento: Number(ref),
      solicitaAssinaturaManuscrita: false,
      permiteRejeitarDocumento: true,
      dataExpiracao: expiresAt,
      assuntoMensagem: "Contrato para assinatura",
      corpoMensagem: "Por favor, assine o contrato.",
      intervaloLembrete: 3,
    });
  });

  test("partial signature, then completion with TAE's signed file (tipoDownload=2) stored", async () => {
    const [first, second, validator, observer] = [email("a"), email("b"), email("v"), email("o")];
    const { id, ref } = await sendPending([
      { name: "Ana", email: first, action: "sign", order: 1 },
      { name: "Beto", email: second, action: "sign", order: 2 },
      { name: "Vera", email: validator, action: "validate", order: 3 },
      { name: "Otto", email: observer, action: "observe" },
    ]);

    const signedAt = new Date("2026-11-28T14:30:00Z");
    tae.sign(Number(ref), first, signedAt);
    const partial = await refresh(id);
    assert.equal(partial.status, "partially_signed");
    const ana = partial.recipients.find((r: any) => r.email === first);
    assert.equal(ana.status, "signed");
    assert.equal(ana.actedAt, signedAt.toISOString());
    assert.equal(statusesOf(partial)[second], "pending");
    assert.ok(partial.lastCheckedAt);
    assert.equal((await api("GET", `/api/envelopes/${id}/files/signed`)).status, 409, "no signed file yet");

    tae.sign(Number(ref), second);
    tae.sign(Number(ref), validator);
    const done = await refresh(id);
    assert.equal(done.status, "completed");
    assert.ok(done.completedAt);
    assert.deepEqual(statusesOf(done), { [first]: "signed", [second]: "signed", [validator]: "validated", [observer]: "pending" });
    const types = done.events.map((e: any) => e.type);
    for (const t of ["envelope.created", "envelope.sent", "recipient.signed", "recipient.validated", "envelope.completed"]) assert.ok(types.includes(t), t);

    const served = tae.document(ref)!.downloads.filter((d) => d.kind === 2);
    assert.equal(served.length, 1, "one signed download (tipoDownload=2)");
    const file = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers["content-type"], "application/pdf");
    assert.ok(Buffer.from(file.rawPayload).equals(served[0]!.bytes), "the stored file is TAE's signed copy, byte for byte");
    assert.ok(!served[0]!.bytes.equals(tae.document(ref)!.files[0]!.bytes), "the signed copy, not the original");

    // Ended: a refresh asks nothing more of TAE.
    const before = tae.calls("status").length;
    assert.equal((await refresh(id)).status, "completed");
    assert.equal(tae.calls("status").length, before);
  });

  test("a process report (source: report) for a contract goes to TAE as the PDF obrasign rendered", async () => {
    const contract = await makeContract(h);
    const signer = email("relatorio");
    const res = await api("POST", "/api/envelopes", {
      process: "contract", recordId: contract.id, name: "Instrumento contratual", source: "report",
      recipients: [{ name: "Rui Relatório", email: signer, action: "sign", cpf: "529.982.247-25" }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await h.drain();
    const env = await envelope(res.body.id);
    assert.equal(env.status, "pending", JSON.stringify(env.failureReason));
    const doc = tae.document(env.providerRef)!;
    assert.equal(doc.name, "Instrumento contratual");
    assert.equal(doc.files.length, 1);
    const original = await h.app.inject({ method: "GET", url: `/api/envelopes/${res.body.id}/files/original`, headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    assert.ok(Buffer.from(original.rawPayload).equals(doc.files[0]!.bytes), "TAE received obrasign's report");
    const body = doc.publishBodies[0] as any;
    assert.equal(body.utilizaWorkflow, false);
    assert.deepEqual(body.destinatarios.map((d: any) => [d.email, d.workflow, d.identificacao]), [[signer, 0, "52998224725"]]);
    assert.deepEqual(body.observadores, []);
  });

  test("rejection with a reason → rejected, the reason on the envelope and the recipient", async () => {
    const [a, b] = [email("rejeita"), email("outro")];
    const { id, ref } = await sendPending([{ name: "Rita", email: a, action: "sign" }, { name: "Omar", email: b, action: "sign" }]);
    tae.reject(Number(ref), a, "Valor do item 02 está errado");
    const env = await refresh(id);
    assert.equal(env.status, "rejected");
    assert.equal(env.rejectionReason, "Valor do item 02 está errado");
    const rita = env.recipients.find((r: any) => r.email === a);
    assert.equal(rita.status, "rejected");
    assert.equal(rita.rejectionReason, "Valor do item 02 está errado");
    assert.ok(rita.actedAt);
    assert.equal(statusesOf(env)[b], "pending");
    assert.ok(env.events.some((e: any) => e.type === "envelope.rejected" && e.data.reason === "Valor do item 02 está errado"));
  });

  test("expired at TAE (deadline passed) → expired", async () => {
    const { id, ref } = await sendPending([{ name: "Pedro", email: email("prazo"), action: "sign" }], { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    tae.expire(Number(ref));
    assert.equal((await refresh(id)).status, "expired");
  });

  test("cancel (DELETE) cancels the document at TAE; a second cancel is refused", async () => {
    const { id, ref } = await sendPending([{ name: "Carla", email: email("cancela"), action: "sign" }]);
    const cancels = tae.calls("cancel").length;
    const viewer = await api("DELETE", `/api/envelopes/${id}`, undefined, "viewer");
    assert.equal(viewer.status, 403);
    const res = await api("DELETE", `/api/envelopes/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "cancelled");
    assert.equal(tae.document(ref)!.status, 7, "cancelled at TAE");
    assert.equal(tae.calls("cancel").length, cancels + 1);
    assert.equal((await api("DELETE", `/api/envelopes/${id}`)).status, 409);
    assert.equal(tae.calls("cancel").length, cancels + 1, "nothing more asked of TAE");
  });

  test("cancel of a document that TAE finished meanwhile: 409, and obrasign records the completion", async () => {
    const signer = email("terminou");
    const { id, ref } = await sendPending([{ name: "Tito", email: signer, action: "sign" }]);
    tae.sign(Number(ref), signer);
    const cancels = tae.calls("cancel").length;
    const res = await api("DELETE", `/api/envelopes/${id}`);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.body.error.message, /completed/);
    assert.equal(tae.calls("cancel").length, cancels, "no cancel TAE would refuse");
    const env = await envelope(id);
    assert.equal(env.status, "completed");
    assert.ok(env.files.some((f: any) => f.kind === "signed"));
  });

  test("a document deleted in TAE's portal → refresh → cancelled; DELETE of one cancelled there calls no cancel", async () => {
    const { id, ref } = await sendPending([{ name: "Davi", email: email("apagado"), action: "sign" }]);
    tae.deleteDocument(Number(ref));
    const env = await refresh(id);
    assert.equal(env.status, "cancelled");
    assert.ok(env.completedAt);

    const other = await sendPending([{ name: "Dora", email: email("portal"), action: "sign" }]);
    tae.deleteDocument(Number(other.ref));
    const cancels = tae.calls("cancel").length;
    const res = await api("DELETE", `/api/envelopes/${other.id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "cancelled");
    assert.equal(tae.calls("cancel").length, cancels);
  });

  test("add and remove a recipient: reflected at TAE; an observer cannot be added after sending", async () => {
    const [a, b, c] = [email("fica"), email("entra"), email("olha")];
    const { id, ref } = await sendPending([{ name: "Fica", email: a, action: "sign", order: 1 }]);
    const added = await api("POST", `/api/envelopes/${id}/recipients`, { name: "Entra", email: b, action: "witness", cpf: "529.982.247-25" });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const atTae = tae.document(ref)!.destinatarios.find((d) => d.email === b);
    assert.ok(atTae, "added at TAE");
    assert.equal(atTae.acao, 2);
    assert.equal(atTae.workflow, 2, "after the last one in the signing order");
    assert.equal(atTae.identificacao, "52998224725");

    const dup = await api("POST", `/api/envelopes/${id}/recipients`, { name: "Entra", email: b, action: "sign" });
    assert.equal(dup.status, 409);

    const observer = await api("POST", `/api/envelopes/${id}/recipients`, { name: "Olha", email: c, action: "observe" });
    assert.equal(observer.status, 422, JSON.stringify(observer.body));
    assert.match(observer.body.error.message, /observer/);
    assert.equal((await envelope(id)).recipients.length, 2, "the refused recipient is not kept");

    const entra = added.body.recipients.find((r: any) => r.email === b);
    const removed = await api("DELETE", `/api/envelopes/${id}/recipients/${entra.id}`);
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(removed.body.recipients.map((r: any) => r.email), [a]);
    assert.deepEqual(tae.document(ref)!.destinatarios.map((d) => d.email), [a], "removed at TAE");
    const remove = tae.calls("removeRecipient").at(-1)!;
    assert.deepEqual(remove.body, { idDocumento: Number(ref), emailDestinatario: b });

    // TAE refusing (a recipient it does not know): a 502 with TAE's message, obrasign unchanged.
    const ghost = await api("POST", `/api/envelopes/${id}/recipients`, { name: "Gil", email: email("ghost"), action: "sign" });
    assert.equal(ghost.status, 201);
    tae.document(ref)!.destinatarios = tae.document(ref)!.destinatarios.filter((d) => d.email === a);
    const gone = ghost.body.recipients.at(-1);
    const refused = await api("DELETE", `/api/envelopes/${id}/recipients/${gone.id}`);
    assert.equal(refused.status, 502, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "provider_error");
    assert.match(refused.body.error.message, /Destinatário não encontrado no documento/);
    assert.equal((await envelope(id)).recipients.length, 2);
  });

  test("tokens: many calls, one login; all tokens expired → exactly one new login and the call succeeds", async () => {
    // New settings (the password re-sealed) build a new adapter with an empty token cache.
    await configureTotvsSign();
    tae.resetCounters();
    const { id, ref } = await sendPending([{ name: "Lia", email: email("login"), action: "sign" }, { name: "Leo", email: email("login"), action: "sign" }]);
    for (let i = 0; i < 5; i++) await refresh(id);
    const counters = tae.counters();
    assert.equal(counters.logins, 1, JSON.stringify(counters));
    assert.ok(tae.calls().filter((c) => c.route !== "login").length >= 7);
    assert.ok(tae.calls().filter((c) => c.route !== "login").every((c) => c.authenticatedAs === service.email));

    tae.expireAllTokens();
    tae.sign(Number(ref), tae.document(ref)!.destinatarios[0]!.email);
    assert.equal((await refresh(id)).status, "partially_signed");
    const after = tae.counters();
    assert.equal(after.logins, 2, "exactly one new login");
    assert.equal(after.unauthorized, 1);
    await refresh(id);
    assert.equal(tae.counters().logins, 2);
  });

  test("5xx on status: retried and the refresh succeeds; when it persists, a clear 502", async () => {
    const { id, ref } = await sendPending([{ name: "Sofia", email: email("cincozero"), action: "sign" }, { name: "Saulo", email: email("cincozero"), action: "sign" }]);
    tae.sign(Number(ref), tae.document(ref)!.destinatarios[0]!.email);
    tae.failNext(1, { status: 503, routes: ["status"] });
    assert.equal((await refresh(id)).status, "partially_signed");

    tae.failNext(10, { status: 503, routes: ["status"] });
    const res = await api("POST", `/api/envelopes/${id}/refresh`);
    tae.clearFaults();
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "provider_error");
    assert.match(res.body.error.message, /HTTP 503/);
    assert.match(res.body.error.message, /Erro interno \(falha injetada\)/, "TAE's own message");
    assert.equal((await envelope(id)).status, "partially_signed", "nothing changed");
  });

  test("TAE too slow: the send is retried later with backoff, fails with TAE's message, and a retry reuses the document", async () => {
    tae.resetCounters();
    tae.setLatency(1_500, { routes: ["publish"] });
    try {
      const created = await sendUpload([{ name: "Lento", email: email("lento"), action: "sign" }]);
      await h.drain();
      let env = await envelope(created.id);
      assert.equal(env.status, "queued", "back to the queue, not failed at once");
      assert.match(env.providerRef, /^\d+$/, "the reference is kept before publishing");
      const ref = env.providerRef;
      const job = async () => (await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("name", "=", "envelope.send").where("payload", "like", `%${created.id}%`).executeTakeFirstOrThrow());
      let row = await job();
      assert.equal(row.status, "queued");
      assert.equal(row.attempts, 1);
      assert.ok(new Date(row.run_at).getTime() > h.clock.now().getTime(), "with a backoff");
      assert.match(row.last_error ?? "", /no answer within 500 ms/);
      assert.equal(await h.drain(), 0, "not before its time");

      // Attempts 2..4 time out too; the last one meets a TAE error with its own message.
      for (let attempt = 2; attempt <= 5; attempt++) {
        if (attempt === 5) {
          tae.clearFaults();
          tae.failNext(3, { status: 500, routes: ["publish"] });
        }
        h.clock.set(new Date(row.run_at));
        h.clock.advance(1);
        assert.equal(await h.drain(), 1);
        row = await job();
        assert.equal(row.attempts, attempt);
      }
      env = await envelope(created.id);
      assert.equal(env.status, "failed");
      assert.match(env.failureReason, /Erro interno \(falha injetada\)/, "TAE's message reaches the user");
      assert.equal(env.providerRef, ref);
      assert.equal(tae.counters().uploads, 1);
      assert.equal(tae.document(ref)!.status, 5, "still a draft at TAE: nobody was notified");

      tae.clearFaults();
      const retried = await api("POST", `/api/envelopes/${created.id}/retry`);
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      assert.equal(retried.body.status, "queued");
      await h.drain();
      env = await envelope(created.id);
      assert.equal(env.status, "pending");
      assert.equal(env.providerRef, ref);
      assert.equal(env.failureReason, null);
      assert.equal(tae.counters().uploads, 1, "no second TAE document");
      assert.equal(tae.counters().publishes, 1);
    } finally {
      tae.clearFaults();
    }
  });

  test("success:false on publish → failed at once, with TAE's own message", async () => {
    tae.failLogicallyNext("Plano de assinaturas sem saldo de documentos.", { routes: ["publish"] });
    const created = await sendUpload([{ name: "Sem Saldo", email: email("saldo"), action: "sign" }]);
    await h.drain();
    const env = await envelope(created.id);
    assert.equal(env.status, "failed");
    assert.match(env.failureReason, /Plano de assinaturas sem saldo de documentos\./);
    const row = await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("name", "=", "envelope.send").where("payload", "like", `%${created.id}%`).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 1, "a refusal is not retried");
    assert.ok(env.events.some((e: any) => e.type === "envelope.failed"));
  });

  test("crash between upload and publish: the retry reuses providerRef, one upload at TAE", async () => {
    tae.resetCounters();
    // Every publish attempt of the first run loses its connection: the run ends after the upload.
    tae.dropNext(3, { routes: ["publish"] });
    const created = await sendUpload([{ name: "Queda", email: email("queda"), action: "sign" }]);
    await h.drain();
    let env = await envelope(created.id);
    assert.equal(env.status, "queued");
    const ref = env.providerRef;
    assert.match(ref, /^\d+$/);
    assert.equal(tae.document(ref)!.status, 5);
    h.clock.advance(11 * 60_000);
    await h.drain();
    env = await envelope(created.id);
    assert.equal(env.status, "pending");
    assert.equal(env.providerRef, ref);
    assert.deepEqual([tae.counters().uploads, tae.counters().publishes], [1, 1]);
    assert.equal(tae.document(ref)!.publishBodies.length, 1, "the dropped attempts never reached TAE");
  });

  test("publish answer lost after TAE carried it out: pending, published once", async () => {
    tae.resetCounters();
    tae.dropNext(1, { routes: ["publish"], afterProcessing: true });
    const created = await sendUpload([{ name: "Perdida", email: email("perdida"), action: "sign" }]);
    await h.drain();
    const env = await envelope(created.id);
    assert.equal(env.status, "pending", env.failureReason);
    assert.deepEqual([tae.counters().uploads, tae.counters().publishes], [1, 1]);
    assert.equal(tae.document(env.providerRef)!.publishBodies.length, 1, "not published twice");
  });

  test("a user with a connected TAE account sends as its author; refresh goes on with that session", async () => {
    tae.addUser(managerTae);
    const connected = await api("POST", "/api/me/totvs-sign/connect", { email: managerTae.email, password: managerTae.password });
    assert.equal(connected.status, 200, JSON.stringify(connected.body));
    const signer = email("autor");
    const { id, ref, doc } = await sendPending([{ name: "Alice", email: signer, action: "sign" }]);
    assert.equal(doc.author, managerTae.email, "TAE's author is the user, not the service user");
    assert.ok(tae.calls("publish").filter((c) => (c.body as any).idDocumento === Number(ref)).every((c) => c.authenticatedAs === managerTae.email));
    tae.sign(Number(ref), signer);
    assert.equal((await refresh(id)).status, "completed");
    assert.equal(tae.calls("status").at(-1)!.authenticatedAs, managerTae.email);
    assert.ok((await api("DELETE", "/api/me/totvs-sign/connect")).status < 300);
  });

  test("the service password appears in no API response and no log line", async () => {
    const settings = await api("GET", "/api/settings/signature", undefined, "admin");
    assert.equal(settings.status, 200);
    assert.equal(settings.body.totvsSign.servicePasswordSet, true);
    assert.ok(!("servicePassword" in settings.body.totvsSign));
    const tested = await api("POST", "/api/settings/signature/test", undefined, "admin");
    assert.equal(tested.body.ok, true, JSON.stringify(tested.body));

    // A wrong password: the error travels to the user, the secret does not.
    tae.addUser({ ...service, password: "outra-senha-123" });
    await configureTotvsSign();
    const refused = await api("POST", "/api/settings/signature/test", undefined, "admin");
    assert.equal(refused.body.ok, false);
    tae.addUser(service);
    await configureTotvsSign();

    assert.ok(logLines.length > 50, "the logs were captured");
    assert.ok(logLines.some((l) => l.includes("totvs-sign")), "the adapter logged");
    for (const [where, texts] of [["response", responses], ["log line", logLines]] as const) {
      for (const text of texts) {
        assert.ok(!text.includes(service.password), `service password in a ${where}: ${text.slice(0, 300)}`);
        assert.ok(!text.includes(managerTae.password), `a user's TAE password in a ${where}: ${text.slice(0, 300)}`);
        assert.ok(!/tae\.[A-Za-z0-9_-]{20,}/.test(text), `a TAE token in a ${where}: ${text.slice(0, 300)}`);
      }
    }
  });
});
