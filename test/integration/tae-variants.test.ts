/**
 * TOTVS Sign as it really answers (TAE-API.md §7), through obrasign's HTTP
 * API with the emulator switched to each variant: a cancelled document
 * reading 5, re-opened documents, unknown status codes and fractional dates.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { refreshCandidates } from "../../src/modules/envelopes/refresh/refresh-envelopes.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { multipart as multipartBody } from "../support/multipart.js";
import { samplePdf } from "../support/pdfs.js";
import { pointAtEmulator } from "../support/tae-envelopes.js";
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

async function api(method: string, url: string, body?: unknown, as: Role = "manager") {
  return h.call(method, url, body, as);
}

async function upload(parts: Parameters<typeof multipartBody>[0], as: Role = "manager") {
  return h.upload("/api/envelopes", parts, as);
}

async function sendUpload(recipients: object[], extra: Record<string, unknown> = {}) {
  const contract = await makeContract(h);
  const res = await upload([
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de empreitada", recipients, ...extra }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ]);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string };
}

async function envelope(id: string) {
  const res = await api("GET", `/api/envelopes/${id}`);
  assert.equal(res.status, 200);
  return res.body;
}

async function sendPending(recipients: object[], extra: Record<string, unknown> = {}) {
  const created = await sendUpload(recipients, extra);
  await h.drain();
  const env = await envelope(created.id);
  assert.equal(env.status, "pending", JSON.stringify(env));
  return { id: created.id, ref: env.providerRef as string };
}

const types = (env: any) => env.events.map((e: any) => e.type as string);

describe("status as TOTVS Sign really answers it", () => {
  test("cancelled from obrasign, read back as 5 → cancelled, and stays so", async () => {
    tae.setVariants({ cancelledStatus: 5 });
    const { id, ref } = await sendPending([{ name: "Ana", email: email("ana"), action: "sign" }]);
    const res = await api("DELETE", `/api/envelopes/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "cancelled");
    assert.equal(tae.document(ref)!.status, 5);
    const again = await api("POST", `/api/envelopes/${id}/refresh`);
    assert.equal(again.body.status, "cancelled");
    assert.equal(tae.document(ref)!.publishBodies.length, 1, "published once");
  });

  test("cancelled in the portal, read back as 5 → refresh → cancelled", async () => {
    tae.setVariants({ cancelledStatus: 5 });
    const { id, ref } = await sendPending([{ name: "Bia", email: email("bia"), action: "sign" }]);
    tae.cancelInPortal(Number(ref));
    const res = await api("POST", `/api/envelopes/${id}/refresh`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "cancelled");
    assert.ok(types(await envelope(id)).includes("envelope.cancelled"));
  });

  test("a send retried after the document was published and then cancelled in the portal (5): cancelled, never published again", async () => {
    tae.setVariants({ cancelledStatus: 5 });
    // The publish goes through but its answer is lost, and TAE cannot be asked whether it did: the job is retried later.
    tae.dropNext(1, { routes: ["publish"], afterProcessing: true });
    tae.failNext(3, { routes: ["status"], status: 503 });
    const created = await sendUpload([{ name: "Caio", email: email("caio"), action: "sign" }]);
    await h.drain();
    let env = await envelope(created.id);
    assert.equal(env.status, "queued");
    const ref = env.providerRef as string;
    assert.equal(tae.document(ref)!.status, 0, "published at TAE");
    tae.cancelInPortal(Number(ref));

    h.clock.advance(11 * 60_000);
    await h.drain();
    env = await envelope(created.id);
    assert.equal(env.status, "cancelled");
    assert.equal(tae.document(ref)!.publishBodies.length, 1, "never published again");
    assert.equal(tae.document(ref)!.status, 5);
    const cancelled = env.events.find((e: any) => e.type === "envelope.cancelled");
    assert.equal(cancelled.data.atProvider, true);
    assert.ok(!types(env).includes("envelope.sent"));
  });

  test("a rejected document re-opened in the portal → refresh → back to partially signed, with history", async () => {
    const [signer, rejecter] = [email("sig"), email("rej")];
    const { id, ref } = await sendPending([
      { name: "Sofia", email: signer, action: "sign" },
      { name: "Rui", email: rejecter, action: "sign" },
    ]);
    tae.sign(Number(ref), signer);
    tae.reject(Number(ref), rejecter, "Cláusula 3 errada");
    let env = (await api("POST", `/api/envelopes/${id}/refresh`)).body;
    assert.equal(env.status, "rejected");
    assert.equal(env.rejectionReason, "Cláusula 3 errada");

    tae.reopen(Number(ref));
    const res = await api("POST", `/api/envelopes/${id}/refresh`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    env = await envelope(id);
    assert.equal(env.status, "partially_signed");
    assert.equal(env.rejectionReason, null);
    assert.equal(env.completedAt, null);
    const byEmail = Object.fromEntries(env.recipients.map((r: any) => [r.email, r]));
    assert.equal(byEmail[signer].status, "signed");
    assert.equal(byEmail[rejecter].status, "pending");
    assert.equal(byEmail[rejecter].rejectionReason, null);
    const reopened = env.events.find((e: any) => e.type === "envelope.reopened");
    assert.deepEqual([reopened.data.from, reopened.data.to, reopened.data.previousReason], ["rejected", "partially_signed", "Cláusula 3 errada"]);
    assert.ok(types(env).includes("recipient.reopened"));

    // And it can finish from there.
    tae.sign(Number(ref), rejecter);
    env = (await api("POST", `/api/envelopes/${id}/refresh`)).body;
    assert.equal(env.status, "completed");
  });

  test("an unknown status code: a clear failure kept on the envelope, in its history once, and not asked at every scheduled run", async () => {
    const { id, ref } = await sendPending([{ name: "Davi", email: email("davi"), action: "sign" }]);
    tae.setStatus(Number(ref), 6);
    for (let i = 0; i < 2; i++) {
      const res = await api("POST", `/api/envelopes/${id}/refresh`);
      assert.equal(res.status, 502);
      assert.match(res.body.error.message, /unknown document status \(6\)/);
    }
    let env = await envelope(id);
    assert.equal(env.status, "pending");
    assert.equal(env.checkFailure.code, "unknown_status");
    assert.equal(types(env).filter((t: string) => t === "envelope.check_failed").length, 1);
    const scheduled = await refreshCandidates(h.runtime.ctx, { allPending: true });
    assert.ok(!scheduled.some((c) => c.id === id), "the scheduled run leaves it alone for a day");
    h.clock.advance(25 * 3_600_000);
    assert.ok((await refreshCandidates(h.runtime.ctx, { allPending: true })).some((c) => c.id === id), "and asks again the next day");

    tae.setStatus(Number(ref), 0);
    env = (await api("POST", `/api/envelopes/${id}/refresh`)).body;
    assert.equal(env.checkFailure, null, "a good answer clears it");
  });

  test("dates with microseconds and no zone: the act's time is read as UTC", async () => {
    tae.setVariants({ dates: "microseconds" });
    const signer = email("micro");
    const { id, ref } = await sendPending([{ name: "Eva", email: signer, action: "sign" }]);
    const at = new Date(h.clock.now().getTime() - 60_000);
    tae.sign(Number(ref), signer, at);
    const env = (await api("POST", `/api/envelopes/${id}/refresh`)).body;
    assert.equal(env.status, "completed");
    assert.equal(env.recipients[0].actedAt, at.toISOString());
  });
});

describe("the signed file as TOTVS Sign really gives it", () => {
  for (const variant of ["signedURL", "raw", "v2Url"] as const) {
    test(`as ${variant}: completion stores the bytes TAE served`, async () => {
      tae.setVariants({ download: variant });
      const signer = email(`file-${variant}`);
      const { id, ref } = await sendPending([{ name: "Fábio", email: signer, action: "sign" }]);
      tae.sign(Number(ref), signer);
      const env = (await api("POST", `/api/envelopes/${id}/refresh`)).body;
      assert.equal(env.status, "completed", JSON.stringify(env));
      const { raw } = await api("GET", `/api/envelopes/${id}/files/signed`);
      assert.equal(raw.statusCode, 200);
      assert.equal(raw.headers["content-type"], "application/pdf");
      const served = tae.document(ref)!.downloads.at(-1)!;
      assert.equal(Buffer.compare(raw.rawPayload, served.bytes), 0, "the very bytes TAE served");
      for (const call of tae.calls("signedFile")) assert.equal(call.hadAuthorization, false);
    });
  }

  test("a file URL obrasign does not fetch: the envelope stays partially signed and says why", async () => {
    tae.setVariants({ download: "signedURL", fileHost: "elsewhere" });
    const signer = email("elsewhere");
    const { id, ref } = await sendPending([{ name: "Gil", email: signer, action: "sign" }]);
    tae.sign(Number(ref), signer);
    const res = await api("POST", `/api/envelopes/${id}/refresh`);
    assert.equal(res.status, 502);
    assert.match(res.body.error.message, /does not fetch/);
    const env = await envelope(id);
    assert.notEqual(env.status, "completed");
  });
});

describe("ERP clients: multipart as they really send it", () => {
  const body = async () => {
    const contract = await makeContract(h);
    return JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato do ERP", recipients: [{ name: "Ivo", email: email("erp"), action: "sign" }] });
  };
  test("the envelope part as plain text, as application/json (curl ;type=application/json, requests) and as a JSON file", async () => {
    const pdf = await samplePdf();
    const variants = [
      async () => ({ name: "envelope", value: await body() }),
      async () => ({ name: "envelope", value: await body(), contentType: "application/json" }),
      async () => ({ name: "envelope", value: await body(), contentType: "application/json; charset=utf-8" }),
      async () => ({ name: "envelope", filename: "envelope.json", contentType: "application/json", bytes: Buffer.from(await body()) }),
    ];
    for (const part of variants) {
      const res = await upload([await part(), { name: "file", filename: "contrato.pdf", bytes: pdf }]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.name, "Contrato do ERP");
      assert.equal(res.body.recipients.length, 1);
    }
  });

  test("an envelope part that is not JSON names the field, in the reader's language", async () => {
    const pdf = await samplePdf();
    const parts = [{ name: "envelope", value: "{not json" }, { name: "file", filename: "contrato.pdf", bytes: pdf }];
    const res = await upload(parts);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.fields.envelope, "must be JSON");
    assert.match(res.body.error.message, /envelope: must be JSON/);
    const body = multipartBody(parts);
    const pt = await h.app.inject({ method: "POST", url: "/api/envelopes", payload: body.payload, headers: { ...body.headers, "accept-language": "pt-BR", authorization: `Bearer ${h.tokens.manager}` } });
    assert.equal(pt.statusCode, 400);
    assert.match(pt.json().error.message, /envelope: deve ser JSON/);
  });
});
