import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { systemActor } from "../../src/platform/context.js";
import { newId } from "../../src/platform/ids.js";
import { searchFold } from "../../src/platform/db/search-text.js";
import { authPages } from "../../src/modules/auth/pages.js";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { envelopeRoutes } from "../../src/modules/envelopes/routes.js";
import { refreshRoutes } from "../../src/modules/envelopes/refresh/index.js";
import { updateSignatureSettings } from "../../src/modules/signature-settings/index.js";
import { monitorPages } from "../../src/modules/monitor/index.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";
import { pointAtEmulator, sendTaeEnvelopes } from "../support/tae-envelopes.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";

let h: Harness;
let tae: TaeEmulator;
let app: FastifyInstance;

async function page(url: string, options: { as?: Role | null; lang?: string; method?: string; form?: Record<string, string | string[]> } = {}) {
  const as = options.as === undefined ? "manager" : options.as;
  const headers: Record<string, string> = { "accept-language": options.lang ?? "pt-BR,pt;q=0.9", ...(as ? { authorization: `Bearer ${h.tokens[as]}` } : {}) };
  let payload: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(Object.entries(options.form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
  }
  const raw = await app.inject({ method: (options.method ?? (options.form ? "POST" : "GET")) as "GET", url, headers, ...(payload !== undefined ? { payload } : {}) });
  return { status: raw.statusCode, body: raw.body, location: raw.headers.location as string | undefined };
}

async function embeddedEnvelope(name: string, recordId: string) {
  const res = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId, name, recipients: [{ name: "Ana Assinante", email: `ana.${newId().slice(-6)}@example.com`, action: "sign" }, { name: "Bia Segunda", email: `bia.${newId().slice(-6)}@example.com`, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const refreshJobs = async () => (await h.runtime.ctx.db.selectFrom("jobs").select(["id", "payload", "status"]).where("name", "=", "envelopes.refresh").execute());

let contract: { id: string; number: string; projectId: string };
let first: { id: string };

before(async () => {
  h = await startHarness();
  tae = await startTaeEmulator();
  app = await createHttpServer(h.runtime.ctx);
  contract = await makeContract(h);
  first = await embeddedEnvelope("Contrato de empreitada Aurora", contract.id);
  await embeddedEnvelope("Contrato de fundações", contract.id);
  await h.drain();
});
after(async () => {
  await app?.close();
  await h?.close();
  await tae?.close();
});

describe("Monitor de assinaturas", () => {
  test("signed-in users only", async () => {
    const anonymous = await page("/monitor", { as: null });
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.location!, /^\/login\?next=/);
    assert.equal((await page("/monitor", { as: "viewer" })).status, 200);
  });

  test("pt-BR first: filters with labels, columns with scope, statuses in words, record links", async () => {
    const res = await page("/monitor");
    assert.equal(res.status, 200);
    assert.match(res.body, /<html lang="pt-BR">/);
    assert.match(res.body, /<h1>Monitor de assinaturas<\/h1>/);
    for (const [id, label] of [["f-project", "Projeto"], ["f-process", "Processo"], ["f-status", "Situação"], ["f-author", "Autor"], ["f-recipient", "Destinatário"], ["f-from", "Enviado de"], ["f-to", "Enviado até"], ["f-q", "Texto"]]) {
      assert.match(res.body, new RegExp(`<label for="${id}">${label}</label>`), label);
      assert.match(res.body, new RegExp(`id="${id}"`));
    }
    for (const col of ["Documento", "Processo e registro", "Projeto", "Autor", "Enviado em", "Situação", "Destinatários", "Última verificação", "Ações"]) {
      assert.match(res.body, new RegExp(`<th scope="col">${col}</th>`), col);
    }
    assert.match(res.body, /class="badge s-pending">Pendente</);
    assert.match(res.body, new RegExp(`href="/records/contracts/${contract.id}">${contract.number}<`));
    assert.match(res.body, /0 de 2/);
    assert.match(res.body, /Atualizar selecionados/);
    assert.match(res.body, /Atualizar situação/);
    assert.match(res.body, new RegExp(`href="/api/envelopes/${first.id}/files/original"`));
    for (const s of ["Rascunho", "Na fila", "Pendente", "Assinado parcialmente", "Finalizado", "Rejeitado", "Cancelado", "Expirado", "Falhou"]) assert.ok(res.body.includes(`>${s}</option>`), s);
    assert.equal((await refreshJobs()).length, 0, "refreshStatusOnLoad is off: nothing is refreshed on load");
  });

  test("English by the browser's language", async () => {
    const res = await page("/monitor", { lang: "en-US,en;q=0.9" });
    assert.match(res.body, /<h1>Signature monitor<\/h1>/);
    assert.match(res.body, /<label for="f-status">Status<\/label>/);
    assert.match(res.body, /class="badge s-pending">Pending</);
    assert.match(res.body, /Refresh selected/);
    assert.match(res.body, /<th scope="col">Last checked<\/th>/);
  });

  test("filters narrow the list; a bad filter is named, not a 500", async () => {
    const res = await page(`/monitor?q=aurora&status=pending&process=contract&projectId=${contract.projectId}&authorId=${h.users.manager.id}&recipient=ana.&from=2000-01-01&to=2999-12-31`);
    assert.equal(res.status, 200);
    assert.ok(res.body.includes("Contrato de empreitada Aurora"));
    assert.ok(!res.body.includes("Contrato de fundações"));
    const none = await page("/monitor?status=completed");
    assert.match(none.body, /Nenhum documento encontrado/);
    const bad = await page("/monitor?from=28%2F11%2F2026&process=nope");
    assert.equal(bad.status, 200);
    assert.match(bad.body, /Corrija os filtros indicados/);
    assert.match(bad.body, /id="f-from"[^>]*aria-invalid="true" aria-describedby="from-error"/);
    assert.match(bad.body, /id="process-error"/);
  });

  test("keyset pagination: Próxima página carries the cursor and the filters", async () => {
    const ctx = h.runtime.ctx;
    const template = await ctx.db.selectFrom("envelopes").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
    for (let i = 0; i < 30; i++) {
      const name = `Lote ${String(i).padStart(2, "0")}`;
      await ctx.db.insertInto("envelopes").values({ ...template, id: newId(), name, search_text: searchFold(name), status: "completed", version: 1 } as never).execute();
    }
    const one = await page("/monitor?q=lote");
    const next = /<a href="([^"]+)" rel="next">Próxima página<\/a>/.exec(one.body);
    assert.ok(next, "a next page link");
    const url = next![1]!.replace(/&amp;/g, "&");
    assert.match(url, /cursor=/);
    assert.match(url, /q=lote/);
    const rowsOf = (html: string) => (html.match(/<th scope="row"><a [^>]+>Lote \d\d</g) ?? []).length;
    assert.equal(rowsOf(one.body), 25);
    const two = await page(url);
    assert.equal(rowsOf(two.body), 5);
    assert.ok(two.body.includes("Lote 00"));
    assert.ok(!two.body.includes('rel="next"'));
    assert.match(two.body, /Primeira página/);
  });

  test("Atualizar situação / selecionados start the refresh process and show its progress", async () => {
    const all = await page("/monitor/refresh", { form: { scope: "all", back: "/monitor?q=aurora" } });
    assert.equal(all.status, 303);
    assert.match(all.location!, /^\/monitor\?q=aurora&job=[0-9a-f-]{36}$/);
    const jobId = /job=([0-9a-f-]+)/.exec(all.location!)![1]!;
    const shown = await page(all.location!);
    assert.match(shown.body, new RegExp(`hx-get="/monitor/progress\\?job=${jobId}&amp;ids=`));
    assert.match(shown.body, /hx-trigger="every 1s"/);
    assert.match(shown.body, /Atualização na fila/);
    await h.drain();
    const progress = await page(`/monitor/progress?job=${jobId}&ids=${first.id}&back=%2Fmonitor`);
    assert.equal(progress.status, 200);
    assert.match(progress.body, /Situação atualizada: 2 de 2/);
    assert.ok(!progress.body.includes("hx-trigger"), "polling stops when the job is done");
    assert.match(progress.body, new RegExp(`<template><td id="env-${first.id}-status" data-label="Situação" hx-swap-oob="true">`));
    const selected = await page("/monitor/refresh", { form: { scope: "selected", ids: [first.id], back: "/monitor" } });
    assert.match(selected.location!, /job=/);
    const none = await page("/monitor/refresh", { form: { scope: "selected", back: "https://evil.example/" } });
    assert.equal(none.location, "/monitor?error=noneSelected");
    const one = await page(`/monitor/envelopes/${first.id}/refresh`, { form: { back: "/monitor" } });
    assert.match(one.location!, /^\/monitor\?job=/);
    await h.drain();
  });

  test("the envelope page: recipients, history, files; resend, add, remove; permissions", async () => {
    const detail = await page(`/monitor/envelopes/${first.id}`);
    assert.equal(detail.status, 200);
    assert.match(detail.body, /Contrato de empreitada Aurora/);
    assert.match(detail.body, /Ana Assinante/);
    assert.match(detail.body, /Histórico/);
    assert.match(detail.body, /Convite enviado/);
    assert.match(detail.body, /contrato.pdf/);
    const envelope = (await h.call("GET", `/api/envelopes/${first.id}`)).body;
    const ana = envelope.recipients[0];
    const mailsBefore = Number((await h.runtime.ctx.db.selectFrom("mails").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const resent = await page(`/monitor/envelopes/${first.id}/recipients/${ana.id}/resend`, { form: {} });
    assert.equal(resent.status, 303);
    assert.equal(resent.location, `/monitor/envelopes/${first.id}?notice=resent`);
    const mailsAfter = Number((await h.runtime.ctx.db.selectFrom("mails").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    assert.equal(mailsAfter, mailsBefore + 1);
    assert.match((await page(resent.location!)).body, /Convite reenviado com um novo link/);
    assert.ok((await h.call("GET", `/api/envelopes/${first.id}`)).body.events.some((e: any) => e.type === "recipient.invitation_resent"));

    const invalid = await page(`/monitor/envelopes/${first.id}/recipients`, { form: { name: "Caio", email: "não-é-email", action: "sign" } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /id="r-email"[^>]*aria-invalid="true"/);
    const added = await page(`/monitor/envelopes/${first.id}/recipients`, { form: { name: "Caio Terceiro", email: "caio@example.com", action: "witness" } });
    assert.equal(added.status, 303);
    const caio = (await h.call("GET", `/api/envelopes/${first.id}`)).body.recipients.find((r: any) => r.email === "caio@example.com");
    assert.ok(caio);
    const removed = await page(`/monitor/envelopes/${first.id}/recipients/${caio.id}/remove`, { form: {} });
    assert.equal(removed.location, `/monitor/envelopes/${first.id}?notice=removed`);

    const viewer = await page(`/monitor/envelopes/${first.id}/cancel`, { as: "viewer", form: {} });
    assert.equal(viewer.status, 403);
    assert.match(viewer.body, /Seu perfil não permite esta ação/);
    assert.ok(!(await page(`/monitor/envelopes/${first.id}`, { as: "viewer" })).body.includes("/cancel\""));
    assert.equal((await page("/monitor/envelopes/0190a0b0-0000-7000-8000-000000000000")).status, 404);
  });

  test("cancel from the list returns to the list", async () => {
    const other = await embeddedEnvelope("Contrato a cancelar", contract.id);
    await h.drain();
    const res = await page(`/monitor/envelopes/${other.id}/cancel`, { form: { back: "/monitor?q=cancelar" } });
    assert.equal(res.status, 303);
    assert.equal(res.location, "/monitor?q=cancelar&notice=cancelled");
    assert.match((await page(res.location!)).body, /class="badge s-cancelled">Cancelado</);
  });
});

describe("refresh on load (TOTVS Sign behind a slow emulator)", () => {
  test("on: the page answers at once and a refresh job for the visible pending envelopes is queued; off: no job", async () => {
    await pointAtEmulator(h.runtime.ctx, tae.url, tae);
    const sent = await sendTaeEnvelopes(h, 2, { name: "Aditivo lento" });
    const detail = await page(`/monitor/envelopes/${sent[0]!.id}`);
    // One resend action for every provider: the port decides what it means at TOTVS Sign.
    assert.match(detail.body, /recipients\/[^"]+\/resend/);
    const recipient = (await h.call("GET", `/api/envelopes/${sent[0]!.id}`)).body.recipients[0];
    const resendsBefore = tae.calls("resendPending").length;
    const resend = await page(`/monitor/envelopes/${sent[0]!.id}/recipients/${recipient.id}/resend`, { form: {} });
    assert.equal(resend.status, 303, "TOTVS Sign notifies the pending recipients again");
    assert.equal(tae.calls("resendPending").length, resendsBefore + 1);

    await updateSignatureSettings(h.runtime.ctx, systemActor, { refreshStatusOnLoad: true });
    tae.setLatency(5000);
    h.clock.advance(2 * 60_000); // just sent, they were checked a moment ago: the page leaves fresh envelopes alone
    try {
      const before = (await refreshJobs()).length;
      const started = performance.now();
      const res = await page("/monitor?q=aditivo");
      const ms = performance.now() - started;
      assert.equal(res.status, 200);
      assert.ok(ms < 2000, `the page does not wait on the provider (took ${Math.round(ms)} ms)`);
      assert.equal((await refreshJobs()).length, before, "a GET queues nothing: the page posts for the refresh once loaded");
      const asked = /hx-post="\/monitor\/refresh-on-load" hx-trigger="load" hx-vals="([^"]+)"/.exec(res.body);
      assert.ok(asked, "the list asks for the refresh by POST");
      const vals = JSON.parse(asked![1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&")) as Record<string, string>;
      assert.deepEqual(vals.ids!.split(",").sort(), sent.map((s) => s.id).sort());
      const posted = await page("/monitor/refresh-on-load", { form: vals });
      assert.equal(posted.status, 200);
      const jobs = await refreshJobs();
      assert.equal(jobs.length, before + 1);
      const job = jobs.find((j) => !JSON.parse(j.payload).ids?.some((id: string) => !sent.some((s) => s.id === id)) && JSON.parse(j.payload).origin === "page" && j.status === "queued");
      assert.ok(job, "a queued job for the page's pending envelopes");
      assert.deepEqual(JSON.parse(job!.payload).ids.sort(), sent.map((s) => s.id).sort());
      assert.match(posted.body, new RegExp(`hx-get="/monitor/progress\\?job=${job!.id}`));
      const again = await page("/monitor/refresh-on-load", { form: vals });
      assert.match(again.body, new RegExp(`job=${job!.id}`), "a reload follows the same job");
      assert.equal((await refreshJobs()).length, before + 1);
      assert.ok([401, 403].includes((await page("/monitor/refresh-on-load", { form: vals, as: null })).status), "signed-in users only");
    } finally {
      tae.clearFaults();
    }
    tae.act(sent[0]!.ref, sent[0]!.signer);
    await h.drain();
    const rows = await page("/monitor?q=aditivo");
    assert.match(rows.body, /class="badge s-partially_signed">Assinado parcialmente</);

    await updateSignatureSettings(h.runtime.ctx, systemActor, { refreshStatusOnLoad: false });
    h.clock.advance(5 * 60_000);
    const before = (await refreshJobs()).length;
    const off = await page("/monitor?q=aditivo");
    assert.equal(off.status, 200);
    assert.equal((await refreshJobs()).length, before, "off: nothing is refreshed on load");
    assert.ok(!off.body.includes("hx-trigger"));
    assert.match((await page("/monitor/refresh-on-load", { form: { ids: sent.map((s) => s.id).join(",") } })).body, /id="refresh-progress"/);
    assert.equal((await refreshJobs()).length, before, "off: a posted refresh-on-load queues nothing either");
  });
});
