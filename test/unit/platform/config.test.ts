import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultThrottle, loadConfig, throttleOf } from "../../../src/platform/config.js";

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

  test("the throttles' limits: defaults, and each variable", () => {
    assert.deepEqual(throttleOf(loadConfig({})), defaultThrottle);
    const config = throttleOf(loadConfig({
      OBRASIGN_LOGIN_MAX_FAILURES: "3", OBRASIGN_LOGIN_MAX_FAILURES_PER_ADDRESS: "20", OBRASIGN_LOGIN_WINDOW_MINUTES: "10", OBRASIGN_LOGIN_LOCK_MINUTES: "2, 10",
      OBRASIGN_VERIFY_LIMIT: "7", OBRASIGN_VERIFY_WINDOW_MINUTES: "1", OBRASIGN_RESEND_LIMIT: "2", OBRASIGN_RESEND_WINDOW_MINUTES: "30",
    }));
    assert.deepEqual(config, {
      login: { maxFailures: 3, maxFailuresPerAddress: 20, windowMs: 600_000, lockMs: [120_000, 600_000] },
      verify: { limit: 7, windowMs: 60_000 },
      resend: { limit: 2, windowMs: 1_800_000 },
    });
    assert.throws(() => loadConfig({ OBRASIGN_LOGIN_LOCK_MINUTES: "soon" }), /OBRASIGN_LOGIN_LOCK_MINUTES/);
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
