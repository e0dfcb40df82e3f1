import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openRuntime, type Runtime } from "../../src/app.js";
import { changeOwnPassword } from "../../src/modules/auth/commands/account.js";
import { purgeExpiredSessions } from "../../src/modules/auth/commands/purge-sessions.js";
import { openSession, sessionLifetimeMs } from "../../src/modules/auth/commands/sign-in.js";
import { actorFromSession } from "../../src/modules/auth/queries.js";
import { ManualClock } from "../../src/platform/clock.js";
import { createLogger } from "../../src/platform/log.js";
import type { AppError } from "../../src/platform/errors.js";
import { freshDatabase } from "../support/database.js";
import { startHarness, testConfig, type Harness } from "../support/harness.js";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("the data folder is obrasign's alone", () => {
  let runtime: Runtime;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    database = await freshDatabase();
    // What an older version (or a careless copy) left: an open folder and a readable file.
    chmodSync(database.dataDir, 0o755);
    writeFileSync(join(database.dataDir, "left-behind.txt"), "old", { mode: 0o644 });
    mkdirSync(join(database.dataDir, "old-folder"), { mode: 0o755 });
    // No OBRASIGN_SECRET_KEY: the key file is created in the folder.
    runtime = await openRuntime(testConfig(database.target, database.dataDir, { secretKey: null }), { log: createLogger("silent") });
  });
  after(async () => {
    await runtime?.close();
    await database?.drop();
  });

  test("folder 0700; the key, the database, stored files and what was there before 0600", async () => {
    const dir = database.dataDir;
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, "left-behind.txt")), 0o600);
    assert.equal(mode(join(dir, "old-folder")), 0o700);
    assert.equal(mode(join(dir, "secret.key")), 0o600);
    await runtime.ctx.blobs.put(new TextEncoder().encode(`a stored file ${Date.now()}`));
    const files: string[] = [];
    const walk = (at: string) => {
      for (const name of readdirSync(at)) {
        const path = join(at, name);
        if (statSync(path).isDirectory()) {
          assert.equal(mode(path) & 0o077, 0, `${path} is closed to others`);
          walk(path);
        } else files.push(path);
      }
    };
    walk(dir);
    if (runtime.handle.dialect === "sqlite") {
      assert.ok(files.some((f) => f.endsWith(".db")) && files.some((f) => f.endsWith("-wal")), files.join(", "));
      assert.ok(existsSync(join(dir, "blobs")));
    }
    for (const file of files) assert.equal(mode(file) & 0o077, 0, `${file} is readable by its owner only`);
  });
});

describe("sessions", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  test("expired sessions are purged; live ones stay", async () => {
    const ctx = h.runtime.ctx;
    const old = await openSession(ctx, ctx.db, h.users.viewer.id, {});
    h.clock.advance(sessionLifetimeMs - 60_000);
    const fresh = await openSession(ctx, ctx.db, h.users.viewer.id, {});
    h.clock.advance(120_000);
    assert.equal(await actorFromSession(ctx, old), null, "expired: refused already");
    const count = async () => (await ctx.db.selectFrom("sessions").select("id").where("user_id", "=", h.users.viewer.id).execute()).length;
    assert.equal(await count(), 2, "but still stored before the purge");
    const purged = await purgeExpiredSessions(ctx);
    assert.equal(purged.sessions, 1);
    assert.equal(await count(), 1);
    assert.ok(await actorFromSession(ctx, fresh), "the live session still works");
    assert.equal((await purgeExpiredSessions(ctx)).sessions, 0, "idempotent");
  });

  test("changing one's own password ends every other session and opens one for this browser", async () => {
    const ctx = h.runtime.ctx;
    const clock = h.clock as ManualClock;
    const user = h.users.manager;
    const laptop = await openSession(ctx, ctx.db, user.id, {});
    const phone = await openSession(ctx, ctx.db, user.id, {});
    const actor = (await actorFromSession(ctx, laptop))!;
    clock.advance(1000);
    const { secret } = await changeOwnPassword(ctx, actor, { current: "manager-password-1", password: "uma-senha-nova-42", confirm: "uma-senha-nova-42" }, {});
    assert.equal(await actorFromSession(ctx, phone), null, "the other browser is signed out");
    assert.equal(await actorFromSession(ctx, laptop), null, "the old cookie of this browser too");
    const now = await actorFromSession(ctx, secret);
    assert.ok(now?.kind === "user" && now.id === user.id, "the new session works");
  });

  test("a password change's current-password check counts like sign-in: 5 wrong ones lock it, even for the right one", async () => {
    const ctx = h.runtime.ctx;
    const session = await openSession(ctx, ctx.db, h.users.viewer.id, {});
    const actor = (await actorFromSession(ctx, session))!;
    const attempt = (current: string) => changeOwnPassword(ctx, actor, { current, password: "outra-senha-nova-7", confirm: "outra-senha-nova-7" }, {});
    for (let i = 0; i < 4; i++) await assert.rejects(attempt(`errada-${i}`), (e: AppError) => e.code === "validation");
    await assert.rejects(attempt("errada-4"), (e: AppError) => e.code === "rate_limited" && (e.retryAfterSeconds ?? 0) > 0);
    await assert.rejects(attempt("viewer-password-1"), (e: AppError) => e.code === "rate_limited", "locked: the right one is refused too");
    h.clock.advance(16 * 60_000);
    await attempt("viewer-password-1");
  });
});
