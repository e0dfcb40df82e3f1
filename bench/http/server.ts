/**
 * One obrasign server for bench/http, from the source tree given by --root
 * (so the driver can start the baseline and the candidate side by side), on
 * a fresh SQLite file or PostgreSQL database, seeded with --envelopes
 * envelopes (3 recipients each, dates over a year, the monitor's mix of
 * statuses). Prints one JSON line (url, token), then serves until stdin closes.
 *
 *   node --import tsx bench/http/server.ts --root DIR --db sqlite|postgres [--pg-url URL] [--envelopes 1000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const root = arg("root", new URL("../..", import.meta.url).pathname);
const dialect = arg("db", "sqlite") as "sqlite" | "postgres";
const envelopes = Number(arg("envelopes", "1000"));

const { createHttpServer, openRuntime } = await import(join(root, "src/app.ts"));
const { testConfig } = await import(join(root, "test/support/harness.ts"));
const { createLogger } = await import(join(root, "src/platform/log.ts"));
const { createUser } = await import(join(root, "src/modules/auth/commands/create-user.ts"));
const { createApiToken } = await import(join(root, "src/modules/auth/commands/create-api-token.ts"));

const dataDir = mkdtempSync(join(tmpdir(), "obrasign-bench-http-"));
let target: { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };
let dropDatabase = async () => {};
if (dialect === "sqlite") target = { dialect, path: join(dataDir, "bench.db") };
else {
  const serverUrl = arg("pg-url", "");
  const name = `obrasign_http_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  target = { dialect, url: url.toString() };
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}

const runtime = await openRuntime(testConfig(target, dataDir), { log: createLogger("silent") });
const app = await createHttpServer(runtime.ctx);
await createUser(runtime.ctx, { email: "admin@obrasign.test", name: "Bench admin", role: "admin", password: "admin-password-1" });
const token: string = (await createApiToken(runtime.ctx, { email: "admin@obrasign.test" })).token;
const call = async (method: string, url: string, body?: unknown) => {
  const raw = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body } : {}) });
  if (raw.statusCode >= 300) throw new Error(`${method} ${url} → ${raw.statusCode} ${raw.body.slice(0, 300)}`);
  return JSON.parse(raw.body);
};

// Deterministic data, the same in both trees.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const statuses = ["pending", "partially_signed", "completed", "completed", "completed", "rejected", "expired", "cancelled", "failed", "draft"] as const;
const processes = ["measurement", "measurement", "measurement", "contract", "amendment", "period", "advance"] as const;
const project = await call("POST", "/api/projects", { code: "OB-HTTP", name: "Edifício Aurora", address: "Rua A, 1 — São Paulo/SP" });
const start = Date.UTC(2025, 11, 1);
const db = runtime.ctx.db;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const idAt = (ms: number, n: number) => `${hex(ms, 12).slice(0, 8)}-${hex(ms, 12).slice(8)}-7${hex(n % 4096, 3)}-8${hex(Math.floor(rand() * 4096), 3)}-${hex(Math.floor(rand() * 2 ** 48), 12)}`;
for (let batch = 0; batch < envelopes; batch += 200) {
  const rows = [];
  const people = [];
  for (let i = batch; i < Math.min(envelopes, batch + 200); i++) {
    const ms = start + Math.floor((i / envelopes) * 365 * 86_400_000);
    const created = new Date(ms).toISOString();
    const id = idAt(ms, i);
    const status = statuses[Math.floor(rand() * statuses.length)]!;
    const process = processes[i % processes.length]!;
    rows.push({
      id, project_id: project.id, process, record_id: idAt(ms, i + 1), name: `Boletim de medição nº ${i + 1} - CT-${String(1 + (i % 40)).padStart(3, "0")}/2026`,
      status, provider: "embedded", provider_ref: null, author_id: null, author_label: "Bench admin <admin@obrasign.test>", source: "report",
      signing_order: 1, subject: null, message: null, allow_rejection: 1, reminder_every_days: 3, expires_at: new Date(ms + 30 * 86_400_000).toISOString(),
      failure_reason: status === "failed" ? "provider error" : null, rejection_reason: status === "rejected" ? "valores divergentes" : null, trigger_key: null,
      created_at: created, updated_at: created, sent_at: status === "draft" ? null : created, completed_at: status === "completed" ? created : null, last_checked_at: null,
    });
    for (let p = 0; p < 3; p++) {
      const signed = status === "completed" || (status === "partially_signed" && p === 0);
      people.push({
        id: idAt(ms, i * 3 + p), envelope_id: id, position: p, name: `Signatário ${p + 1} ${(i * 7 + p) % 97}`, email: `pessoa${(i * 7 + p) % 97}@construtora-${p}.com.br`,
        cpf: null, action: p === 2 ? "witness" : "sign", sign_order: p + 1, auth: "email_code", status: signed ? "signed" : "pending", acted_at: signed ? created : null,
        rejection_reason: null, token_hash: null, invited_at: created, reminded_at: null, signature_type: null, signature_value: null, evidence: null, removed_at: null,
      });
    }
  }
  await db.insertInto("envelopes").values(rows).execute();
  await db.insertInto("recipients").values(people).execute();
}

const address = await app.listen({ port: 0, host: "127.0.0.1" });
console.log(JSON.stringify({ url: address, token, pid: process.pid }));

const stop = async () => {
  await app.close();
  await runtime.close();
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.resume();
process.on("SIGTERM", () => void stop());
