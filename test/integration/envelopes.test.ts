import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { linkIn, codeIn, startTestSmtp } from "../support/smtp.js";
import { nssDbTrusting, opensslCmsVerify, pdfsig } from "../unit/signing/helpers.js";

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


/** The signing token mailed to a recipient (waits for the invitation). */
async function tokenFor(email: string) {
  await h.drain();
  const mail = await smtp.waitFor(email, (m) => linkIn(m) !== null);
  return linkIn(mail)!;
}

async function freshCode(token: string, email: string) {
  const before = smtp.to(email).length;
  const res = await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await h.drain();
  const mail = await smtp.waitFor(email, (m) => smtp.to(email).indexOf(m) >= before && /código/i.test(m.subject ?? ""));
  return codeIn(mail)!;
}

async function signAs(email: string, token?: string, signature: { type: "typed" | "drawn"; value: string } = { type: "typed", value: email }) {
  const t = token ?? (await tokenFor(email));
  const code = await freshCode(t, email);
  const res = await h.call("POST", `/api/signing/${t}/sign`, { code, consent: true, signature }, null);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  h.clock.advance(31_000);
  return { token: t, res };
}

let sequence = 0;
const email = (who: string) => `${who}.${++sequence}@example.com`;

async function uploadEnvelope(recipients: object[], extra: Record<string, unknown> = {}, files?: Uint8Array[]) {
  const contract = await makeContract(h);
  const pdfs = files ?? [await samplePdf()];
  return h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de empreitada", recipients, ...extra }) },
    ...pdfs.map((bytes, i) => ({ name: "file", filename: `contrato-${i}.pdf`, bytes })),
  ], "manager");
}

describe("built-in provider: the whole path", () => {
  test("two signers in order, a validator and an observer; sealed PDF valid for pdfsig and openssl", async () => {
    const [first, second, validator, observer] = [email("primeiro"), email("segundo"), email("validador"), email("observador")];
    const created = await uploadEnvelope([
      { name: "Ana Primeira", email: first, action: "sign", order: 1, cpf: "529.982.247-25" },
      { name: "Bruno Segundo", email: second, action: "sign", order: 2 },
      { name: "Vera Validadora", email: validator, action: "validate", order: 3 },
      { name: "Otto Observador", email: observer, action: "observe" },
    ]);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "queued");
    assert.equal(created.body.signingOrder, true);
    const id = created.body.id;

    const firstToken = await tokenFor(first);
    assert.equal((await h.call("GET", `/api/envelopes/${id}`)).body.status, "pending");
    assert.equal(smtp.to(second).length, 0, "the second signer waits for the first");
    assert.equal(smtp.to(observer).length, 0, "observers only get the final copy");

    const view = await h.call("GET", `/api/signing/${firstToken}`, undefined, null);
    assert.equal(view.status, 200);
    assert.equal(view.body.recipient.email, first);
    assert.equal(view.body.envelope.name, "Contrato de empreitada");
    const pdf = await h.app.inject({ method: "GET", url: view.body.envelope.files[0].url });
    assert.equal(pdf.headers["content-type"], "application/pdf");

    const page = await h.app.inject({ method: "GET", url: `/sign/${firstToken}`, headers: { "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Enviar código/);

    await signAs(first, firstToken, { type: "drawn", value: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=" });
    assert.equal((await h.call("GET", `/api/envelopes/${id}`)).body.status, "partially_signed");
    await signAs(second);
    await signAs(validator);
    await h.drain();

    const done = await h.call("GET", `/api/envelopes/${id}`);
    assert.equal(done.body.status, "completed");
    assert.ok(done.body.completedAt);
    assert.deepEqual(done.body.recipients.map((r: any) => r.status), ["signed", "signed", "validated", "pending"]);
    const types = done.body.events.map((e: any) => e.type);
    for (const t of ["envelope.created", "envelope.sent", "recipient.invited", "recipient.code_sent", "recipient.signed", "recipient.validated", "envelope.completed"]) assert.ok(types.includes(t), t);
    const signedEvent = done.body.events.find((e: any) => e.type === "recipient.signed");
    assert.ok(signedEvent.ip, "evidence keeps the IP");

    const signed = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/signed`, headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    assert.equal(signed.statusCode, 200);
    const bytes = new Uint8Array(signed.rawPayload);
    const { trustedRoots } = await (await import("../../src/modules/seal/identity-store.js")).trustAnchors(h.runtime.ctx);
    const report = pdfsig(bytes, nssDbTrusting(trustedRoots));
    assert.equal(report.length, 1);
    assert.ok(report[0]!.valid, report[0]!.text);
    assert.ok(report[0]!.trusted, report[0]!.text);
    assert.ok(report[0]!.totalDocumentSigned);
    assert.equal(report[0]!.subFilter, "ETSI.CAdES.detached");
    assert.ok(opensslCmsVerify(bytes, trustedRoots[0]!).ok);

    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf("Cláusula") > 0 ? tampered.indexOf("Cláusula") : 200;
    tampered[at] = tampered[at]! ^ 0x20;
    assert.equal(pdfsig(tampered, nssDbTrusting(trustedRoots))[0]!.valid, false);

    // Everyone (observer too) and the author got the signed copy.
    for (const who of [first, second, validator, observer, h.users.manager.email]) {
      const mail = await smtp.waitFor(who, (m) => /finalizado/i.test(m.subject ?? ""));
      assert.equal(mail.attachments.length, 1, who);
      assert.equal(mail.attachments[0]!.contentType, "application/pdf");
    }

    // Verification finds the envelope by the file's hash; a tampered copy is invalid.
    const verified = await h.upload("/api/verify", [{ name: "file", filename: "assinado.pdf", bytes }], null);
    assert.equal(verified.status, 200);
    assert.equal(verified.body.valid, true);
    assert.equal(verified.body.verdict, "valid");
    assert.equal(verified.body.envelopeId, id);
    assert.equal(verified.body.envelope.status, "completed");
    assert.equal(verified.body.envelope.signers.length, 3);
    assert.ok(verified.body.envelope.signers.every((s: { email: string; actedAt: string | null }) => s.email.includes("***@") && s.actedAt));
    // The manifest's QR link shows the same summary without an upload.
    const linked = await h.app.inject({ method: "GET", url: `/verify?envelope=${id}`, headers: { "accept-language": "pt-BR" } });
    assert.equal(linked.statusCode, 200);
    assert.ok(linked.body.includes("Resumo do envelope") && linked.body.includes("Finalizado") && linked.body.includes(verified.body.envelope.originals[0].sha256));
    assert.doesNotMatch(linked.body, new RegExp(first.replace(/[.@]/g, "\\$&")));
    assert.equal(verified.body.signatures[0].integrity, true);
    assert.equal(verified.body.signatures[0].trusted, true);
    const bad = await h.upload("/api/verify", [{ name: "file", filename: "alterado.pdf", bytes: tampered }], null);
    assert.equal(bad.body.valid, false);

    // Once the envelope ends a link no longer acts; for a while it shows the finished document and its signed copy.
    const reused = await h.call("GET", `/api/signing/${firstToken}`, undefined, null);
    assert.equal(reused.status, 200);
    assert.equal(reused.body.envelope.status, "completed");
    assert.equal(reused.body.recipient.mayActNow, false);
    assert.equal(reused.body.envelope.signedFiles.length, 1);
    assert.equal((await h.call("POST", `/api/signing/${firstToken}/code`, undefined, null)).status, 410);
  });

  test("rejection ends the envelope with the reason and mails the author", async () => {
    const [a, b] = [email("rejeita"), email("outro")];
    const created = await uploadEnvelope([{ name: "Rita", email: a, action: "sign" }, { name: "Omar", email: b, action: "sign" }]);
    const token = await tokenFor(a);
    const code = await freshCode(token, a);
    const short = await h.call("POST", `/api/signing/${token}/reject`, { code, reason: "" }, null);
    assert.equal(short.status, 400);
    assert.ok(short.body.error.fields.reason);
    const res = await h.call("POST", `/api/signing/${token}/reject`, { code, reason: "Valor do item 02 está errado" }, null);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const env = await h.call("GET", `/api/envelopes/${created.body.id}`);
    assert.equal(env.body.status, "rejected");
    assert.equal(env.body.rejectionReason, "Valor do item 02 está errado");
    assert.equal(env.body.recipients[0].rejectionReason, "Valor do item 02 está errado");
    await h.drain();
    const mail = await smtp.waitFor(h.users.manager.email, (m) => /rejeitado/i.test(m.subject ?? "") && (m.text ?? "").includes("item 02"));
    assert.ok(mail);
    const otherToken = linkIn(smtp.to(b).at(-1)!)!;
    assert.equal((await h.call("GET", `/api/signing/${otherToken}`, undefined, null)).status, 410);
  });

  test("expiry after the deadline (injected clock), then links answer 410", async () => {
    const a = email("prazo");
    const created = await uploadEnvelope([{ name: "Pedro", email: a, action: "sign" }], { expiresAt: new Date(h.clock.now().getTime() + 2 * 86_400_000).toISOString() });
    const token = await tokenFor(a);
    const { expireDueEnvelopes } = await import("../../src/modules/providers/embedded/jobs.js");
    assert.equal(await expireDueEnvelopes(h.runtime.ctx), 0);
    h.clock.advance(3 * 86_400_000);
    assert.ok((await expireDueEnvelopes(h.runtime.ctx)) >= 1);
    assert.equal((await h.call("GET", `/api/envelopes/${created.body.id}`)).body.status, "expired");
    assert.equal((await h.call("GET", `/api/signing/${token}`, undefined, null)).status, 410);
  });

  test("cancel withdraws the envelope; links answer 410; cancelling twice is refused", async () => {
    const a = email("cancela");
    const created = await uploadEnvelope([{ name: "Carla", email: a, action: "sign" }]);
    const token = await tokenFor(a);
    const viewer = await h.call("DELETE", `/api/envelopes/${created.body.id}`, undefined, "viewer");
    assert.equal(viewer.status, 403);
    const res = await h.call("DELETE", `/api/envelopes/${created.body.id}`, undefined, "manager");
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "cancelled");
    assert.equal((await h.call("GET", `/api/signing/${token}`, undefined, null)).status, 410);
    const page = await h.app.inject({ method: "GET", url: `/sign/${token}` });
    assert.equal(page.statusCode, 410);
    assert.equal((await h.call("DELETE", `/api/envelopes/${created.body.id}`)).status, 409);
  });

  test("five wrong codes kill the code; a new code works", async () => {
    const a = email("tentativas");
    await uploadEnvelope([{ name: "Tiago", email: a, action: "sign" }]);
    const token = await tokenFor(a);
    const code = await freshCode(token, a);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 1; i <= 5; i++) {
      const res = await h.call("POST", `/api/signing/${token}/sign`, { code: wrong, signature: { type: "typed", value: "Tiago" } }, null);
      assert.equal(res.status, 422);
      assert.ok(res.body.error.fields.code);
    }
    const blocked = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Tiago" } }, null);
    assert.equal(blocked.status, 422, "even the right code is refused after 5 wrong tries");
    assert.match(blocked.body.error.message, /new code/);
    const tooSoon = await h.call("POST", `/api/signing/${token}/code`, undefined, null);
    assert.equal(tooSoon.status, 429, "codes are rate-limited");
    h.clock.advance(31_000);
    const fresh = await freshCode(token, a);
    const ok = await h.call("POST", `/api/signing/${token}/sign`, { code: fresh, signature: { type: "typed", value: "Tiago" } }, null);
    assert.equal(ok.status, 200);
    h.clock.advance(31_000);
  });

  test("an expired code (15 minutes) is refused", async () => {
    const a = email("expira");
    await uploadEnvelope([{ name: "Eva", email: a, action: "sign" }]);
    const token = await tokenFor(a);
    const code = await freshCode(token, a);
    h.clock.advance(16 * 60_000);
    const res = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Eva" } }, null);
    assert.equal(res.status, 422);
    assert.match(res.body.error.message, /expired/);
  });

  test("concurrent signing by two recipients completes once", async () => {
    const [a, b] = [email("paralelo-a"), email("paralelo-b")];
    const created = await uploadEnvelope([{ name: "Alfa", email: a, action: "sign" }, { name: "Beta", email: b, action: "witness" }]);
    const ta = await tokenFor(a);
    const tb = await tokenFor(b);
    const [ca, cb] = [await freshCode(ta, a), await freshCode(tb, b)];
    const results = await Promise.all([
      h.call("POST", `/api/signing/${ta}/sign`, { code: ca, signature: { type: "typed", value: "Alfa" } }, null),
      h.call("POST", `/api/signing/${tb}/sign`, { code: cb, signature: { type: "typed", value: "Beta" } }, null),
    ]);
    assert.deepEqual(results.map((r) => r.status), [200, 200], JSON.stringify(results.map((r) => r.body)));
    await h.drain();
    const env = await h.call("GET", `/api/envelopes/${created.body.id}`);
    assert.equal(env.body.status, "completed");
    assert.deepEqual(env.body.recipients.map((r: any) => r.status), ["signed", "witnessed"]);
    assert.equal(env.body.events.filter((e: any) => e.type === "envelope.completed").length, 1);
    const completeJobs = await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("dedupe_key", "=", `complete:${created.body.id}`).execute();
    assert.equal(completeJobs.length, 1);
  });

  test("the same code cannot be used twice", async () => {
    const [a, b] = [email("duplo"), email("duplo-b")];
    await uploadEnvelope([{ name: "Duda", email: a, action: "sign" }, { name: "Bia", email: b, action: "sign" }]);
    const token = await tokenFor(a);
    const code = await freshCode(token, a);
    const first = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Duda" } }, null);
    assert.equal(first.status, 200);
    const again = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Duda" } }, null);
    assert.equal(again.status, 409);
  });
});

describe("envelope input", () => {
  test("wrong file types, oversize and encrypted files are refused and nothing is stored", async () => {
    const before = (await h.runtime.ctx.db.selectFrom("envelopes").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const recipients = [{ name: "X", email: email("x"), action: "sign" }];
    const notPdf = await uploadEnvelope(recipients, {}, [new TextEncoder().encode("hello, I am not a PDF")]);
    assert.equal(notPdf.status, 415);
    const fakePdf = await uploadEnvelope(recipients, {}, [new TextEncoder().encode("%PDF-1.7\n garbage without structure")]);
    assert.equal(fakePdf.status, 422);
    const big = new Uint8Array(10 * 1024 * 1024 + 10);
    big.set(await samplePdf());
    const oversize = await uploadEnvelope(recipients, {}, [big]);
    assert.equal(oversize.status, 413);
    const twoHalves = await uploadEnvelope(recipients, {}, [new Uint8Array(6 * 1024 * 1024).fill(32), new Uint8Array(6 * 1024 * 1024).fill(32)]);
    assert.equal(twoHalves.status, 413);
    const after = (await h.runtime.ctx.db.selectFrom("envelopes").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    assert.equal(Number(after), Number(before));
  });

  test("recipients: someone must sign, e-mails unique, CPF checked, action known", async () => {
    const noSigner = await uploadEnvelope([{ name: "V", email: email("v"), action: "validate" }]);
    assert.equal(noSigner.status, 400);
    assert.ok(noSigner.body.error.fields.recipients);
    const same = email("dup");
    const dup = await uploadEnvelope([{ name: "A", email: same, action: "sign" }, { name: "B", email: same.toUpperCase(), action: "witness" }]);
    assert.equal(dup.status, 400);
    assert.ok(dup.body.error.fields["recipients.1.email"]);
    const cpf = await uploadEnvelope([{ name: "A", email: email("cpf"), action: "sign", cpf: "111.111.111-11" }]);
    assert.ok(cpf.body.error.fields["recipients.0.cpf"]);
    const action = await uploadEnvelope([{ name: "A", email: email("acao"), action: "dance" }]);
    assert.ok(action.body.error.fields["recipients.0.action"]);
    const none = await uploadEnvelope([]);
    assert.equal(none.status, 422);
    assert.ok(none.body.error.fields.recipients);
  });

  test("an unknown record or process is refused naming the field", async () => {
    const res = await h.upload("/api/envelopes", [
      { name: "envelope", value: JSON.stringify({ process: "contract", recordId: "01a00000-0000-7000-8000-000000000000", name: "X", recipients: [{ name: "A", email: "a@example.com", action: "sign" }] }) },
      { name: "file", filename: "a.pdf", bytes: await samplePdf() },
    ]);
    assert.equal(res.status, 422);
    assert.ok(res.body.error.fields.recordId);
    const proc = await h.call("POST", "/api/envelopes", { process: "invoice", recordId: "01a00000-0000-7000-8000-000000000000", name: "X" });
    assert.equal(proc.status, 400);
    assert.ok(proc.body.error.fields.process);
    const viewer = await h.call("POST", "/api/envelopes", { process: "contract" }, "viewer");
    assert.equal(viewer.status, 403);
  });

  test("list with filters and cursor; detail; downloads; 404s", async () => {
    const contract = await makeContract(h);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.upload("/api/envelopes", [
        { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: `Lista ${i}`, recipients: [{ name: "L", email: email("lista"), action: "sign" }] }) },
        { name: "file", filename: "a.pdf", bytes: await samplePdf(`Lista ${i}`) },
      ]);
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await h.call("GET", `/api/envelopes?recordId=${contract.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, undefined, "viewer");
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    const byText = await h.call("GET", `/api/envelopes?q=lista 1&projectId=${contract.projectId}`);
    assert.deepEqual(byText.body.items.map((e: any) => e.id), [ids[1]]);
    const queued = await h.call("GET", `/api/envelopes?status=queued&process=contract&recordId=${contract.id}`);
    assert.equal(queued.body.items.length, 3);
    const bad = await h.call("GET", "/api/envelopes?status=flying");
    assert.equal(bad.status, 400);
    const original = await h.app.inject({ method: "GET", url: `/api/envelopes/${ids[0]}/files/original`, headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    assert.equal(original.statusCode, 200);
    assert.equal(original.headers["content-type"], "application/pdf");
    const notYet = await h.call("GET", `/api/envelopes/${ids[0]}/files/signed`);
    assert.equal(notYet.status, 409);
    assert.equal((await h.call("GET", "/api/envelopes/01a00000-0000-7000-8000-000000000000")).status, 404);
    assert.equal((await h.call("GET", "/api/envelopes", undefined, null)).status, 401);
  });

  test("add and remove recipients; the last signer cannot be removed", async () => {
    const [a, b] = [email("fica"), email("entra")];
    const created = await uploadEnvelope([{ name: "Fica", email: a, action: "sign" }]);
    await h.drain();
    const added = await h.call("POST", `/api/envelopes/${created.body.id}/recipients`, { name: "Entra", email: b, action: "sign" }, "manager");
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.recipients.length, 2);
    const bToken = await tokenFor(b);
    assert.ok(bToken, "the added recipient is invited");
    const dup = await h.call("POST", `/api/envelopes/${created.body.id}/recipients`, { name: "Entra", email: b, action: "sign" });
    assert.equal(dup.status, 409);
    const removed = await h.call("DELETE", `/api/envelopes/${created.body.id}/recipients/${added.body.recipients[1].id}`, undefined, "manager");
    assert.equal(removed.status, 200);
    assert.equal(removed.body.recipients.length, 1);
    assert.equal((await h.call("GET", `/api/signing/${bToken}`, undefined, null)).status, 404, "a removed recipient's link is dead");
    const last = await h.call("DELETE", `/api/envelopes/${created.body.id}/recipients/${removed.body.recipients[0].id}`);
    assert.equal(last.status, 409);
  });
});

test("delivered mails keep no signing link nor code in the database", async () => {
  const a = email("segredo");
  await uploadEnvelope([{ name: "Sigilo", email: a, action: "sign" }]);
  const token = await tokenFor(a);
  await freshCode(token, a);
  const stored = await h.runtime.ctx.db.selectFrom("mails").selectAll().where("to_address", "=", a).execute();
  assert.equal(stored.length, 2);
  for (const mail of stored) {
    assert.equal(mail.status, "sent");
    assert.ok(!mail.text_body.includes(token), "the link token is gone from the stored copy");
    assert.doesNotMatch(mail.subject + mail.text_body, /\b\d{6}\b/, "the code is gone from the stored copy");
    assert.equal(mail.secrets, null);
  }
});
