import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract, validCpf } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { linkIn, startTestSmtp } from "../support/smtp.js";
import { multipart } from "../support/multipart.js";

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

let sequence = 0;
const email = (who: string) => `${who}.${++sequence}@example.com`;
const phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

async function tokenFor(address: string) {
  await h.drain();
  return linkIn(await smtp.waitFor(address, (m) => linkIn(m) !== null))!;
}

async function sign(token: string, address: string) {
  const before = smtp.to(address).length;
  assert.equal((await h.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 200);
  await h.drain();
  const mail = await smtp.waitFor(address, (m) => smtp.to(address).indexOf(m) >= before && /código/i.test(m.subject ?? ""));
  assert.doesNotMatch(mail.subject ?? "", /\d{6}/, "the code is never in the subject");
  const code = /\b(\d{6})\b/.exec(mail.text ?? "")![1];
  const res = await h.call("POST", `/api/signing/${token}/sign`, { code, consent: true, signature: { type: "typed", value: address } }, null);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  h.clock.advance(31_000);
}

async function upload(recipients: object[], extra: Record<string, unknown> = {}) {
  const contract = await makeContract(h);
  return h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de fôrmas", recipients, ...extra }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
}

const monitorPage = async (id: string) =>
  (await h.app.inject({ method: "GET", url: `/monitor/envelopes/${id}`, headers: { authorization: `Bearer ${h.tokens.manager}`, "accept-language": "pt-BR" } })).body;

describe("history and statuses", () => {
  test("the first opening is in the history with IP and device; observers follow, resend waits for one's turn", async () => {
    const [first, second, observer] = [email("abre"), email("depois"), email("observa")];
    const created = await upload([
      { name: "Ana Abre", email: first, action: "sign", order: 1 },
      { name: "Beto Depois", email: second, action: "sign", order: 2 },
      { name: "Olga Observa", email: observer, action: "observe" },
    ]);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const token = await tokenFor(first);

    for (let i = 0; i < 2; i++) {
      const page = await h.app.inject({ method: "GET", url: `/sign/${token}`, headers: { "user-agent": phone, "x-forwarded-for": "203.0.113.9" } });
      assert.equal(page.statusCode, 200);
    }
    const envelope = (await h.call("GET", `/api/envelopes/${id}`)).body;
    const opened = envelope.events.filter((e: any) => e.type === "recipient.opened");
    assert.equal(opened.length, 1, "only the first opening is recorded");
    assert.equal(opened[0].data.email, first);
    assert.match(opened[0].data.device, /Android 14/);
    assert.match(opened[0].data.device, /Chrome 120/);
    assert.ok(opened[0].ip);
    assert.ok(envelope.recipients[0].openedAt);
    assert.deepEqual(envelope.recipients.map((r: any) => r.turnNow), [true, false, false]);

    let html = await monitorPage(id);
    assert.match(html, /Aberto/);
    assert.match(html, /Android 14/);
    assert.match(html, /Acompanhando/);
    assert.doesNotMatch(html, /Reenviar o convite para Beto Depois/, "the second signer's turn has not come");
    assert.match(html, /Reenviar o convite para Ana Abre/);
    const early = await h.call("POST", `/api/envelopes/${id}/recipients/${envelope.recipients[1].id}/resend`, undefined, "manager");
    assert.equal(early.status, 409);

    await sign(token, first);
    await sign(await tokenFor(second), second);
    await h.drain();
    html = await monitorPage(id);
    assert.match(html, /Notificado/);
    assert.doesNotMatch(html, /<span class="badge s-pending">Pendente/, "nobody stays Pendente once finished");
  });
});

describe("mail hygiene", () => {
  test("one CPF per person: a second recipient with the same CPF is 422 naming the field", async () => {
    const cpf = validCpf(3);
    const res = await upload([{ name: "Caio", email: email("cpf"), action: "sign", cpf }, { name: "Caio de novo", email: email("cpf"), action: "sign", cpf }]);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.ok(res.body.error.fields["recipients.1.cpf"]);
    const ok = await upload([{ name: "Caio", email: email("cpf"), action: "sign", cpf }]);
    assert.equal(ok.status, 201);
    const again = await h.call("POST", `/api/envelopes/${ok.body.id}/recipients`, { name: "Outro", email: email("cpf"), action: "sign", cpf }, "manager");
    assert.equal(again.status, 422, JSON.stringify(again.body));
    assert.ok(again.body.error.fields.cpf);
  });

  test("the company's name and logo, set by an admin, head the mails and the signing page", async () => {
    assert.equal((await h.call("PUT", "/api/company", { name: "Construtora Horizonte Ltda" }, "manager")).status, 403);
    const named = await h.call("PUT", "/api/company", { name: "Construtora Horizonte Ltda" }, "admin");
    assert.equal(named.status, 200, JSON.stringify(named.body));
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
    const notImage = multipart([{ name: "logo", filename: "logo.svg", bytes: new TextEncoder().encode("<svg onload=alert(1)>") }]);
    const refused = await h.app.inject({ method: "PUT", url: "/api/company/logo", payload: notImage.payload, headers: { ...notImage.headers, authorization: `Bearer ${h.tokens.admin}` } });
    assert.equal(refused.statusCode, 415);
    const body = multipart([{ name: "logo", filename: "logo.png", bytes: new Uint8Array(png) }]);
    const set = await h.app.inject({ method: "PUT", url: "/api/company/logo", payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${h.tokens.admin}` } });
    assert.equal(set.statusCode, 200, set.body);
    const logoUrl = JSON.parse(set.body).logoUrl as string;
    const logo = await h.app.inject({ method: "GET", url: logoUrl.replace("http://obrasign.test", "") });
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers["content-type"], "image/png");

    const a = email("marca");
    await upload([{ name: "Mara", email: a, action: "sign" }]);
    const token = await tokenFor(a);
    const invitation = await smtp.waitFor(a, (m) => linkIn(m) !== null);
    assert.match(invitation.subject ?? "", /Construtora Horizonte Ltda/);
    assert.match(invitation.text ?? "", /Construtora Horizonte Ltda/);
    assert.ok(String(invitation.html).includes(logoUrl), "the HTML part shows the logo");
    const page = await h.app.inject({ method: "GET", url: `/sign/${token}` });
    assert.match(page.body, /Construtora Horizonte Ltda/);
    assert.ok(page.body.includes(logoUrl));
  });
});

describe("the signed copy for everyone", () => {
  test("every participant gets it attached; the signer's link shows the finished document with its download", async () => {
    const [signer, validator, witness, observer] = [email("assina"), email("valida"), email("testemunha"), email("acompanha")];
    const created = await upload([
      { name: "Sara", email: signer, action: "sign" }, { name: "Vitor", email: validator, action: "validate" },
      { name: "Tina", email: witness, action: "witness" }, { name: "Otávio", email: observer, action: "observe" },
    ]);
    const token = await tokenFor(signer);
    await sign(token, signer);
    await sign(await tokenFor(validator), validator);
    await sign(await tokenFor(witness), witness);
    await h.drain();
    assert.equal((await h.call("GET", `/api/envelopes/${created.body.id}`)).body.status, "completed");
    for (const who of [signer, validator, witness, observer, h.users.manager.email]) {
      const mail = await smtp.waitFor(who, (m) => /finalizado/i.test(m.subject ?? ""));
      assert.equal(mail.attachments.length, 1, who);
      assert.equal(mail.attachments[0]!.contentType, "application/pdf");
      assert.equal(mail.attachments[0]!.content.subarray(0, 5).toString(), "%PDF-");
    }
    const page = await h.app.inject({ method: "GET", url: `/sign/${token}`, headers: { "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Documento finalizado/);
    const view = (await h.call("GET", `/api/signing/${token}`, undefined, null)).body;
    const download = await h.app.inject({ method: "GET", url: view.envelope.signedFiles[0].url });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers["content-type"], "application/pdf");
    assert.match(String(download.headers["content-disposition"]), /^attachment/);
    assert.equal((await h.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 410, "the link no longer acts");

    h.clock.advance(31 * 86_400_000);
    assert.equal((await h.app.inject({ method: "GET", url: `/sign/${token}` })).statusCode, 410, "after the configured days the link ends");
    assert.equal((await h.app.inject({ method: "GET", url: view.envelope.signedFiles[0].url })).statusCode, 410);
  });
});

describe("the signed copy over the size limit", () => {
  let small: Harness;
  before(async () => {
    small = await startHarness({ smtpUrl: smtp.url, publicUrl: "http://obrasign.test", signedCopy: { attachUpToBytes: 1, linkDays: 7 } });
  });
  after(async () => small?.close());

  test("goes as a personal link to the finished document, the author's to the monitor", async () => {
    const [signer, observer] = [email("grande"), email("olha")];
    const contract = await makeContract(small);
    const created = await small.upload("/api/envelopes", [
      { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Projeto executivo", recipients: [{ name: "Gil", email: signer, action: "sign" }, { name: "Olívia", email: observer, action: "observe" }] }) },
      { name: "file", filename: "projeto.pdf", bytes: await samplePdf() },
    ], "manager");
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await small.drain();
    const token = linkIn(await smtp.waitFor(signer, (m) => linkIn(m) !== null))!;
    assert.equal((await small.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 200);
    await small.drain();
    const code = /\b(\d{6})\b/.exec((await smtp.waitFor(signer, (m) => /código/i.test(m.subject ?? ""))).text ?? "")![1];
    assert.equal((await small.call("POST", `/api/signing/${token}/sign`, { code, consent: true, signature: { type: "typed", value: "Gil" } }, null)).status, 200);
    await small.drain();
    for (const who of [signer, observer]) {
      const mail = await smtp.waitFor(who, (m) => /finalizado/i.test(m.subject ?? ""));
      assert.equal(mail.attachments.length, 0);
      const link = linkIn(mail);
      assert.ok(link, `${who} gets a link`);
      assert.match(mail.text ?? "", /7 dias/);
      const view = await small.call("GET", `/api/signing/${link}`, undefined, null);
      assert.equal(view.status, 200);
      const pdf = await small.app.inject({ method: "GET", url: view.body.envelope.signedFiles[0].url });
      assert.equal(pdf.statusCode, 200);
    }
    const authorMail = await smtp.waitFor(small.users.manager.email, (m) => /finalizado/i.test(m.subject ?? "") && (m.text ?? "").includes("Projeto executivo"));
    assert.equal(authorMail.attachments.length, 0);
    assert.match(authorMail.text ?? "", new RegExp(`/monitor/envelopes/${created.body.id}`));
  });
});
