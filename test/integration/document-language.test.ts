import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../../src/app.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { signInByForm, type PageSession } from "../support/page-session.js";

const run = promisify(execFile);

/** The PDF's text as poppler's pdftotext reads it, whitespace runs as one space. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "obrasign-lang-"));
  try {
    await writeFile(join(dir, "in.pdf"), bytes);
    const { stdout } = await run("pdftotext", ["-enc", "UTF-8", join(dir, "in.pdf"), "-"]);
    return stdout.replace(/\s+/g, " ");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let h: Harness;
let web: FastifyInstance;
let manager: PageSession;

before(async () => {
  h = await startHarness();
  web = await createHttpServer(h.runtime.ctx);
  manager = await signInByForm(web, "manager@obrasign.test", "manager-password-1");
});
after(async () => {
  await web?.close();
  await h?.close();
});

const unique = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`;

async function file(id: string, kind: "original" | "signed"): Promise<Uint8Array> {
  const res = await h.app.inject({ method: "GET", url: `/api/envelopes/${id}/files/${kind}`, headers: { authorization: `Bearer ${h.tokens.admin}` } });
  assert.equal(res.statusCode, 200, res.body);
  return new Uint8Array(res.rawPayload);
}

const mailsTo = async (email: string) => (await h.call("GET", `/api/outbox?to=${encodeURIComponent(email)}`)).body.items as { subject: string; text: string; envelopeId: string }[];

/** The recipient signs through the public signing API, as the signing page does; the seal job runs. */
async function signAsRecipient(email: string) {
  await h.drain();
  const invitation = (await mailsTo(email))[0]!;
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(invitation.text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/code`, undefined, null)).status, 200);
  await h.drain();
  const codeMail = (await mailsTo(email)).find((m) => /\b\d{6}\b/.test(m.text))!;
  const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
  const signed = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Assinante" } }, null);
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  await h.drain();
}

describe("documents in the envelope's language", () => {
  test("a sender whose screen is in English sends the wizard's default: report, mails and manifest are Portuguese", async () => {
    const contract = await makeContract(h, { number: `CT-PT-${Date.now()}` });
    const url = `/records/contracts/${contract.id}/send`;
    const cookies = { ...manager.cookies, lang: "en" };
    const first = await web.inject({ method: "GET", url, cookies });
    assert.equal(first.statusCode, 200);
    assert.ok(first.body.includes("Language of the documents"), "the page itself is in English");
    assert.match(first.body, /<option value="pt-BR" lang="pt-BR" selected>Portuguese \(Brazil\)<\/option>/, "Portuguese is proposed: the project's default");
    const state = () => /name="state" value="([^"]+)"/.exec(current)![1]!;
    let current = first.body;
    const step1 = multipart([
      { name: "step", value: "1" }, { name: "state", value: state() }, { name: "name", value: `Contrato ${contract.number}` }, { name: "source", value: "report" },
      { name: "language", value: "pt-BR" }, { name: "nav", value: "next" },
    ]);
    const two = await web.inject({ method: "POST", url, payload: step1.payload, headers: { ...step1.headers, ...manager.headers }, cookies });
    assert.equal(two.statusCode, 200, two.body.slice(0, 500));
    current = two.body;
    const email = unique("fornecedor");
    const three = await web.inject({ method: "POST", url, cookies, headers: manager.headers, payload: { step: "2", state: state(), nav: "next", "r.0.name": "Fornecedor Brasileiro", "r.0.email": email, "r.0.action": "sign" } });
    assert.equal(three.statusCode, 200);
    assert.ok(three.body.includes("Portuguese (Brazil)"), "the summary names the documents' language");
    current = three.body;
    const sent = await web.inject({ method: "POST", url, cookies, headers: manager.headers, payload: { step: "3", state: state(), nav: "send" } });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));

    const [envelope] = (await h.call("GET", `/api/envelopes?recordId=${contract.id}`)).body.items;
    assert.equal(envelope.language, "pt-BR");
    const report = await pdfText(await file(envelope.id, "original"));
    assert.match(report, /Instrumento contratual/);
    assert.match(report, /R\$ 56\.996,00/, "Brazilian amounts");
    assert.doesNotMatch(report, /Contract instrument/);

    await h.drain();
    const [invitation] = await mailsTo(email);
    assert.match(invitation!.subject, /^Documento para assinar: /);
    assert.match(invitation!.text, /Olá, Fornecedor Brasileiro/);
    assert.doesNotMatch(invitation!.text, /\bHello\b/);

    await signAsRecipient(email);
    const done = (await h.call("GET", `/api/envelopes/${envelope.id}`)).body;
    assert.equal(done.status, "completed");
    assert.match(done.files.find((f: any) => f.kind === "signed").name, / \(assinado\)\.pdf$/);
    const manifest = await pdfText(await file(envelope.id, "signed"));
    assert.match(manifest, /Manifesto de assinaturas/);
    assert.match(manifest, /Código de uso único enviado ao e-mail do participante/);
    assert.doesNotMatch(manifest, /Signature manifest/);
    assert.ok((await mailsTo(email)).some((m) => /^Documento finalizado: /.test(m.subject)));
  });

  test("language \"en\" on the API gives English documents and mails", async () => {
    const contract = await makeContract(h, { number: `CT-EN-${Date.now()}` });
    const email = unique("supplier");
    const created = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, language: "en", recipients: [{ name: "Foreign Supplier", email, action: "sign" }] }, "admin", { "accept-language": "pt-BR" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.language, "en");
    assert.equal(created.body.name, `Contract instrument - ${contract.number}`);
    const report = await pdfText(await file(created.body.id, "original"));
    assert.match(report, /Contract instrument/);
    assert.doesNotMatch(report, /Instrumento contratual/);

    await h.drain();
    const [invitation] = await mailsTo(email);
    assert.match(invitation!.subject, /^Document to sign: /);
    assert.match(invitation!.text, /Hello, Foreign Supplier/);
    await signAsRecipient(email);
    const manifest = await pdfText(await file(created.body.id, "signed"));
    assert.match(manifest, /Signature manifest/);
    assert.match(manifest, /One-time code sent to the participant.s e-mail/);
    assert.doesNotMatch(manifest, /Manifesto de assinaturas/);
    assert.ok((await mailsTo(email)).some((m) => /^Document completed: /.test(m.subject)));
  });

  test("a language other than pt-BR or en is a 400 naming the field, and nothing is created", async () => {
    const contract = await makeContract(h);
    for (const language of ["fr", "pt", 1]) {
      const res = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, language, recipients: [{ name: "Ana", email: unique("ana"), action: "sign" }] });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "validation");
      assert.match(res.body.error.fields.language, /pt-BR, en/);
    }
    const portuguese = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, language: "fr", recipients: [{ name: "Ana", email: unique("ana"), action: "sign" }] }, "admin", { "accept-language": "pt-BR" });
    assert.equal(portuguese.body.error.fields.language, "deve ser um destes: pt-BR, en");
    assert.equal((await h.call("GET", `/api/envelopes?recordId=${contract.id}`)).body.items.length, 0);
  });

  test("the project's default language: set by the API and the settings page, taken when the sender does not choose", async () => {
    const contract = await makeContract(h);
    const settingsUrl = `/api/projects/${contract.projectId}/signature-settings`;
    assert.equal((await h.call("GET", settingsUrl)).body.documentLanguage, "pt-BR");
    const bad = await h.call("PUT", settingsUrl, { documentLanguage: "es" });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.documentLanguage);
    const put = await h.call("PUT", settingsUrl, { documentLanguage: "en" });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.documentLanguage, "en");

    const created = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, recipients: [{ name: "Ana", email: unique("ana"), action: "sign" }] });
    assert.equal(created.body.language, "en", "no language given: the project's");
    const chosen = await h.call("POST", "/api/envelopes", { process: "contract", recordId: contract.id, language: "pt-BR", recipients: [{ name: "Ana", email: unique("ana"), action: "sign" }] });
    assert.equal(chosen.body.language, "pt-BR", "the sender's choice wins");

    // The wizard proposes the project's default.
    const wizard = await web.inject({ method: "GET", url: `/records/contracts/${contract.id}/send`, cookies: manager.cookies });
    assert.match(wizard.body, /<option value="en" lang="en" selected>Inglês<\/option>/);

    // The settings page shows and saves it.
    const page = await web.inject({ method: "GET", url: `/projects/${contract.projectId}/signature-settings`, cookies: manager.cookies });
    assert.match(page.body, /<option value="en" lang="en" selected>Inglês<\/option>/);
    const saved = await web.inject({ method: "POST", url: `/projects/${contract.projectId}/signature-settings`, cookies: manager.cookies, headers: manager.headers, payload: { documentLanguage: "pt-BR" } });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    assert.equal((await h.call("GET", settingsUrl)).body.documentLanguage, "pt-BR");
    const refused = await web.inject({ method: "POST", url: `/projects/${contract.projectId}/signature-settings`, cookies: manager.cookies, headers: manager.headers, payload: { documentLanguage: "xx" } });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="documentLanguage-error" class="pss-error">Escolha português ou inglês.</);
  });
});
