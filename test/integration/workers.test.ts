import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { openRuntime, type Runtime } from "../../src/app.js";
import { enqueue, claimJobs } from "../../src/platform/jobs/queue.js";
import type { AnyJobDefinition, JobName } from "../../src/platform/jobs/registry.js";
import { drainJobs, runJob, startWorker } from "../../src/platform/jobs/worker.js";
import { createLogger } from "../../src/platform/log.js";
import { ManualClock } from "../../src/platform/clock.js";
import { startHarness, testConfig, type Harness } from "../support/harness.js";

// A probe job the application does not know: each run inserts a row keyed by the job, so a second run of the same job would violate the key.
const probeName = "test.record-run" as JobName;
const recordRun: AnyJobDefinition = {
  name: probeName,
  schema: z.object({ n: z.number() }),
  retry: { maxAttempts: 1, backoffMs: () => 0 },
  async handler(ctx, { n }, job) {
    await new Promise((r) => setTimeout(r, n % 3));
    await ctx.db.insertInto("settings").values({ key: `run:${job.id}`, value: JSON.stringify(job.locked_by), updated_at: new Date().toISOString() }).execute();
  },
};
const withProbe = (runtime: Runtime) => (runtime.ctx.jobs as Map<string, AnyJobDefinition>).set(probeName, recordRun);

let h: Harness;
let second: Runtime;
before(async () => {
  h = await startHarness();
  second = await openRuntime(testConfig(h.runtime.ctx.config.database, h.runtime.ctx.config.dataDir), { log: createLogger("silent"), clock: h.clock });
  withProbe(h.runtime);
  withProbe(second);
});
after(async () => {
  await second?.close();
  await h?.close();
});

test("two workers on one database never run a job twice", async () => {
  const total = 120;
  for (let n = 0; n < total; n++) await enqueue(h.runtime.ctx, h.runtime.ctx.db, probeName, { n } as never);
  const workers = [startWorker(h.runtime.ctx, { concurrency: 4, pollMs: 20 }), startWorker(second.ctx, { concurrency: 4, pollMs: 20 })];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const left = await h.runtime.ctx.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("name", "=", "test.record-run").where("status", "in", ["queued", "running"]).executeTakeFirstOrThrow();
    if (Number(left.n) === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(workers.map((w) => w.stop()));
  const jobs = await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("name", "=", "test.record-run").execute();
  assert.equal(jobs.length, total);
  assert.ok(jobs.every((j) => j.status === "done"), jobs.filter((j) => j.status !== "done").map((j) => `${j.status}: ${j.last_error}`).join("\n"));
  assert.ok(jobs.every((j) => j.attempts === 1), "each job was claimed exactly once");
  const runs = await h.runtime.ctx.db.selectFrom("settings").selectAll().where("key", "like", "run:%").execute();
  assert.equal(runs.length, total);
  if (h.runtime.ctx.dialect === "postgres") {
    const byWorker = new Set(runs.map((r) => r.value));
    assert.ok(byWorker.size >= 2, "both workers took a share");
  }
});

test("a crashed worker's job is taken up again after its lease expires", async () => {
  const clock = h.clock as ManualClock;
  const id = await enqueue(h.runtime.ctx, h.runtime.ctx.db, probeName, { n: 1000 } as never);
  const claimed = await claimJobs(h.runtime.ctx, "worker-that-dies", 10);
  assert.ok(claimed.some((j) => j.id === id));
  // The dead worker never finishes. Before the lease ends nobody else takes the job…
  assert.equal((await claimJobs(second.ctx, "survivor", 10)).filter((j) => j.id === id).length, 0);
  clock.advance(6 * 60_000);
  // …after it, the survivor does, and runs it once.
  const retaken = (await claimJobs(second.ctx, "survivor", 10)).filter((j) => j.id === id);
  assert.equal(retaken.length, 1);
  await runJob(second.ctx, retaken[0]!, "survivor");
  const row = await h.runtime.ctx.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  assert.equal(row.status, "done");
  assert.equal(row.attempts, 2);
  assert.equal(await drainJobs(h.runtime.ctx), 0);
});
