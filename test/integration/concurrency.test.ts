import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpServer, openRuntime, type Runtime } from "../../src/app.js";
import type { FastifyInstance } from "fastify";
import { createLogger } from "../../src/platform/log.js";
import { startHarness, testConfig, type Harness } from "../support/harness.js";
import { makeActiveContractWithPeriod, makeContract } from "../support/factories.js";

// A second runtime on the same database: its own connection pool, as a second
// obrasign process would have.
let h: Harness;
let second: Runtime;
let secondApp: FastifyInstance;
before(async () => {
  h = await startHarness();
  const config = testConfig(h.runtime.ctx.config.database, h.runtime.ctx.config.dataDir);
  second = await openRuntime(config, { log: createLogger("silent") });
  secondApp = await createHttpServer(second.ctx);
});
after(async () => {
  await secondApp?.close();
  await second?.close();
  await h?.close();
});

const via = (app: FastifyInstance, method: string, url: string, body: unknown) =>
  app.inject({ method: method as "POST", url, payload: body as object, headers: { authorization: `Bearer ${h.tokens.admin}` } });

test("concurrent transitions of one record from two connections leave one winner", async () => {
  for (let round = 0; round < 5; round++) {
    const contract = await makeContract(h);
    const results = await Promise.all([
      via(h.app, "POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" }),
      via(secondApp, "POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" }),
      via(secondApp, "POST", `/api/contracts/${contract.id}/transitions`, { to: "cancelled" }),
    ]);
    const winners = results.filter((r) => r.statusCode === 200);
    const losers = results.filter((r) => r.statusCode === 409);
    assert.equal(winners.length + losers.length, 3, results.map((r) => r.body).join("\n"));
    assert.ok(winners.length >= 1);
    const events = await h.runtime.ctx.db.selectFrom("record_events").selectAll().where("record_id", "=", contract.id).orderBy("id").execute();
    // Each winning move is recorded once, and the moves form a valid chain from draft.
    assert.equal(events.length, winners.length);
    assert.equal(events[0]!.from_status, "draft");
    const approvals = events.filter((e) => e.to_status === "approved");
    assert.ok(approvals.length <= 1, "approved at most once");
  }
});

test("concurrent measurements cannot together exceed the contracted quantity", async () => {
  const { contract, period } = await makeActiveContractWithPeriod(h);
  const item = contract.items[0]; // 100 m³
  const body = { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: item.id, quantity: 60 }] };
  const results = await Promise.all([via(h.app, "POST", "/api/measurements", body), via(secondApp, "POST", "/api/measurements", body)]);
  const statuses = results.map((r) => r.statusCode).sort();
  assert.ok(statuses.includes(201), JSON.stringify(results.map((r) => r.body)));
  const measured = await h.call("GET", `/api/contracts/${contract.id}`);
  assert.ok(measured.body.items[0].measuredQuantity <= 100, `measured ${measured.body.items[0].measuredQuantity}`);
  assert.equal(results.filter((r) => r.statusCode === 201).length, 1);
});
