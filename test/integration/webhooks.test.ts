import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { deliveryBackoffMs, maxDeliveryAttempts } from "../../src/modules/webhooks/backoff.js";
import { queueWebhookEvent } from "../../src/modules/webhooks/commands/queue-webhook-event.js";
import type { WebhookEvent } from "../../src/modules/webhooks/events.js";
import { applyProviderState } from "../../src/modules/envelopes/commands/refresh-envelope.js";
import { inTransaction } from "../../src/platform/db/transaction.js";
import { makeContract } from "../support/factories.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { samplePdf } from "../support/pdfs.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on loopback: records every request, answers what `answers[path]` says (200 by default). */
async function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.statusCode = answers.get(path) ?? 200;
      response.end(response.statusCode >= 300 ? "receiver says no" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    answers,
    url: (path: string) => `${base}${path}`,
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let app: FastifyInstance;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let envelopeId: string;
/** The installation's OBRASIGN_WEBHOOKS_ALLOW_PRIVATE: on for the loopback receiver, off where a test checks the guard. */
const allowPrivate = (on: boolean) => {
  h.runtime.ctx.config.webhooksAllowPrivate = on;
};

async function call(method: string, url: string, body?: unknown, as: Role | null = "admin", headers: Record<string, string> = {}) {
  const raw = await app.inject({
    method: method as "GET",
    url,
    headers: { ...(as ? { authorization: `Bearer ${h.tokens[as]}` } : {}), ...headers },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  let parsed: any = raw.body;
  try {
    parsed = raw.body ? JSON.parse(raw.body) : null;
  } catch {
    /* text */
  }
  return { status: raw.statusCode, body: parsed };
}

async function createEnvelope() {
  const contract = await makeContract(h);
  const res = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato de empreitada", recipients: [{ name: "Ana Souza", email: `ana.${Date.now()}@example.com`, action: "sign" }] }) },
    { name: "file", filename: "contrato.pdf", bytes: await samplePdf() },
  ], "manager");
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function makeWebhook(path: string, events: WebhookEvent[], secret = "whsec_integration_test_secret") {
  const res = await call("POST", "/api/webhooks", { url: receiver.url(path), events, secret });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const raise = (type: WebhookEvent) => inTransaction(h.runtime.ctx, (tx) => queueWebhookEvent(h.runtime.ctx, tx, type, envelopeId));
const deliveries = async (webhookId: string) => (await call("GET", `/api/webhooks/${webhookId}/deliveries`)).body.items as any[];

before(async () => {
  receiver = await startReceiver();
  h = await startHarness({ publicUrl: "http://obrasign.test", webhooksAllowPrivate: true });
  app = await createHttpServer(h.runtime.ctx);
  envelopeId = await createEnvelope();
  await h.drain();
});
after(async () => {
  await app?.close();
  await h?.close();
  await receiver?.close();
});

describe("webhooks: registration", () => {
  test("create, list, delete; the secret is write-only, generated once when omitted", async () => {
    const created = await call("POST", "/api/webhooks", { url: receiver.url("/crud"), events: ["envelope.completed", "envelope.completed", "envelope.sent"] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.events, ["envelope.completed", "envelope.sent"]);
    assert.match(created.body.secret, /^whsec_/);
    const given = await call("POST", "/api/webhooks", { url: receiver.url("/crud2"), events: ["envelope.failed"], secret: "my-own-secret-of-32-characters!!" });
    assert.equal(given.status, 201);
    assert.equal(given.body.secret, undefined, "a secret the caller chose is not echoed");

    const list = await call("GET", "/api/webhooks", undefined, "viewer");
    assert.equal(list.status, 200);
    const mine = list.body.items.find((w: any) => w.id === created.body.id);
    assert.equal(mine.url, receiver.url("/crud"));
    assert.ok(!JSON.stringify(list.body).includes(created.body.secret), "the secret never comes back");
    assert.ok(!JSON.stringify(list.body).includes("my-own-secret"));
    const row = await h.runtime.ctx.db.selectFrom("webhooks").select("secret_sealed").where("id", "=", created.body.id).executeTakeFirstOrThrow();
    assert.ok(!row.secret_sealed.includes(created.body.secret), "sealed at rest");

    assert.equal((await call("POST", "/api/webhooks", { url: receiver.url("/x"), events: ["envelope.sent"] }, "manager")).status, 403);
    assert.equal((await call("DELETE", `/api/webhooks/${created.body.id}`, undefined, "viewer")).status, 403);
    assert.equal((await call("GET", "/api/webhooks", undefined, null)).status, 401);

    assert.equal((await call("DELETE", `/api/webhooks/${created.body.id}`)).status, 204);
    assert.equal((await call("DELETE", `/api/webhooks/${created.body.id}`)).status, 404);
    assert.equal((await call("DELETE", `/api/webhooks/${given.body.id}`)).status, 204);

    const openapi = await call("GET", "/openapi.json", undefined, null);
    assert.equal(openapi.status, 200);
    for (const path of ["/api/webhooks", "/api/webhooks/{id}/deliveries", "/api/providers/totvs-sign/webhook"]) assert.ok(openapi.body.paths[path], path);
  });

  test("validation names the field at fault", async () => {
    const bad = await call("POST", "/api/webhooks", { url: "ftp://example.com", events: ["envelope.signed"], secret: "short" });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.url);
    assert.ok(bad.body.error.fields["events.0"]);
    assert.ok(bad.body.error.fields.secret);
    const none = await call("POST", "/api/webhooks", { url: "https://example.com", events: [] });
    assert.equal(none.status, 400);
    assert.ok(none.body.error.fields.events);
    assert.equal((await call("POST", "/api/webhooks", { url: "https://example.com", events: ["envelope.sent"], extra: 1 })).status, 400);
  });

  test("private, loopback and link-local addresses are refused without OBRASIGN_WEBHOOKS_ALLOW_PRIVATE", async () => {
    allowPrivate(false);
    try {
      for (const url of ["http://127.0.0.1:9/hook", "https://10.0.0.8/hook", "https://169.254.169.254/latest", "https://[::1]/hook", "https://192.168.0.10/x", "http://localhost:8080/x"]) {
        const res = await call("POST", "/api/webhooks", { url, events: ["envelope.sent"] });
        assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
        assert.ok(res.body.error.fields.url, url);
      }
    } finally {
      allowPrivate(true);
    }
  });

  test("IPv6 spellings of inside addresses are refused too: IPv4-compatible, IPv4-translated, IPv4-mapped, 6to4", async () => {
    allowPrivate(false);
    try {
      for (const url of [
        "http://[::127.0.0.1]/hook", "http://[::ffff:0:127.0.0.1]/hook", "http://[::ffff:127.0.0.1]/hook", "https://[::ffff:7f00:1]/hook",
        "https://[::10.0.0.1]/hook", "https://[::ffff:0:169.254.169.254]/latest", "https://[0:0:0:0:0:ffff:c0a8:1]/x", "https://[2002:7f00:1::1]/x",
      ]) {
        const res = await call("POST", "/api/webhooks", { url, events: ["envelope.sent"] }, "admin", { "accept-language": "en" });
        assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error.fields.url, /private/, url);
      }
      assert.ok(!(await call("GET", "/api/webhooks")).body.items.some((w: { url: string }) => w.url.includes("[")), "nothing saved");
    } finally {
      allowPrivate(true);
    }
  });
});

describe("webhooks: deliveries", () => {
  test("a delivery is signed: HMAC-SHA256 of \"<t>.<body>\" under the webhook's secret", async () => {
    const secret = "whsec_signature_check_0001";
    const webhookId = await makeWebhook("/signed", ["envelope.expired"], secret);
    await raise("envelope.expired");
    await h.drain();
    const [got] = receiver.at("/signed");
    assert.ok(got, "delivered");
    const header = String(got.headers["x-obrasign-signature"]);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    assert.ok(match, header);
    assert.equal(Number(match[1]), Math.floor(h.clock.now().getTime() / 1000));
    assert.equal(match[2], createHmac("sha256", secret).update(`${match[1]}.${got.body}`).digest("hex"));
    assert.equal(got.headers["x-obrasign-event"], "envelope.expired");
    assert.equal(got.headers["content-type"], "application/json");
    const body = JSON.parse(got.body);
    assert.equal(body.type, "envelope.expired");
    assert.ok(body.id && body.createdAt);
    assert.equal(body.data.envelope.id, envelopeId);
    assert.ok(Array.isArray(body.data.envelope.recipients));
    const [logged] = await deliveries(webhookId);
    assert.equal(got.headers["x-obrasign-delivery"], logged.id);
    assert.equal(logged.status, "delivered");
    assert.equal(logged.attempts, 1);
    assert.equal(logged.lastStatusCode, 200);
    assert.ok(logged.deliveredAt);
  });

  test("a failing receiver is retried on the backoff schedule, then delivered; the log shows the attempts", async () => {
    const path = "/flaky";
    receiver.answers.set(path, 500);
    const webhookId = await makeWebhook(path, ["envelope.cancelled"]);
    await raise("envelope.cancelled");
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = h.clock.now().getTime();
      await h.drain();
      assert.equal(receiver.at(path).length, attempt);
      const [d] = await deliveries(webhookId);
      assert.equal(d.status, "pending");
      assert.equal(d.attempts, attempt);
      assert.equal(d.lastStatusCode, 500);
      assert.match(d.lastError, /HTTP 500/);
      assert.equal(Date.parse(d.nextAttemptAt) - before, deliveryBackoffMs(attempt));
      const job = await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("name", "=", "webhook.deliver").where("payload", "like", `%${d.id}%`).executeTakeFirstOrThrow();
      assert.equal(job.status, "queued");
      assert.equal(Date.parse(job.run_at) - before, deliveryBackoffMs(attempt), "the job waits exactly the backoff");
      // Not due yet: nothing is sent a second early.
      h.clock.advance(deliveryBackoffMs(attempt) - 1000);
      await h.drain();
      assert.equal(receiver.at(path).length, attempt);
      h.clock.advance(1000);
    }
    receiver.answers.set(path, 204);
    await h.drain();
    assert.equal(receiver.at(path).length, 4);
    const [d] = await deliveries(webhookId);
    assert.equal(d.status, "delivered");
    assert.equal(d.attempts, 4);
    assert.equal(d.lastStatusCode, 204);
    assert.equal(d.lastError, null);
    assert.equal(d.nextAttemptAt, null);
    assert.equal(new Set(receiver.at(path).map((r) => r.headers["x-obrasign-delivery"])).size, 1, "every try carries the same delivery id");
    assert.equal(new Set(receiver.at(path).map((r) => r.body)).size, 1, "and the same body");
  });

  test("after the last try the delivery is failed; manual redelivery sends it again", async () => {
    const path = "/down";
    receiver.answers.set(path, 503);
    const webhookId = await makeWebhook(path, ["envelope.failed"]);
    const start = h.clock.now().getTime();
    await raise("envelope.failed");
    for (let attempt = 1; attempt <= maxDeliveryAttempts; attempt++) {
      await h.drain();
      if (attempt < maxDeliveryAttempts) h.clock.advance(deliveryBackoffMs(attempt));
    }
    assert.equal(receiver.at(path).length, maxDeliveryAttempts);
    assert.ok(h.clock.now().getTime() - start >= 24 * 3_600_000, "the tries span at least a day");
    let [d] = await deliveries(webhookId);
    assert.equal(d.status, "failed");
    assert.equal(d.attempts, maxDeliveryAttempts);
    assert.equal(d.nextAttemptAt, null);
    h.clock.advance(7 * 24 * 3_600_000);
    await h.drain();
    assert.equal(receiver.at(path).length, maxDeliveryAttempts, "no try after the last");

    assert.equal((await call("POST", `/api/webhooks/${webhookId}/deliveries/${d.id}/redeliver`, undefined, "viewer")).status, 403);
    receiver.answers.set(path, 200);
    const redelivered = await call("POST", `/api/webhooks/${webhookId}/deliveries/${d.id}/redeliver`);
    assert.equal(redelivered.status, 202, JSON.stringify(redelivered.body));
    assert.equal(redelivered.body.status, "pending");
    await h.drain();
    [d] = await deliveries(webhookId);
    assert.equal(d.status, "delivered");
    assert.equal(d.attempts, maxDeliveryAttempts + 1);
    assert.equal(receiver.at(path).length, maxDeliveryAttempts + 1);
    assert.equal((await call("POST", `/api/webhooks/${webhookId}/deliveries/00000000-0000-7000-8000-000000000000/redeliver`)).status, 404);
  });

  test("a host that became private is refused at delivery time, once, without retries", async () => {
    const webhookId = await makeWebhook("/inside", ["envelope.completed"]);
    allowPrivate(false);
    try {
      await raise("envelope.completed");
      await h.drain();
    } finally {
      allowPrivate(true);
    }
    assert.equal(receiver.at("/inside").length, 0);
    const [d] = await deliveries(webhookId);
    assert.equal(d.status, "failed");
    assert.match(d.lastError, /private/);
  });

  test("events from a real envelope flow: envelope.sent and envelope.cancelled arrive", async () => {
    const webhookId = await makeWebhook("/flow", ["envelope.sent", "envelope.cancelled"]);
    const id = await createEnvelope();
    await h.drain();
    const sent = receiver.at("/flow").map((r) => JSON.parse(r.body));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].type, "envelope.sent");
    assert.equal(sent[0].data.envelope.id, id);
    assert.equal(sent[0].data.envelope.status, "pending");
    assert.ok(sent[0].data.envelope.sentAt);

    const cancelled = await h.call("DELETE", `/api/envelopes/${id}`, undefined, "manager");
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    await h.drain();
    const types = receiver.at("/flow").map((r) => JSON.parse(r.body).type);
    assert.deepEqual(types, ["envelope.sent", "envelope.cancelled"]);
    assert.deepEqual((await deliveries(webhookId)).map((d) => d.status), ["delivered", "delivered"]);
  });

  test("a recipient's act reported by the provider raises envelope.recipient_acted with the recipient", async () => {
    await makeWebhook("/acts", ["envelope.recipient_acted", "envelope.completed"]);
    const id = await createEnvelope();
    await h.drain();
    const envelope = (await h.call("GET", `/api/envelopes/${id}`)).body;
    const signer = envelope.recipients[0];
    await applyProviderState(h.runtime.ctx, id, {
      status: "partially_signed", rejectionReason: null, expiresAt: null,
      recipients: [{ email: signer.email, status: "signed", actedAt: h.clock.now(), rejectionReason: null }],
    }, null);
    await h.drain();
    const got = receiver.at("/acts").map((r) => JSON.parse(r.body));
    assert.equal(got.length, 1);
    assert.equal(got[0].type, "envelope.recipient_acted");
    assert.equal(got[0].data.recipient.id, signer.id);
    assert.equal(got[0].data.recipient.status, "signed");
    // A snapshot at the act: the envelope's own move to partially_signed comes right after, in the same transaction.
    assert.equal(got[0].data.envelope.acted, 1);
    assert.equal(got[0].data.envelope.recipients[0].status, "signed");
  });
});

describe("inbound: TOTVS Sign calls", () => {
  test("wrong secret 401; the right one schedules one refresh per envelope per minute", async () => {
    await h.runtime.ctx.db.updateTable("envelopes").set({ provider: "totvs-sign", provider_ref: "TAE-4711" }).where("id", "=", envelopeId).execute();
    assert.equal((await call("GET", "/api/settings/totvs-sign-webhook", undefined, "manager")).status, 403);
    const settings = await call("GET", "/api/settings/totvs-sign-webhook");
    assert.equal(settings.status, 200);
    assert.ok(settings.body.url.startsWith("http://obrasign.test/api/providers/totvs-sign/webhook?secret="));
    const again = await call("GET", "/api/settings/totvs-sign-webhook");
    assert.equal(again.body.secret, settings.body.secret, "the same secret on every read");
    assert.equal((await h.runtime.ctx.db.selectFrom("settings").select("key").where("key", "like", "webhooks.%").execute()).length, 0, "a GET writes nothing");
    const secret = settings.body.secret as string;
    const path = "/api/providers/totvs-sign/webhook";

    assert.equal((await call("POST", `${path}?secret=wrong`, { idDocumento: "TAE-4711" }, null)).status, 401);
    assert.equal((await call("POST", path, { idDocumento: "TAE-4711" }, null)).status, 401);

    const refreshJobs = () => h.runtime.ctx.db.selectFrom("jobs").selectAll().where("name", "=", "envelopes.refresh").execute();
    const hit = await call("POST", `${path}?secret=${encodeURIComponent(secret)}`, { idDocumento: "TAE-4711", evento: "finalizado" }, null);
    assert.equal(hit.status, 202);
    assert.equal(hit.body.matched, true);
    let jobs = await refreshJobs();
    assert.equal(jobs.length, 1);
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { ids: [envelopeId], origin: "provider" });

    const byHeader = await call("POST", `${path}?idDocumento=TAE-4711`, "", null, { "x-obrasign-secret": secret, "content-type": "text/plain" });
    assert.equal(byHeader.status, 202);
    assert.equal(byHeader.body.matched, true);
    assert.equal((await refreshJobs()).length, 1, "deduplicated within the minute");

    h.clock.advance(61_000);
    const later = await call("POST", `${path}?secret=${encodeURIComponent(secret)}`, "IdDocumento=TAE-4711", null, { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(later.status, 202);
    jobs = await refreshJobs();
    assert.equal(jobs.length, 2, "a minute later, another refresh");

    const unknown = await call("POST", `${path}?secret=${encodeURIComponent(secret)}`, { idDocumento: "NOPE" }, null);
    assert.equal(unknown.status, 202);
    assert.deepEqual(unknown.body, { matched: false });

    const rotated = await call("POST", "/api/settings/totvs-sign-webhook/rotate");
    assert.notEqual(rotated.body.secret, secret);
    assert.equal((await call("POST", `${path}?secret=${encodeURIComponent(secret)}`, { idDocumento: "TAE-4711" }, null)).status, 401);
    const stored = await h.runtime.ctx.db.selectFrom("settings").select("value").where("key", "like", "webhooks.%").executeTakeFirstOrThrow();
    assert.ok(!stored.value.includes(rotated.body.secret), "a rotated secret is sealed at rest");
    assert.equal((await call("GET", "/api/settings/totvs-sign-webhook")).body.secret, rotated.body.secret, "the rotated secret is the one in force");
    assert.equal((await call("POST", `${path}?secret=${encodeURIComponent(rotated.body.secret)}`, { idDocumento: "TAE-4711" }, null)).status, 202);
  });
});
