import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { systemActor } from "../../src/platform/context.js";
import { updateSignatureSettings } from "../../src/modules/signature-settings/index.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { pointAtEmulator } from "../support/tae-envelopes.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";
import { eventually, launchChromium, logIn, newContext, startE2eServer, type E2eServer } from "./support.js";

/**
 * "Atualizar situação ao carregar" against a provider that answers slowly:
 * the monitor renders at once from the database, the refresh runs in the
 * background (the worker), and the row changes on the page by itself.
 */

const latencyMs = 5_000;
let server: E2eServer;
let browser: Browser;
let tae: TaeEmulator;
before(async () => {
  [server, browser, tae] = await Promise.all([startE2eServer(), launchChromium(), startTaeEmulator()]);
  const { ctx } = server.runtime;
  await pointAtEmulator(ctx, tae.url, tae);
  await updateSignatureSettings(ctx, systemActor, { refreshStatusOnLoad: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await tae?.close();
});

/** An envelope sent to TOTVS Sign by the worker, as the API sends one: a signer and a validator. */
async function pendingTaeEnvelope(name: string) {
  const contract = await makeContract(server.api);
  const signer = "sonia.lenta@example.com";
  const validator = "valter.lento@example.com";
  const res = await server.api.upload("/api/envelopes", [
    {
      name: "envelope",
      value: JSON.stringify({
        process: "contract", recordId: contract.id, name,
        recipients: [{ name: "Sônia Signatária", email: signer, action: "sign" }, { name: "Valter Validador", email: validator, action: "validate" }],
      }),
    },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const row = await eventually(async () => {
    const r = await server.runtime.ctx.db.selectFrom("envelopes").select(["status", "provider_ref"]).where("id", "=", res.body.id).executeTakeFirstOrThrow();
    return r.status === "pending" ? r : null;
  }, "the worker to send the envelope to TOTVS Sign");
  // Sent ten minutes ago, as far as the monitor knows: checked on send, and not within the page's one-minute freshness window.
  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
  await server.runtime.ctx.db.updateTable("envelopes").set({ sent_at: tenMinutesAgo, last_checked_at: tenMinutesAgo }).where("id", "=", res.body.id).execute();
  return { id: res.body.id as string, ref: Number(row.provider_ref), signer, validator };
}

describe("Monitor de assinaturas with refreshStatusOnLoad and a slow provider", () => {
  test("renders at once, then shows the provider's answer without a reload", async (t) => {
    const name = "Contrato com provedor lento";
    const envelope = await pendingTaeEnvelope(name);
    // Everyone acts in TOTVS Sign; obrasign does not know yet. From now on every answer takes 5 s.
    tae.sign(envelope.ref, envelope.signer);
    tae.act(envelope.ref, envelope.validator);
    tae.setLatency(latencyMs);

    const context = await newContext(browser, server, "pt-BR");
    const page = await context.newPage();
    try {
      await logIn(page, server, "manager", { email: /^E-mail$/, password: /^Senha$/, submit: /^Entrar$/ });
      let navigations = 0;
      page.on("framenavigated", (frame) => void (frame === page.mainFrame() && navigations++));

      const started = Date.now();
      await page.goto("/monitor");
      const table = page.getByRole("table", { name: "Monitor de assinaturas" });
      await table.waitFor({ state: "visible", timeout: 2_000 });
      const renderedIn = Date.now() - started;
      assert.ok(renderedIn < 2_000, `the page rendered in ${renderedIn} ms, not after the provider's ${latencyMs} ms`);

      const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
      const status = row.locator("td[id$='-status']");
      assert.equal((await status.innerText()).trim(), "Pendente", "first what the database knows");
      const checkedBefore = (await row.locator("td[id$='-checked']").innerText()).trim();
      await page.locator("#refresh-progress").filter({ hasText: /Atualiza/ }).waitFor();

      // The page polls the refresh job (htmx) and swaps the row's cells when the answer arrives.
      await eventually(async () => (await status.innerText()).trim() === "Finalizado", `"Finalizado" in the row without a reload`, 60_000, 250);
      assert.equal(navigations, 1, "no reload: only the first navigation to /monitor");
      assert.match(await row.locator("td[id$='-acted']").innerText(), /^2 de 2\b/);
      assert.notEqual((await row.locator("td[id$='-checked']").innerText()).trim(), checkedBefore, "the last check moved to now");
      await page.locator("#refresh-progress").filter({ hasText: /Situação atualizada: 1 de 1/ }).waitFor({ timeout: 15_000 });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= latencyMs, `the answer came through the slow provider (${elapsed} ms)`);
      t.diagnostic(`table visible after ${renderedIn} ms; row "Finalizado" after ${elapsed} ms, with no reload`);
    } finally {
      tae.setLatency(0);
      await context.close();
    }
  });
});
