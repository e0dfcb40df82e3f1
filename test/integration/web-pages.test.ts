import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { authPages } from "../../src/modules/auth/pages.js";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { recordRoutes } from "../../src/modules/records/routes.js";
import { envelopeRoutes } from "../../src/modules/envelopes/routes.js";
import { sendWizardPages, webPages } from "../../src/modules/web/index.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract, makeParty, moveTo, validCpf } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { signInByForm, type PageSession } from "../support/page-session.js";
import { samplePdf } from "../support/pdfs.js";
import { formatBRL } from "../../src/modules/reports/format.js";

let h: Harness;
/** The pages are not wired in src/app.ts by this module: a server with them, on the harness's runtime. */
let web: FastifyInstance;
const sessions = {} as Record<Role, string>;
const browsers = {} as Record<Role, PageSession>;
let family: Awaited<ReturnType<typeof makeFamily>>;

before(async () => {
  h = await startHarness();
  web = await createHttpServer(h.runtime.ctx);
  for (const role of ["admin", "manager", "viewer"] as const) {
    browsers[role] = await signInByForm(web, `${role}@obrasign.test`, `${role}-password-1`);
    sessions[role] = browsers[role].cookies.obrasign_session!;
  }
  family = await makeFamily();
});
after(async () => {
  await web?.close();
  await h?.close();
});

type Lang = "pt-BR" | "en";
const page = (url: string, as: Role = "manager", lang: Lang = "pt-BR", cookies: Record<string, string> = {}) =>
  web.inject({ method: "GET", url, cookies: { obrasign_session: sessions[as], ...cookies }, headers: { "accept-language": lang } });
const post = (url: string, payload: Record<string, string>, as: Role = "manager", lang: Lang = "pt-BR") =>
  web.inject({ method: "POST", url, payload, cookies: browsers[as].cookies, headers: { ...browsers[as].headers, "accept-language": lang } });
const postMultipart = (url: string, parts: Parameters<typeof multipart>[0], as: Role = "manager") => {
  const body = multipart(parts);
  return web.inject({ method: "POST", url, payload: body.payload, headers: { ...body.headers, ...browsers[as].headers, "accept-language": "pt-BR" }, cookies: browsers[as].cookies });
};
const stateOf = (html: string) => /name="state" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail("no state field");
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

/** A project with one contract and one of every child record. */
async function makeFamily() {
  const party = await makeParty(h, {
    contacts: [
      { name: "Ana Souza", email: `ana.${Date.now()}@example.com`, cpf: validCpf(), role: "legal_representative" },
      { name: "Bruno Lima", email: `bruno.${Date.now()}@example.com`, role: "witness" },
    ],
  });
  const contract = await makeContract(h, { partyId: party.id });
  await moveTo(h, "contracts", contract.id, "approved", "active");
  const ok = async (url: string, body: unknown) => {
    const res = await h.call("POST", url, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const amendment = await ok("/api/amendments", { contractId: contract.id, number: "1", kind: "value", valueDeltaCents: 1_000_000, description: "Acréscimo de concreto" });
  const period = await ok("/api/periods", { contractId: contract.id, startDate: "2026-01-05", endDate: "2026-01-31" });
  const measurement = await ok("/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 12.5 }] });
  const advance = await ok("/api/advances", { contractId: contract.id, number: "ADT-01", amountCents: 5_000_000, dueDate: "2026-02-15" });
  return { party, contract, amendment, period, measurement, advance };
}


describe("project and record pages", () => {
  test("home redirects to the projects list, which counts contracts", async () => {
    const home = await page("/");
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, "/projects");
    const list = await page("/projects");
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`href="/projects/${family.contract.projectId}"`));
    assert.match(text(list.body), /1 contrato\b/);
    assert.match(text(list.body), /1 ativo\b/);
    const anonymous = await web.inject({ method: "GET", url: "/projects" });
    assert.equal(anonymous.statusCode, 302);
    assert.match(String(anonymous.headers.location), /^\/login\?next=/);
  });

  test("a project lists its contracts, with links to its signature settings and monitor", async () => {
    const res = await page(`/projects/${family.contract.projectId}`);
    assert.equal(res.statusCode, 200);
    const body = text(res.body);
    assert.ok(body.includes(family.contract.number));
    assert.ok(body.includes("Construtora Exemplo Ltda"));
    assert.ok(body.includes(formatBRL(family.contract.totalCents)), "the total in R$ 1.234,56");
    assert.match(res.body, new RegExp(`href="/projects/${family.contract.projectId}/signature-settings"`));
    assert.match(res.body, new RegExp(`href="/monitor\\?projectId=${family.contract.projectId}"`));
    assert.ok(body.includes("Assinatura Eletrônica"));
    assert.equal((await page("/projects/00000000-0000-7000-8000-000000000000")).statusCode, 404);
    assert.equal((await page("/projects/nope")).statusCode, 404);
  });

  test("every record kind renders, in pt-BR and in English", async () => {
    const expectations: Record<string, { id: string; pt: string[]; en: string[] }> = {
      contracts: {
        id: family.contract.id,
        pt: ["Contrato " + family.contract.number, "Ativo", "Concreto fck 30", "R$ 450,00", "R$ 45.000,00", "1.000,50", "05/01/2026", "Aditivos", "Períodos", "Medições", "Adiantamentos", "Encerrar"],
        en: ["Contract " + family.contract.number, "Active", "R$ 450.00", "R$ 45,000.00", "1,000.50", "5 Jan 2026", "Amendments", "Periods", "Measurements", "Advance payments", "Close"],
      },
      amendments: { id: family.amendment.id, pt: ["Aditivo 1", "Rascunho", "R$ 10.000,00", "Acréscimo de concreto", "Aprovar"], en: ["Amendment 1", "Draft", "R$ 10,000.00", "Approve"] },
      periods: { id: family.period.id, pt: ["Período de contrato 1", "Aberto", "31/01/2026", "Fechar período", "Medições"], en: ["Contract period 1", "Open", "31 Jan 2026", "Close period"] },
      measurements: { id: family.measurement.id, pt: ["Medição 1", "Rascunho", "12,50", "R$ 5.625,00", "Concreto fck 30", "Aprovar"], en: ["Measurement 1", "Draft", "12.50", "R$ 5,625.00", "Approve"] },
      advances: { id: family.advance.id, pt: ["Adiantamento de contrato ADT-01", "Solicitado", "R$ 50.000,00", "15/02/2026"], en: ["Advance payment ADT-01", "Requested", "R$ 50,000.00", "15 Feb 2026"] },
    };
    for (const [kind, e] of Object.entries(expectations)) {
      for (const lang of ["pt-BR", "en"] as const) {
        const res = await page(`/records/${kind}/${e.id}`, "manager", lang);
        assert.equal(res.statusCode, 200, `${kind} ${lang}`);
        assert.equal(res.headers["content-language"], lang);
        const body = text(res.body);
        for (const s of lang === "pt-BR" ? e.pt : e.en) assert.ok(body.includes(s), `${kind} (${lang}) shows ${s}`);
        assert.ok(body.includes(lang === "pt-BR" ? "Enviar para assinatura" : "Send for signature"), `${kind} has the send button`);
        assert.ok(body.includes(lang === "pt-BR" ? "Nenhum documento enviado" : "Nothing sent for signature yet"));
        assert.match(res.body, new RegExp(`href="/records/${kind}/${e.id}/send"`));
      }
    }
    assert.equal((await page(`/records/parties/${family.party.id}`)).statusCode, 404, "parties have no page");
    assert.equal((await page(`/records/contracts/${family.amendment.id}`)).statusCode, 404);
  });

  test("a viewer sees no send button nor transition buttons, and is refused the wizard and transitions", async () => {
    const res = await page(`/records/contracts/${family.contract.id}`, "viewer");
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /Enviar para assinatura/);
    assert.doesNotMatch(res.body, /\/transitions"/);
    assert.ok(text(res.body).includes("Somente gestores e administradores podem mudar a situação."));
    assert.equal((await page(`/records/contracts/${family.contract.id}/send`, "viewer")).statusCode, 403);
    const wizardPost = await post(`/records/contracts/${family.contract.id}/send`, { step: "3", nav: "send" }, "viewer");
    assert.equal(wizardPost.statusCode, 403);
    assert.ok(text(wizardPost.body).includes("Somente gestores e administradores podem enviar"));
    const move = await post(`/records/contracts/${family.contract.id}/transitions`, { to: "closed" }, "viewer");
    assert.equal(move.statusCode, 403);
    assert.equal((await h.call("GET", `/api/contracts/${family.contract.id}`)).body.status, "active", "nothing moved");
    const envelopes = await h.call("GET", `/api/envelopes?recordId=${family.contract.id}`);
    assert.equal(envelopes.body.items.length, 0, "nothing sent");
  });

  test("transition buttons move the record; a refused move shows the 409 message", async () => {
    const contract = await makeContract(h);
    const url = `/records/contracts/${contract.id}`;
    const before = await page(url);
    assert.match(before.body, /name="to" value="approved"/);
    assert.match(before.body, /name="to" value="cancelled"/);
    const moved = await post(`${url}/transitions`, { to: "approved" });
    assert.equal(moved.statusCode, 303);
    assert.equal(moved.headers.location, url);
    const flash = moved.cookies.find((c) => c.name === "obrasign_flash")!;
    const after = await page(url, "manager", "pt-BR", { obrasign_flash: flash.value });
    assert.ok(text(after.body).includes("Situação alterada para Aprovado."));
    assert.match(after.body, /name="to" value="active"/);
    // A button from a page that is now stale: the record moved on meanwhile.
    const refused = await post(`${url}/transitions`, { to: "approved" });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /role="alert"/);
    assert.ok(text(refused.body).includes("Ação recusada"));
    assert.ok(text(refused.body).includes("Não é possível passar o contrato de “Aprovado” para “Aprovado” (de “Aprovado” pode ir para: Ativo, Cancelado)"), text(refused.body).slice(0, 2000));
    assert.equal((await h.call("GET", `/api/contracts/${contract.id}`)).body.status, "approved");
  });
});

describe("the send wizard", () => {
  const wizard = (kind = "contracts", id = family.contract.id) => `/records/${kind}/${id}/send`;

  async function stepTwo(kind = "contracts", id = family.contract.id, name = "Contrato para assinatura") {
    const first = await page(wizard(kind, id));
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /enctype="multipart\/form-data"/);
    const res = await postMultipart(wizard(kind, id), [
      { name: "step", value: "1" }, { name: "state", value: stateOf(first.body) }, { name: "name", value: name }, { name: "source", value: "report" }, { name: "nav", value: "next" },
    ]);
    assert.equal(res.statusCode, 200, text(res.body).slice(0, 500));
    assert.ok(text(res.body).includes("Destinatários"));
    return res;
  }

  test("step 1 is prefilled from the record; the name is required", async () => {
    const first = await page(wizard());
    assert.match(first.body, new RegExp(`id="name"[^>]*value="Contrato ${family.contract.number}"`));
    assert.match(first.body, /<input type="radio" name="source" value="report" checked/);
    for (const label of ["Identificação", "Destinatários", "Confirmação", "Relatório do processo", "Arquivo PDF"]) assert.ok(text(first.body).includes(label));
    const empty = await post(wizard(), { step: "1", state: stateOf(first.body), name: "  ", source: "report", nav: "next" });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<input id="name"[^>]*aria-describedby="name-hint name-err"[^>]*aria-invalid="true"[^>]*autofocus/);
    assert.match(empty.body, /id="name-err">Informe o nome do documento.</);
    const english = await page(wizard(), "manager", "en");
    assert.ok(text(english.body).includes("Identification"));
    assert.match(english.body, new RegExp(`value="Contract ${family.contract.number}"`));
  });

  test("the party's contacts are offered; without a signer it refuses and says why, next to the recipients", async () => {
    const two = await stepTwo();
    for (const c of family.party.contacts) {
      assert.match(two.body, new RegExp(`name="contact\\.${c.id}"`), `contact ${c.name} offered`);
      assert.match(two.body, new RegExp(`<label class="sr-only" for="contact-${c.id}-action">Incluir ${c.name} como</label>`));
    }
    const ana = family.party.contacts[0];
    const res = await post(wizard(), {
      step: "2", state: stateOf(two.body), nav: "next", [`contact.${ana.id}`]: "on", [`contact.${ana.id}.action`]: "observe",
      "r.0.name": "Fiscal", "r.0.email": "fiscal@obra.example", "r.0.action": "validate",
    });
    assert.equal(res.statusCode, 400);
    const body = text(res.body);
    assert.ok(body.includes("Nenhum destinatário assina"), body.slice(0, 1500));
    assert.match(res.body, /<p class="field-error block" id="recipients-err"/);
    assert.match(res.body, /<table[^>]*aria-describedby="recipients-hint recipients-err"/);
    assert.match(res.body, /<select id="r-0-action" name="r.0.action" aria-describedby="recipients-err"[^>]*autofocus/);
    // The ticked contact became a row, kept with its action.
    assert.match(res.body, new RegExp(`name="r.1.email"[^>]*value="${ana.email}"`));
    assert.equal((await h.call("GET", `/api/envelopes?recordId=${family.contract.id}`)).body.items.length, 0);
  });

  test("an invalid e-mail and CPF are named next to their row", async () => {
    const two = await stepTwo();
    const res = await post(wizard(), {
      step: "2", state: stateOf(two.body), nav: "next",
      "r.0.name": "Ana", "r.0.email": "ana@example.com", "r.0.action": "sign",
      "r.1.name": "Carlos", "r.1.email": "carlos@@obra", "r.1.cpf": "123.456.789-00", "r.1.action": "sign",
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<input id="r-1-email" name="r.1.email" type="email"[^>]*aria-describedby="r-1-email-err" aria-invalid="true" autofocus>/);
    assert.match(res.body, /<p class="field-error" id="r-1-email-err">E-mail inválido: carlos@@obra.<\/p>/);
    assert.match(res.body, /<p class="field-error" id="r-1-cpf-err">CPF\/CNPJ inválido: 123.456.789-00.<\/p>/);
    assert.match(res.body, /href="#r-1-email">Destinatário 2: E-mail inválido/);
    assert.doesNotMatch(res.body, /id="r-0-email-err"/);
  });

  test("three steps through form posts send the process report; the record page lists it", async () => {
    const two = await stepTwo("contracts", family.contract.id, "Contrato — envio pela página");
    // "Adicionar outra pessoa" keeps what was typed and adds a blank row.
    const added = await post(wizard(), { step: "2", state: stateOf(two.body), nav: "add", blanks: "1", "r.0.name": "Ana Gestora", "r.0.email": "Ana.Gestora@Obra.example", "r.0.cpf": validCpf(3), "r.0.action": "sign" });
    assert.equal(added.statusCode, 200);
    assert.match(added.body, /name="r.0.email"[^>]*value="Ana.Gestora@Obra.example"/);
    assert.match(added.body, /id="r-2-name"/, "two blank rows now");
    const three = await post(wizard(), {
      step: "2", state: stateOf(added.body), nav: "next", signingOrder: "on",
      "r.0.name": "Ana Gestora", "r.0.email": "Ana.Gestora@Obra.example", "r.0.cpf": validCpf(3), "r.0.action": "sign", "r.0.order": "1",
      "r.1.name": "Bia Testemunha", "r.1.email": "bia@obra.example", "r.1.action": "witness", "r.1.order": "2",
      "r.2.name": "", "r.2.email": "", "r.2.action": "sign",
    });
    assert.equal(three.statusCode, 200, text(three.body).slice(0, 800));
    const summary = text(three.body);
    for (const s of ["Confirmação", "Contrato — envio pela página", "Relatório do processo", "Em ordem", "Ana Gestora", "Bia Testemunha", "Testemunhar", "Enviar"]) assert.ok(summary.includes(s), s);
    // Back keeps everything.
    const back = await post(wizard(), { step: "3", state: stateOf(three.body), nav: "back" });
    assert.match(back.body, /name="r.1.email"[^>]*value="bia@obra.example"/);
    assert.match(back.body, /name="signingOrder" value="on" checked/);

    const sent = await post(wizard(), { step: "3", state: stateOf(three.body), nav: "send" });
    assert.equal(sent.statusCode, 303, text(sent.body).slice(0, 800));
    assert.equal(sent.headers.location, `/records/contracts/${family.contract.id}`);
    const flash = sent.cookies.find((c) => c.name === "obrasign_flash")!;
    const list = await h.call("GET", `/api/envelopes?recordId=${family.contract.id}`);
    assert.equal(list.body.items.length, 1);
    const envelope = list.body.items[0];
    assert.equal(envelope.name, "Contrato — envio pela página");
    assert.equal(envelope.source, "report");
    assert.equal(envelope.signingOrder, true);
    assert.deepEqual(envelope.recipients.map((r: any) => [r.email, r.action, r.order]), [["ana.gestora@obra.example", "sign", 1], ["bia@obra.example", "witness", 2]]);

    const record = await page(`/records/contracts/${family.contract.id}`, "manager", "pt-BR", { obrasign_flash: flash.value });
    assert.match(record.body, /<p class="ok flash" role="status">Enviado para assinatura<\/p>/);
    assert.match(record.body, new RegExp(`href="/monitor/envelopes/${envelope.id}">Contrato — envio pela página</a>`));
    assert.ok(text(record.body).includes("Na fila"));
    assert.ok(text(record.body).includes("0 de 2"), "acted / total: the signer and the witness");

    await h.drain();
    assert.equal((await h.call("GET", `/api/envelopes/${envelope.id}`)).body.status, "pending");
    const later = await page(`/records/contracts/${family.contract.id}`);
    assert.ok(text(later.body).includes("Pendente"));
    assert.doesNotMatch(later.body, /Enviado para assinatura<\/p>/, "the flash shows once");
  });

  test("an uploaded PDF is kept between steps under a signed reference and sent", async () => {
    const url = wizard("measurements", family.measurement.id);
    const first = await page(url);
    const missing = await postMultipart(url, [{ name: "step", value: "1" }, { name: "state", value: stateOf(first.body) }, { name: "name", value: "Boletim" }, { name: "source", value: "upload" }, { name: "nav", value: "next" }]);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /id="file-err">Escolha um arquivo PDF.</);
    const notPdf = await postMultipart(url, [
      { name: "step", value: "1" }, { name: "state", value: stateOf(first.body) }, { name: "name", value: "Boletim" }, { name: "source", value: "upload" },
      { name: "file", filename: "nota.pdf", bytes: new TextEncoder().encode("not a pdf") }, { name: "nav", value: "next" },
    ]);
    assert.equal(notPdf.statusCode, 400);
    assert.match(notPdf.body, /id="file-err">nota.pdf: O arquivo não é um PDF \(falta o cabeçalho %PDF\)/);

    const pdf = await samplePdf("Boletim de medição assinado à parte");
    const two = await postMultipart(url, [
      { name: "step", value: "1" }, { name: "state", value: stateOf(first.body) }, { name: "name", value: "Boletim de medição 1" }, { name: "source", value: "upload" },
      { name: "file", filename: "boletim-1.pdf", bytes: pdf }, { name: "nav", value: "next" },
    ]);
    assert.equal(two.statusCode, 200, text(two.body).slice(0, 600));
    const three = await post(url, { step: "2", state: stateOf(two.body), nav: "next", "r.0.name": "Ana", "r.0.email": "ana.upload@obra.example", "r.0.action": "sign" });
    assert.equal(three.statusCode, 200);
    assert.ok(text(three.body).includes("boletim-1.pdf"));

    // A reference whose MAC does not match (forged, or another user's draft) is refused, and nothing is sent.
    const draft = JSON.parse(Buffer.from(stateOf(three.body), "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...draft, uploads: [{ ...draft.uploads[0], mac: "0".repeat(64) }] })).toString("base64url");
    const refused = await post(url, { step: "3", state: forged, nav: "send" });
    assert.equal(refused.statusCode, 400);
    assert.ok(text(refused.body).includes("O arquivo enviado não foi encontrado"));
    const asAdmin = await post(url, { step: "3", state: stateOf(three.body), nav: "send" }, "admin");
    assert.equal(asAdmin.statusCode, 400, "the reference belongs to the manager's draft");
    assert.equal((await h.call("GET", `/api/envelopes?recordId=${family.measurement.id}`)).body.items.length, 0);

    const sent = await post(url, { step: "3", state: stateOf(three.body), nav: "send" });
    assert.equal(sent.statusCode, 303, text(sent.body).slice(0, 600));
    const [envelope] = (await h.call("GET", `/api/envelopes?recordId=${family.measurement.id}`)).body.items;
    assert.equal(envelope.source, "upload");
    assert.equal(envelope.process, "measurement");
    const original = await h.call("GET", `/api/envelopes/${envelope.id}/files/original`);
    assert.equal(original.status, 200);
    assert.equal(original.raw.rawPayload.length, pdf.length);
    await h.drain();
    assert.equal((await h.call("GET", `/api/envelopes/${envelope.id}`)).body.status, "pending");
  });
});
