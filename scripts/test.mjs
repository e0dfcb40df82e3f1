#!/usr/bin/env node
// Runs the test suite. Files under test/integration/ touch the database and
// run twice: on SQLite and on PostgreSQL. PostgreSQL comes from
// TEST_DATABASE_URL, or else a throw-away cluster started here when the
// server binaries are installed. OBRASIGN_TEST_REQUIRE_POSTGRES=1 (set by CI)
// turns "PostgreSQL not found" into a failure instead of a skipped pass.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { startThrowawayPostgres } from "./throwaway-postgres.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out.sort();
}

const all = args.length > 0 ? args : [...findTests(join(root, "src")), ...findTests(join(root, "test"))];
const touchesDatabase = (f) => f.startsWith("test/integration/") || f.startsWith("test/e2e/");
const once = all.filter((f) => !touchesDatabase(f));
const twice = all.filter(touchesDatabase);

function run(label, files, env) {
  if (files.length === 0) return 0;
  console.log(`\n# ${label}: ${files.length} file(s)`);
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
    { cwd: root, stdio: "inherit", env: { ...process.env, ...env } },
  );
  return result.status ?? 1;
}

let failed = 0;
failed |= run("unit and database-free tests", once, {});
failed |= run("database tests on SQLite", twice, { TEST_DB: "sqlite" });

if (twice.length > 0) {
  let pg = process.env.TEST_DATABASE_URL ? { url: process.env.TEST_DATABASE_URL, stop() {} } : null;
  if (!pg) pg = await startThrowawayPostgres();
  if (pg) {
    try {
      failed |= run("database tests on PostgreSQL", twice, { TEST_DB: "postgres", TEST_DATABASE_URL: pg.url });
    } finally {
      await pg.stop();
    }
  } else if (process.env.OBRASIGN_TEST_REQUIRE_POSTGRES === "1") {
    console.error("PostgreSQL is required (OBRASIGN_TEST_REQUIRE_POSTGRES=1) but no server binaries were found.");
    failed = 1;
  } else {
    console.warn("\n# PostgreSQL pass skipped: no TEST_DATABASE_URL and no PostgreSQL server binaries found.");
  }
}
process.exit(failed ? 1 : 0);
