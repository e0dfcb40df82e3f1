import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../../src/platform/config.js";

describe("configuration from the environment", () => {
  test("defaults when nothing is set", () => {
    const config = loadConfig({});
    assert.deepEqual(config.refresh, { everyMinutes: 15, concurrency: 8, ratePerSecond: 20 });
    assert.equal(config.taeTimeoutMs, 15_000);
    assert.equal(config.jobLeaseMs, 300_000);
    assert.equal(config.webhooksAllowPrivate, false);
    assert.equal(config.database.dialect, "sqlite");
  });

  test("every knob is read once, here", () => {
    const config = loadConfig({
      OBRASIGN_REFRESH_EVERY_MINUTES: "0",
      OBRASIGN_REFRESH_CONCURRENCY: "3",
      OBRASIGN_REFRESH_RATE_PER_SECOND: "2.5",
      OBRASIGN_TAE_TIMEOUT_MS: "500",
      OBRASIGN_JOB_LEASE_SECONDS: "2",
      OBRASIGN_WEBHOOKS_ALLOW_PRIVATE: "1",
    });
    assert.deepEqual(config.refresh, { everyMinutes: 0, concurrency: 3, ratePerSecond: 2.5 });
    assert.equal(config.taeTimeoutMs, 500);
    assert.equal(config.jobLeaseMs, 2000);
    assert.equal(config.webhooksAllowPrivate, true);
  });

  test("an empty variable counts as unset", () => {
    assert.equal(loadConfig({ OBRASIGN_REFRESH_CONCURRENCY: "", PORT: "" }).refresh.concurrency, 8);
    assert.equal(loadConfig({ PORT: "" }).port, 3000);
  });

  test("a bad value names its variable", () => {
    assert.throws(() => loadConfig({ OBRASIGN_REFRESH_CONCURRENCY: "0" }), /OBRASIGN_REFRESH_CONCURRENCY/);
    assert.throws(() => loadConfig({ OBRASIGN_TAE_TIMEOUT_MS: "soon" }), /OBRASIGN_TAE_TIMEOUT_MS/);
    assert.throws(() => loadConfig({ OBRASIGN_WEBHOOKS_ALLOW_PRIVATE: "yes" }), /OBRASIGN_WEBHOOKS_ALLOW_PRIVATE/);
  });
});
