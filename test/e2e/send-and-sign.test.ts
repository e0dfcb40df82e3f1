import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { hasTool } from "../fixtures/pdf/make-fixtures.js";
import { makeContract, makeParty, makeProject, validCpf } from "../support/factories.js";
import { pdfText } from "../unit/reports/pdf-text.js";
import { nssDbTrusting, pdfsig } from "../unit/signing/helpers.js";
import { codeIn, eventually, launchChromium, linkIn, logIn, newContext, startE2eServer, type E2eServer, type Locale } from "./support.js";

/**
 * A new contract manager's day, in Chromium: sign in, open a contract, send
 * its report to two people through the wizard, each signs from the link in
 * their mail with a code read from the SMTP server, the monitor shows the
 * envelope finished, and the signed PDF downloads. Once in pt-BR, once in English.
 */

let server: E2eServer;
let browser: Browser;
before(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** What the pages say, per language (the modules' messages.ts and i18n.ts, and src/platform/i18n). */
const labels = {
  "pt-BR": {
    login: { email: /^E-mail$/, password: /^Senha$/, submit: /^Entrar$/ },
    projectsHeading: "Projetos",
    sendForSignature: "Enviar para assinatura",
    steps: { identification: "Identificação", recipients: "Destinatários", confirmation: "Confirmação" },
    documentName: "Nome do documento",
    sourceReport: "Relatório do processo",
    next: "Próximo",
    send: "Enviar",
    newPersonName: "Nome — Nova pessoa",
    newPersonEmail: "E-mail — Nova pessoa",
    newPersonCpf: "CPF — Nova pessoa",
    includeAs: (name: string) => `Incluir ${name} como`,
    sign: "Assinar",
    sent: "Enviado para assinatura",
    sendCode: /^Enviar código para/,
    codeSent: /Código enviado/,
    code: "Código de 6 dígitos",
    typed: "Digitada",
    drawn: "Desenhada",
    typedName: "Digite seu nome completo",
    consent: /Li o documento e concordo/,
    confirm: "Assinar — Confirmar",
    done: /Pronto! Sua ação foi registrada/,
    monitorTitle: "Monitor de assinaturas",
    completed: "Finalizado",
    downloadSigned: (name: string) => `Baixar o documento assinado de ${name}`,
  },
  "en-US": {
    login: { email: /^E-mail$/, password: /^Password$/, submit: /^Sign in$/ },
    projectsHeading: "Projects",
    sendForSignature: "Send for signature",
    steps: { identification: "Identification", recipients: "Recipients", confirmation: "Confirmation" },
    documentName: "Document name",
    sourceReport: "The process report",
    next: "Next",
    send: "Send",
    newPersonName: "Name — New person",
    newPersonEmail: "E-mail — New person",
    newPersonCpf: "CPF — New person",
    includeAs: (name: string) => `Include ${name} as`,
    sign: "Sign",
    sent: "Sent for signature",
    sendCode: /^Send a code to/,
    codeSent: /Code sent/,
    code: "6-digit code",
    typed: "Typed",
    drawn: "Drawn",
    typedName: "Type your full name",
    consent: /I have read the document and agree/,
    confirm: "Sign — Confirm",
    done: /Done! Your action was recorded/,
    monitorTitle: "Signature monitor",
    completed: "Completed",
    downloadSigned: (name: string) => `Download the signed document of ${name}`,
  },
} satisfies Record<Locale, unknown>;

let sequence = 0;

/** A project with one contract whose party has a legal representative, all through the API (what an ERP would load). */
async function contractToSend(tag: string) {
  const n = ++sequence;
  const project = await makeProject(server.api, { code: `OB-${tag}-${n}`, name: `Residencial Ipê ${tag} ${n}` });
  const contact = { name: `Ana Souza ${tag}`, email: `ana.${tag}.${n}@example.com`, cpf: validCpf(n), role: "legal_representative" };
  const party = await makeParty(server.api, { name: `Construtora Horizonte ${tag} Ltda`, contacts: [contact] });
  const contract = await makeContract(server.api, { projectId: project.id, partyId: party.id, number: `CT-${tag}-${n}` });
  return { project, contract, contact };
}

/** One recipient's turn: the link from the invitation in a fresh browser, a code from the mail, consent, signature. */
async function signFromMail(locale: Locale, email: string, style: "typed" | "drawn") {
  const t = labels[locale];
  const invitation = await server.smtp.waitFor(email, (m) => linkIn(m) !== null, 30_000);
  const link = linkIn(invitation)!;
  assert.ok(link.startsWith(server.url), `the link points at the server: ${link}`);

  const context = await newContext(browser, server, locale);
  try {
    const page = await context.newPage();
    await page.goto(link);
    const codesBefore = server.smtp.to(email).length;
    await page.getByRole("button", { name: t.sendCode }).click();
    await page.getByRole("status").filter({ hasText: t.codeSent }).waitFor();
    const codeMail = await server.smtp.waitFor(email, (m) => server.smtp.to(email).indexOf(m) >= codesBefore && /código de confirmação/i.test(m.subject ?? ""));
    await page.getByLabel(t.code).fill(codeIn(codeMail)!);

    if (style === "typed") {
      await page.getByLabel(t.typedName).fill(`Assinatura de ${email}`);
    } else {
      await page.getByLabel(t.drawn, { exact: true }).check();
      const pad = page.locator("canvas#pad");
      await pad.waitFor({ state: "visible" });
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
      await page.mouse.down();
      for (let i = 1; i <= 24; i++) await page.mouse.move(box.x + 20 + i * 15, box.y + box.height * (0.5 + 0.3 * Math.sin(i / 2)), { steps: 2 });
      await page.mouse.up();
      const inked = await pad.evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      assert.ok(inked > 100, `the mouse drew on the canvas (${inked} pixels)`);
    }
    await page.getByLabel(t.consent).check();
    await page.getByRole("button", { name: t.confirm }).click();
    await page.getByRole("status").filter({ hasText: t.done }).waitFor();
    assert.equal(await page.locator("#sign-form").count(), 0, "the form is gone once signed");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "result", "focus moves to the confirmation, not lost with the removed form");
  } finally {
    await context.close();
  }
}

/** pdfsig from poppler-utils (with an empty NSS database from certutil), when installed: trust is not asked here, only the hash. */
function checkWithPdfsig(bytes: Uint8Array) {
  if (!hasTool("pdfsig") || !hasTool("certutil")) return;
  const report = pdfsig(bytes, nssDbTrusting([]));
  assert.equal(report.length, 1, "one signature: the seal");
  assert.ok(report[0]!.valid, report[0]!.text);
  assert.ok(report[0]!.totalDocumentSigned, report[0]!.text);
}

async function sendAndSign(locale: Locale) {
  const t = labels[locale];
  const tag = locale === "en-US" ? "en" : "pt";
  const { project, contract, contact } = await contractToSend(tag);
  const second = { name: `Bruno Lima ${tag}`, email: `bruno.${tag}.${sequence}@example.com`, cpf: validCpf(40 + sequence) };
  const documentName = `Contrato ${contract.number} — via ${tag}`;

  const context = await newContext(browser, server, locale);
  const page = await context.newPage();
  try {
    await logIn(page, server, "manager", t.login);
    await page.getByRole("heading", { level: 1, name: t.projectsHeading }).waitFor();

    // Projects → project → contract.
    await page.getByRole("link", { name: project.name }).click();
    await page.getByRole("heading", { level: 1, name: new RegExp(project.name) }).waitFor();
    await page.getByRole("link", { name: contract.number, exact: true }).click();
    await page.waitForURL(new RegExp(`/records/contracts/${contract.id}$`));

    // The wizard: Identificação.
    await page.getByRole("link", { name: t.sendForSignature }).click();
    await page.waitForURL(new RegExp(`/records/contracts/${contract.id}/send$`));
    await page.getByRole("heading", { level: 2, name: t.steps.identification }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), locale === "en-US" ? "en" : "pt-BR");
    await page.getByLabel(t.documentName).fill(documentName);
    assert.ok(await page.getByRole("radio", { name: new RegExp(t.sourceReport) }).isChecked(), "the process report is the default source");
    await page.getByRole("button", { name: t.next, exact: true }).click();

    // Destinatários: one person typed in, the party's legal representative ticked from its contacts.
    await page.getByRole("heading", { level: 2, name: t.steps.recipients }).waitFor();
    await page.getByLabel(t.newPersonName).fill(second.name);
    await page.getByLabel(t.newPersonEmail).fill(second.email);
    await page.getByLabel(t.newPersonCpf).fill(second.cpf);
    await page.getByRole("checkbox", { name: new RegExp(contact.name) }).check();
    assert.equal(await page.getByLabel(t.includeAs(contact.name)).inputValue(), "sign");
    await page.getByRole("button", { name: t.next, exact: true }).last().click();

    // Confirmação: both listed, then Enviar.
    await page.getByRole("heading", { level: 2, name: t.steps.confirmation }).waitFor();
    const summary = page.locator("table").last();
    for (const who of [second.name, second.email, contact.name, contact.email]) await summary.getByText(who, { exact: true }).waitFor();
    await page.getByRole("button", { name: t.send, exact: true }).click();
    await page.waitForURL(new RegExp(`/records/contracts/${contract.id}$`));
    await page.getByRole("status").filter({ hasText: t.sent }).waitFor();
    await page.getByRole("link", { name: documentName }).waitFor();

    // Each recipient signs from their own mail, in their own browser: one typed, one drawn.
    await signFromMail(locale, contact.email, "typed");
    await signFromMail(locale, second.email, "drawn");

    // The monitor turns to Finalizado once the worker has sealed the document (reloads, bounded).
    await page.getByRole("link", { name: t.monitorTitle }).first().click();
    await page.getByRole("heading", { level: 1, name: t.monitorTitle }).waitFor();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: documentName }) });
    await eventually(async () => {
      if ((await row.locator("td[id$='-status']").innerText()).trim() === t.completed) return true;
      await page.reload();
      return false;
    }, `"${t.completed}" in the monitor`, 30_000, 500);

    // The signed PDF downloads from the row.
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: t.downloadSigned(documentName) }).click()]);
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString("latin1"), "%PDF-");
    checkWithPdfsig(bytes);
    // The process report was generated from the record: its number and both recipients are in the signed file.
    const { text } = await pdfText(bytes);
    for (const expected of [contract.number, contact.name, second.name]) assert.ok(text.includes(expected), `"${expected}" in the signed PDF`);
  } finally {
    await context.close();
  }
}

describe("send a contract's report for signature and follow it to the signed PDF", () => {
  test("in pt-BR", async () => {
    await sendAndSign("pt-BR");
  });

  test("in English (the browser asks for en-US)", async () => {
    await sendAndSign("en-US");
  });
});
