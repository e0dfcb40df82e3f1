import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { makeContract, makeProject } from "../support/factories.js";
import { launchChromium, newContext, startE2eServer, type E2eServer } from "./support.js";

/**
 * The send wizard with the keyboard only — Tab, Shift+Tab, Enter, Space and
 * typing; no clicks — and where focus lands at each step: the step's
 * heading on arrival, the first field in error after a refused submit, the
 * new row after "Adicionar outra pessoa".
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

/** What has focus: enough to recognise it, and its accessible name's parts. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", id: "", text: "", label: "", value: "" };
    const label = el.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? "") : "";
    return {
      tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent ?? "").trim(), label: label.trim(),
      value: (el as HTMLInputElement).value ?? "", describedBy: el.getAttribute("aria-describedby") ?? "", invalid: el.getAttribute("aria-invalid"),
    };
  });

/** Waits for focus to settle on the element `selector` (autofocus applies after load). */
async function expectFocus(page: Page, selector: string, why: string) {
  try {
    await page.waitForFunction((s) => document.activeElement?.matches(s) === true, selector, { timeout: 3_000 });
  } catch {
    assert.fail(`${why}: expected focus on ${selector}, found ${JSON.stringify(await focused(page))}`);
  }
}

/** Presses Tab (or Shift+Tab) until `selector` has focus, at most `max` times; returns how many presses it took. */
async function tabTo(page: Page, selector: string, options: { back?: boolean; max?: number } = {}) {
  for (let n = 1; n <= (options.max ?? 40); n++) {
    await page.keyboard.press(options.back ? "Shift+Tab" : "Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) return n;
  }
  assert.fail(`Tab never reached ${selector}; focus is on ${JSON.stringify(await focused(page))}`);
}

describe("the send wizard by keyboard only", () => {
  test("signs in, opens the wizard, is refused without a signer (focus on the error), and sends", async () => {
    const project = await makeProject(server.api, { code: "OB-KB", name: "Galpão Teclado" });
    const contract = await makeContract(server.api, { projectId: project.id, number: "CT-KB-1" });
    const context = await newContext(browser, server, "pt-BR");
    const page = await context.newPage();
    try {
      // Sign in: Tab to the e-mail, type, Tab, type, Enter.
      await page.goto("/login");
      await tabTo(page, "#email");
      await page.keyboard.type(server.users.manager.email);
      await page.keyboard.press("Tab");
      await expectFocus(page, "#password", "Tab goes from e-mail to password");
      await page.keyboard.type(server.users.manager.password);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/projects$/);

      // The contract's page (typed in the address bar), then Tab to "Enviar para assinatura" and Enter.
      await page.goto(`/records/contracts/${contract.id}`);
      await tabTo(page, `a[href="/records/contracts/${contract.id}/send"]`);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/send$/);

      // Identificação: focus on the step's heading; Tab to the name, type over it, and on to "Próximo".
      await expectFocus(page, "h2#step-h", "a step opens with focus on its heading");
      assert.equal((await focused(page)).text, "Identificação");
      await page.keyboard.press("Tab");
      await expectFocus(page, "#name", "the document name is the first field");
      await page.keyboard.type("Contrato CT-KB-1 por teclado");
      await page.keyboard.press("Tab");
      await expectFocus(page, "#subject", "then the notice's subject");
      assert.equal((await focused(page)).describedBy, "subject-hint", "the subject's limits are told beforehand");
      await page.keyboard.press("Tab");
      await expectFocus(page, "#message", "then its message");
      await page.keyboard.press("Tab");
      await expectFocus(page, "input[name=source][value=report]", "the source radios: the checked one (the report) takes focus");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await expectFocus(page, "#name", "Shift+Tab goes back to the name");
      assert.equal((await focused(page)).value, "Contrato CT-KB-1 por teclado");
      await tabTo(page, "button[name=nav][value=next]");
      await page.keyboard.press("Enter");

      // Destinatários: no defaults; Enter on the empty form is refused and focus goes to the row to fill.
      await page.getByRole("heading", { level: 2, name: "Destinatários" }).waitFor();
      await expectFocus(page, "h2#step-h", "step 2 opens with focus on its heading");
      await page.keyboard.press("Tab");
      await expectFocus(page, "#r-0-name", "the hidden default button is skipped: Tab lands on the first row's name");
      await page.keyboard.press("Enter");
      await page.getByRole("alert").filter({ hasText: "Corrija os itens indicados" }).waitFor();
      await page.getByText("Indique ao menos um destinatário.").first().waitFor();
      await expectFocus(page, "#r-0-name", "no recipients: focus on the empty row's name");

      // One person who only observes: refused for want of a signer, focus on that row's action, which names the error.
      await page.keyboard.type("Otávio Observador");
      await page.keyboard.press("Tab");
      await page.keyboard.type("otavio.kb@example.com");
      await tabTo(page, "#r-0-action");
      await page.keyboard.type("Obs");
      assert.equal(await page.locator("#r-0-action").inputValue(), "observe", "typing picks the option");
      await page.keyboard.press("Tab");
      await expectFocus(page, "#r-0-order", "then the order");
      await page.keyboard.press("Enter");
      await page.getByRole("alert").filter({ hasText: "Corrija os itens indicados" }).waitFor();
      await expectFocus(page, "#r-0-action", "no signer: focus on the first row's action");
      const atError = await focused(page);
      assert.match(atError.describedBy ?? "", /\brecipients-err\b/, "the action is described by the error");
      assert.match(await page.locator("#recipients-err").innerText(), /Nenhum destinatário assina/);

      // Make them sign by typing on the select ("a" twice cycles past "Assinar com certificado digital" to "Assinar"),
      // then "Adicionar outra pessoa": focus goes to the new row.
      await page.keyboard.type("aa");
      assert.equal(await page.locator("#r-0-action").inputValue(), "sign");
      await tabTo(page, "button[name=nav][value=add]");
      await page.keyboard.press("Space");
      await page.waitForLoadState("load");
      // One blank row (r-1) was already there; the added one is r-2, and it takes focus.
      await expectFocus(page, "#r-2-name", "the added row takes focus on its name");
      await page.keyboard.type("Beatriz Teclado");
      await page.keyboard.press("Tab");
      await page.keyboard.type("beatriz.kb@example.com");
      await tabTo(page, "#r-2-action");
      assert.equal(await page.locator("#r-2-action").inputValue(), "sign", "a new row signs by default");
      await tabTo(page, ".wiz-actions button[name=nav][value=next]");
      await page.keyboard.press("Space");

      // Confirmação: focus on the heading; Tab to "Voltar", Tab to "Enviar", Shift+Tab and Tab again, Enter.
      await page.getByRole("heading", { level: 2, name: "Confirmação" }).waitFor();
      await expectFocus(page, "h2#step-h", "step 3 opens with focus on its heading");
      await tabTo(page, "button[value=back]");
      await page.keyboard.press("Tab");
      await expectFocus(page, "button[value=send]", "Enviar follows Voltar");
      await page.keyboard.press("Shift+Tab");
      await expectFocus(page, "button[value=back]", "Shift+Tab returns to Voltar");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");

      await page.waitForURL(new RegExp(`/records/contracts/${contract.id}$`));
      await page.getByRole("status").filter({ hasText: "Enviado para assinatura" }).waitFor();
      const listed = await server.api.call("GET", `/api/envelopes?recordId=${contract.id}`, undefined, "manager");
      const envelopes = (listed.body.items ?? listed.body) as { id: string; name: string }[];
      const sent = envelopes.find((e) => e.name === "Contrato CT-KB-1 por teclado");
      assert.ok(sent, `the envelope exists: ${JSON.stringify(listed.body)}`);
      const detail = (await server.api.call("GET", `/api/envelopes/${sent!.id}`, undefined, "manager")).body;
      assert.deepEqual(
        detail.recipients.map((r: { name: string; email: string; action: string }) => [r.name, r.email, r.action]),
        [["Otávio Observador", "otavio.kb@example.com", "sign"], ["Beatriz Teclado", "beatriz.kb@example.com", "sign"]],
      );
    } finally {
      await context.close();
    }
  });
});
