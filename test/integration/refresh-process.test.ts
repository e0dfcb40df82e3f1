import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { envelopeRoutes } from "../../src/modules/envelopes/routes.js";
import { queueScheduledRefresh, refreshRoutes } from "../../src/modules/envelopes/refresh/index.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { pointAtEmulator, sendTaeEnvelopes } from "../support/tae-envelopes.js";
import { startTaeEmulator, type TaeEmulator } from "../tae-emulator/index.js";

/** A pass-through in front of the emulator that counts requests in flight at once. */
async function countingProxy(target: string) {
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    let settled = false;
    res.on("close", () => {
      if (!settled) {
        settled = true;
        inFlight--;
      }
    });
    const upstream = http.request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    resetMax: () => void (max = inFlight),
    max: () => max,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let h: Harness;
let tae: TaeEmulator;
let proxy: Awaited<ReturnType<typeof countingProxy>>;
let app: FastifyInstance;

async function call(method: string, url: string, body?: unknown, as: Role | null = "manager") {
  const raw = await app.inject({ method: method as "GET", url, headers: as ? { authorization: `Bearer ${h.tokens[as]}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
  return { status: raw.statusCode, body: raw.body ? JSON.parse(raw.body) : null };
}

const envelope = (id: string) => h.runtime.ctx.db.selectFrom("envelopes").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
/** Each test starts from its own envelopes: earlier ones leave the pending set. */
const closeOpen = () => h.runtime.ctx.db.updateTable("envelopes").set({ status: "cancelled" }).where("status", "in", ["pending", "partially_signed"]).execute();

before(async () => {
  h = await startHarness({ refresh: { everyMinutes: 15, concurrency: 8, ratePerSecond: 0 } });
  tae = await startTaeEmulator();
  proxy = await countingProxy(tae.url);
  await pointAtEmulator(h.runtime.ctx, proxy.url, tae);
  app = await createHttpServer(h.runtime.ctx);
});
after(async () => {
  await app?.close();
  await h?.close();
  await proxy?.close();
  await tae?.close();
});

describe("the status refresh process", () => {
  test("202 with a job id; the job refreshes every pending envelope and records its progress", async () => {
    await closeOpen();
    const sent = await sendTaeEnvelopes(h, 5);
    tae.act(sent[0]!.ref, sent[0]!.signer);
    tae.act(sent[1]!.ref, sent[1]!.signer);
    tae.act(sent[1]!.ref, sent[1]!.validator);

    const started = await call("POST", "/api/envelopes/refresh", {});
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const jobId = started.body.jobId;
    const again = await call("POST", "/api/envelopes/refresh");
    assert.equal(again.status, 202, JSON.stringify(again.body));
    assert.equal(again.body.jobId, jobId, "a second click while it is queued answers the same job");
    const queued = await call("GET", `/api/jobs/${jobId}`, undefined, "viewer");
    assert.equal(queued.status, 200);
    assert.equal(queued.body.status, "queued");

    await h.drain();
    const done = await call("GET", `/api/jobs/${jobId}`);
    assert.deepEqual([done.body.status, done.body.done, done.body.total, done.body.failed], ["done", 5, 5, 0]);
    assert.equal((await envelope(sent[0]!.id)).status, "partially_signed");
    assert.equal((await envelope(sent[1]!.id)).status, "completed");
    assert.equal((await envelope(sent[2]!.id)).status, "pending");
    for (const s of sent) assert.ok((await envelope(s.id)).last_checked_at);
    const files = await h.runtime.ctx.db.selectFrom("envelope_files").select("kind").where("envelope_id", "=", sent[1]!.id).where("kind", "=", "signed").execute();
    assert.equal(files.length, 1, "the signed file was downloaded on completion");
  });

  test("given ids: only those; one failing envelope is counted and never stops the rest", async () => {
    await closeOpen();
    const sent = await sendTaeEnvelopes(h, 4);
    for (const s of sent) tae.act(s.ref, s.signer);
    const before = tae.calls("status").length;
    tae.failLogicallyNext("Falha de teste na consulta.", { routes: ["status"] });
    const started = await call("POST", "/api/envelopes/refresh", { ids: sent.slice(0, 3).map((s) => s.id) });
    assert.equal(started.status, 202);
    await h.drain();
    const done = await call("GET", `/api/jobs/${started.body.jobId}`);
    assert.deepEqual([done.body.status, done.body.done, done.body.total, done.body.failed], ["done", 3, 3, 1]);
    const statuses = await Promise.all(sent.map(async (s) => (await envelope(s.id)).status));
    assert.equal(statuses.slice(0, 3).filter((s) => s === "partially_signed").length, 2);
    assert.equal(statuses[3], "pending", "not asked for");
    assert.equal(tae.calls("status").length - before, 3);
  });

  test("concurrency stays within the configured bound, and does run in parallel", async () => {
    await closeOpen();
    const sent = await sendTaeEnvelopes(h, 12);
    h.runtime.ctx.config.refresh.concurrency = 3;
    tae.setLatency(120, { routes: ["status"] });
    try {
      const started = await call("POST", "/api/envelopes/refresh", { ids: sent.map((s) => s.id) });
      proxy.resetMax();
      await h.drain();
      assert.equal((await call("GET", `/api/jobs/${started.body.jobId}`)).body.done, 12);
      assert.ok(proxy.max() <= 3, `at most 3 provider calls at once, saw ${proxy.max()}`);
      assert.ok(proxy.max() >= 2, `calls overlap, saw ${proxy.max()}`);
    } finally {
      h.runtime.ctx.config.refresh.concurrency = 8;
      tae.clearFaults();
    }
  });

  test("the rate limit spaces the calls to the provider", async () => {
    await closeOpen();
    const sent = await sendTaeEnvelopes(h, 5);
    h.runtime.ctx.config.refresh.ratePerSecond = 5;
    try {
      const before = tae.calls("status").length;
      await call("POST", "/api/envelopes/refresh", { ids: sent.map((s) => s.id) });
      await h.drain();
      const at = tae.calls("status").slice(before).map((c) => c.at.getTime());
      assert.equal(at.length, 5);
      const span = at[at.length - 1]! - at[0]!;
      assert.ok(span >= 4 * 200 - 60, `5 calls at 5/s span at least ~800 ms, took ${span} ms`);
    } finally {
      h.runtime.ctx.config.refresh.ratePerSecond = 0;
    }
  });

  test("a retried job skips what was refreshed after it was queued", async () => {
    await closeOpen();
    const sent = await sendTaeEnvelopes(h, 3);
    const started = await call("POST", "/api/envelopes/refresh", {});
    h.clock.advance(1000);
    assert.equal((await call("POST", `/api/envelopes/${sent[0]!.id}/refresh`)).status, 200);
    const before = tae.calls("status").length;
    await h.drain();
    assert.equal(tae.calls("status").length - before, 2, "the envelope refreshed meanwhile is not asked again");
    const done = await call("GET", `/api/jobs/${started.body.jobId}`);
    assert.deepEqual([done.body.done, done.body.total, done.body.failed], [3, 3, 0]);
  });

  test("the schedule queues one job per slot, whichever worker ticks first; 0 disables it", async () => {
    await closeOpen();
    const ctx = h.runtime.ctx;
    assert.equal(await queueScheduledRefresh(ctx, 15), null, "nothing pending, nothing queued");
    await sendTaeEnvelopes(h, 1);
    const first = await queueScheduledRefresh(ctx, 15);
    assert.ok(first);
    assert.equal(await queueScheduledRefresh(ctx, 15), first, "a second worker in the same slot finds the same job");
    assert.equal(await queueScheduledRefresh(ctx, 0), null);
    h.clock.advance(15 * 60_000);
    const next = await queueScheduledRefresh(ctx, 15);
    assert.ok(next && next !== first);
    await h.drain();
    assert.equal((await call("GET", `/api/jobs/${next}`)).body.status, "done");
  });

  test("answers: unknown ids 422, bad ids 400, another job's id 404, anonymous 401", async () => {
    assert.equal((await call("POST", "/api/envelopes/refresh", { ids: ["0190a0b0-0000-7000-8000-000000000000"] })).status, 422);
    const bad = await call("POST", "/api/envelopes/refresh", { ids: ["nope"] });
    assert.equal(bad.status, 400);
    assert.ok(JSON.stringify(bad.body.error.fields).includes("ids"));
    assert.equal((await call("POST", "/api/envelopes/refresh", { ids: [] })).status, 400);
    assert.equal((await call("POST", "/api/envelopes/refresh", {}, null)).status, 401);
    const other = await h.runtime.ctx.db.selectFrom("jobs").select("id").where("name", "!=", "envelopes.refresh").executeTakeFirstOrThrow();
    assert.equal((await call("GET", `/api/jobs/${other.id}`)).status, 404);
    assert.equal((await call("GET", "/api/jobs/0190a0b0-0000-7000-8000-000000000000")).status, 404);
    assert.equal((await call("GET", "/api/jobs/0190a0b0-0000-7000-8000-000000000000", undefined, null)).status, 401);
  });
});

describe("obrasign envelopes refresh", () => {
  test("runs in the foreground against a SQLite file and prints a summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "obrasign-cli-"));
    const path = join(dir, "cli.db");
    const cli = await startHarness({ database: { dialect: "sqlite", path }, dataDir: dir });
    try {
      await pointAtEmulator(cli.runtime.ctx, tae.url, tae);
      const sent = await sendTaeEnvelopes(cli, 3);
      tae.act(sent[0]!.ref, sent[0]!.signer);
    } finally {
      await cli.close();
    }
    try {
      const env = { ...process.env, DATABASE_URL: `sqlite:${path}`, OBRASIGN_DATA_DIR: dir, OBRASIGN_SECRET_KEY: "test-secret-key-0123456789abcdef", LOG_LEVEL: "silent", OBRASIGN_PROVIDERS_ALLOW_PRIVATE: "1" }; // the emulator is http on loopback
      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ["bin/obrasign.js", "envelopes", "refresh", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (err += d));
          child.on("close", (code) => resolve({ code, out, err }));
        });
      const ran = await run(["--all-pending"]);
      assert.equal(ran.code, 0, ran.err);
      assert.match(ran.out, /refreshed: 3, changed: 1, failed: 0/);
      const none = await run([]);
      assert.equal(none.code, 1);
      assert.match(none.err, /--all-pending/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
