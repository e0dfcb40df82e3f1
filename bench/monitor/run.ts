/**
 * Monitor benchmark: `listEnvelopes` (the monitor's list query) over N
 * envelopes (~3 recipients each) on SQLite and PostgreSQL, pages of 50.
 *
 * For each filter combination and page position (first page, page 21 reached
 * by walking the cursor, and a page whose cursor sits in the middle of the
 * data, a year back) it prints p50 and p95 in ms, and beside them a floor
 * measured in the same run, interleaved run by run: the same page fetched by
 * primary key only (`WHERE id < cursor ORDER BY id DESC LIMIT 51`, plus the
 * same recipients query for the page), and the ratio of each to the floor.
 * Target (issue 5): p95 ≤ 50 ms per page at 1,000,000 envelopes. Since migration 013b
 * `q` searches the folded search text (name, contract number, party, recipients).
 *
 * On PostgreSQL it also times the recipient filter's window query (the
 * newest 3,000 rows, `EXISTS` on recipients) with and without the `OFFSET 0`
 * fence inside the `EXISTS`, interleaved, with the plan node each gets.
 *
 * Run: npx tsx bench/monitor/run.ts [--rows 1000000 | --rows 10000,100000,1000000] [--db sqlite|postgres|both] [--runs 50] [--only recipient]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { openRuntime, type Runtime } from "../../src/app.js";
import type { Config, DatabaseTarget } from "../../src/platform/config.js";
import { testConfig } from "../../test/support/harness.js";
import { createLogger } from "../../src/platform/log.js";
import { listEnvelopes } from "../../src/modules/envelopes/queries.js";
import { searchFold } from "../../src/platform/db/search-text.js";
import type { EnvelopeListQuery } from "../../src/modules/envelopes/schemas.js";
// @ts-expect-error plain .mjs helper shared with the test runner
import { startThrowawayPostgres } from "../../scripts/throwaway-postgres.mjs";

// ---------------------------------------------------------------- options
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const SIZES = arg("rows", "1000000").split(",").map(Number);
let ROWS = SIZES[0]!;
const ONLY = arg("only", "");
const DBS = arg("db", "both") === "both" ? ["sqlite", "postgres"] : [arg("db", "both")];
const RUNS = Number(arg("runs", "50"));
const WARMUP = 5;
const TARGET_P95_MS = 50;

// ---------------------------------------------------------------- data
/** Deterministic PRNG so both databases get the same data. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUIDv7 for a given millisecond, as `newId()` makes them. */
function uuidv7At(ms: number, rand: () => number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | Math.floor(rand() * 16);
  bytes[7] = Math.floor(rand() * 256);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const PROCESSES = ["contract", "amendment", "period", "measurement", "advance"] as const;
const PROCESS_WEIGHTS = [0.08, 0.07, 0.1, 0.6, 0.15];
const PROCESS_LABEL: Record<string, string> = {
  contract: "Contrato", amendment: "Aditivo", period: "Período", measurement: "Boletim de medição", advance: "Adiantamento",
};
const FIRST = ["Construtora", "Engenharia", "Terraplenagem", "Concreteira", "Instaladora", "Serralheria", "Pavimentadora", "Elétrica", "Hidráulica", "Fundações"];
const SECOND = ["Alfa", "Ipiranga", "Horizonte", "Paulista", "Cerrado", "Atlântico", "Serra Azul", "Pioneira", "Bandeirantes", "Tocantins", "Mantiqueira", "Guarani", "Pampa", "Litoral", "Araucária", "Sertão", "Planalto", "Capixaba", "Jequitibá", "Itaipu"];
const SURNAMES = ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Carvalho", "Ferreira", "Rodrigues", "Almeida", "Costa", "Gomes", "Martins", "Araújo", "Barbosa", "Ribeiro"];
const GIVEN = ["Ana", "João", "Maria", "José", "Paulo", "Carla", "Marcos", "Fernanda", "Ricardo", "Juliana", "Pedro", "Luana", "Rafael", "Beatriz", "Tiago", "Camila"];

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const START = NOW - 730 * DAY;

interface World {
  users: { id: string; email: string; name: string }[];
  projects: { id: string; code: string; name: string; manager: number }[];
  contracts: { project: number; number: string; party: number; recordIds: string[] }[];
  parties: { name: string; slug: string }[];
}

function buildWorld(rand: () => number): World {
  const users = Array.from({ length: 120 }, (_, i) => {
    const name = `${GIVEN[i % GIVEN.length]} ${SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length]} ${i}`;
    return { id: uuidv7At(START - DAY + i, rand), email: `usuario${i}@obrasign-demo.com.br`, name };
  });
  const projects = Array.from({ length: 50 }, (_, i) => ({
    id: uuidv7At(START - DAY + 1000 + i, rand), code: `OB-${String(i + 1).padStart(3, "0")}`, name: `Obra ${i + 1}`, manager: i,
  }));
  const parties = FIRST.flatMap((f) => SECOND.map((s) => ({ name: `${f} ${s} Ltda`, slug: `${f}-${s}`.toLowerCase().normalize("NFD").replace(/[^a-z-]/g, "") })));
  const contracts: World["contracts"] = [];
  for (let p = 0; p < projects.length; p++) {
    for (let c = 0; c < 20; c++) {
      contracts.push({
        project: p, number: `CT-${String(p + 1).padStart(3, "0")}-${String(c + 1).padStart(2, "0")}/${2024 + (c % 3)}`,
        party: Math.floor(rand() * parties.length), recordIds: Array.from({ length: 8 }, () => uuidv7At(START + Math.floor(rand() * 700 * DAY), rand)),
      });
    }
  }
  return { users, projects, contracts, parties };
}

function pick<T>(rand: () => number, items: readonly T[], weights?: readonly number[]): T {
  if (!weights) return items[Math.floor(rand() * items.length)]!;
  let r = rand();
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Recent envelopes are mostly still out for signature; older ones mostly completed. */
function statusFor(rand: () => number, ageDays: number): string {
  const recent = ["pending", "partially_signed", "completed", "queued", "draft", "rejected", "failed"] as const;
  const old = ["completed", "pending", "partially_signed", "cancelled", "rejected", "expired", "failed"] as const;
  return ageDays < 30
    ? pick(rand, recent, [0.35, 0.2, 0.35, 0.02, 0.03, 0.03, 0.02])
    : pick(rand, old, [0.875, 0.015, 0.01, 0.04, 0.02, 0.035, 0.005]);
}

const ENVELOPE_COLUMNS = [
  "id", "project_id", "process", "record_id", "name", "status", "provider", "provider_ref", "author_id", "author_label", "source",
  "signing_order", "subject", "message", "allow_rejection", "reminder_every_days", "expires_at", "failure_reason", "rejection_reason",
  "trigger_key", "created_at", "updated_at", "sent_at", "completed_at", "last_checked_at", "version",
  "contract_number", "party_name", "search_text",
] as const;
const RECIPIENT_COLUMNS = ["id", "envelope_id", "position", "name", "email", "cpf", "action", "sign_order", "auth", "status", "acted_at"] as const;

type Row = (string | number | null)[];

/** Yields batches of envelope rows and recipient rows, oldest first (ids ascend with time, as in production). */
function* generate(world: World, rows: number, batch: number): Generator<{ envelopes: Row[]; recipients: Row[] }> {
  const rand = mulberry32(42);
  const step = (NOW - START) / rows;
  const seq = new Map<number, number>();
  for (let start = 0; start < rows; start += batch) {
    const envelopes: Row[] = [];
    const recipients: Row[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const ms = Math.floor(START + i * step + rand() * step * 0.9);
      const id = uuidv7At(ms, rand);
      const created = new Date(ms).toISOString();
      const contractIndex = Math.floor(rand() * world.contracts.length);
      const contract = world.contracts[contractIndex]!;
      const project = world.projects[contract.project]!;
      const party = world.parties[contract.party]!;
      const process = pick(rand, PROCESSES, PROCESS_WEIGHTS);
      const n = (seq.get(contractIndex) ?? 0) + 1;
      seq.set(contractIndex, n);
      const status = statusFor(rand, (NOW - ms) / DAY);
      const author = world.users[20 + Math.floor(rand() * 30)]!;
      const done = status === "completed" ? new Date(ms + Math.floor(rand() * 10 * DAY)).toISOString() : null;
      envelopes.push([
        id, project.id, process, pick(rand, contract.recordIds), `${PROCESS_LABEL[process]} ${n} — ${contract.number} — ${party.name}`, status,
        rand() < 0.7 ? "embedded" : "totvs_sign", null, author.id, author.name, rand() < 0.8 ? "report" : "upload",
        rand() < 0.6 ? 1 : 0, null, null, 1, 3, new Date(ms + 30 * DAY).toISOString(), status === "failed" ? "provider error" : null,
        status === "rejected" ? "valores divergentes" : null, null, created, done ?? created, status === "draft" ? null : created, done, null, 1,
      ]);
      const people: { name: string; email: string; action: string }[] = [
        { name: `Contato ${1 + (n % 3)} ${party.name}`, email: `contato${1 + (n % 3)}@${party.slug}.com.br`, action: "sign" },
        { name: world.users[project.manager]!.name, email: world.users[project.manager]!.email, action: "sign" },
      ];
      if (rand() < 0.5) {
        const w = world.users[50 + Math.floor(rand() * 70)]!;
        people.push({ name: w.name, email: w.email, action: "witness" });
      }
      const name = envelopes[envelopes.length - 1]![4] as string;
      envelopes[envelopes.length - 1]!.push(contract.number, party.name, searchFold([name, contract.number, party.name, ...people.flatMap((p) => [p.name, p.email])]));
      people.forEach((p, position) => {
        const signed = status === "completed" || (status === "partially_signed" && position === 0);
        recipients.push([uuidv7At(ms, rand), id, position, p.name, p.email, null, p.action, position + 1, "email", signed ? "signed" : "pending", signed ? done ?? created : null]);
      });
    }
    yield { envelopes, recipients };
  }
}

async function seedBase(runtime: Runtime, world: World) {
  const now = new Date(START - DAY).toISOString();
  for (const u of world.users) {
    await runtime.ctx.db.insertInto("users").values({ id: u.id, email: u.email, name: u.name, role: "manager", password_hash: null, created_at: now, updated_at: now, disabled_at: null } as never).execute();
  }
  for (const p of world.projects) {
    await runtime.ctx.db.insertInto("projects").values({ id: p.id, external_id: null, created_at: now, updated_at: now, version: 1, code: p.code, name: p.name, address: null, manager_user_id: world.users[p.manager]!.id, status: "active" } as never).execute();
  }
}

function loadSqlite(path: string, world: World, rows: number) {
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insertEnvelope = db.prepare(`INSERT INTO envelopes (${ENVELOPE_COLUMNS.join(",")}) VALUES (${ENVELOPE_COLUMNS.map(() => "?").join(",")})`);
  const insertRecipient = db.prepare(`INSERT INTO recipients (${RECIPIENT_COLUMNS.join(",")}) VALUES (${RECIPIENT_COLUMNS.map(() => "?").join(",")})`);
  const insertBatch = db.transaction((b: { envelopes: Row[]; recipients: Row[] }) => {
    for (const e of b.envelopes) insertEnvelope.run(e);
    for (const r of b.recipients) insertRecipient.run(r);
  });
  for (const b of generate(world, rows, 50_000)) insertBatch(b);
  db.exec("ANALYZE");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

async function loadPostgres(url: string, world: World, rows: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const types = async (table: string, columns: readonly string[]) => {
    const res = await client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, [table]);
    const map = new Map(res.rows.map((r: { column_name: string; data_type: string }) => [r.column_name, r.data_type]));
    return columns.map((c) => map.get(c)!);
  };
  const insertSql = async (table: string, columns: readonly string[]) => {
    const t = await types(table, columns);
    return `INSERT INTO ${table} (${columns.join(",")}) SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::${t[i]}[]`).join(",")})`;
  };
  const envelopeSql = await insertSql("envelopes", ENVELOPE_COLUMNS);
  const recipientSql = await insertSql("recipients", RECIPIENT_COLUMNS);
  const transpose = (data: Row[], width: number) => Array.from({ length: width }, (_, c) => data.map((r) => r[c]));
  for (const b of generate(world, rows, 10_000)) {
    await client.query("BEGIN");
    await client.query(envelopeSql, transpose(b.envelopes, ENVELOPE_COLUMNS.length));
    await client.query(recipientSql, transpose(b.recipients, RECIPIENT_COLUMNS.length));
    await client.query("COMMIT");
  }
  await client.query("VACUUM ANALYZE");
  await client.end();
}

// ---------------------------------------------------------------- measuring
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface Case {
  label: string;
  query: Omit<EnvelopeListQuery, "limit" | "cursor">;
}

/** The list query as it stood before migration 005 (plain filters, one scan): the reference each page must equal. */
async function referenceIds(runtime: Runtime, query: Omit<EnvelopeListQuery, "limit">): Promise<string[]> {
  const db = runtime.ctx.db;
  let qb = db.selectFrom("envelopes").select("id");
  if (query.status) qb = qb.where("status", "in", query.status.split(",") as never[]);
  if (query.process) qb = qb.where("process", "=", query.process);
  if (query.projectId) qb = qb.where("project_id", "=", query.projectId);
  if (query.authorId) qb = qb.where("author_id", "=", query.authorId);
  if (query.from) qb = qb.where("created_at", ">=", query.from);
  if (query.to) qb = qb.where("created_at", "<=", query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to);
  if (query.recipient) {
    const like = `%${query.recipient.toLowerCase()}%`;
    qb = qb.where("id", "in", db.selectFrom("recipients").select("envelope_id").where((eb) => eb.or([eb("email", "like", like), eb(sql`lower(name)`, "like", like)])));
  }
  if (query.q) qb = qb.where("search_text", "like", `%${searchFold(query.q)}%`);
  if (query.cursor) qb = qb.where("id", "<", query.cursor);
  return (await qb.orderBy("id", "desc").limit(50).execute()).map((r) => r.id);
}

async function measure(runtime: Runtime, world: World, ids: { mid: string }) {
  const ctx = runtime.ctx;
  const project = world.projects[6]!;
  const party = world.parties[world.contracts[137]!.party]!;
  const author = world.users[27]!;
  const contractNumber = world.contracts[421]!.number;
  const cases: Case[] = [
    { label: "none", query: {} },
    { label: "status=pending,partially_signed", query: { status: "pending,partially_signed" } },
    { label: "status=failed", query: { status: "failed" } },
    { label: "projectId", query: { projectId: project.id } },
    { label: "projectId+status=pending", query: { projectId: project.id, status: "pending" } },
    { label: "projectId+status=pending,partially_signed", query: { projectId: project.id, status: "pending,partially_signed" } },
    { label: "process=measurement+status=pending", query: { process: "measurement", status: "pending" } },
    { label: "process=advance+status=rejected", query: { process: "advance", status: "rejected" } },
    { label: "recipient=<party e-mail>", query: { recipient: `contato1@${party.slug}.com.br` } },
    { label: "recipient=<manager e-mail>", query: { recipient: world.users[6]!.email } },
    { label: "recipient=<surname>", query: { recipient: "Oliveira" } },
    { label: "q=<party word>", query: { q: "Ipiranga" } },
    { label: "q=<contract number>", query: { q: contractNumber } },
    { label: "q=<recipient name>", query: { q: "Contato 2" } },
    { label: "q=<no match>", query: { q: "inexistente" } },
    { label: "from/to (one month, 8 months back)", query: { from: new Date(NOW - 270 * DAY).toISOString().slice(0, 10), to: new Date(NOW - 240 * DAY).toISOString().slice(0, 10) } },
    { label: "authorId", query: { authorId: author.id } },
    { label: "projectId+process+status=completed", query: { projectId: project.id, process: "measurement", status: "completed" } },
  ];

  if (ONLY) cases.splice(0, cases.length, ...cases.filter((c) => c.label.includes(ONLY)));

  const floor = async (cursor: string | undefined) => {
    let qb = ctx.db.selectFrom("envelopes").selectAll();
    if (cursor) qb = qb.where("id", "<", cursor);
    const rows = await qb.orderBy("id", "desc").limit(51).execute();
    const page = rows.slice(0, 50);
    if (page.length) await ctx.db.selectFrom("recipients").selectAll().where("envelope_id", "in", page.map((e) => e.id)).orderBy("position").execute();
    return rows.length;
  };

  const results: string[][] = [];
  for (const c of cases) {
    // Page 21: walk the cursor 20 pages from the top (once, untimed).
    let cursor: string | undefined;
    let walked = 0;
    for (; walked < 20; walked++) {
      const page = await listEnvelopes(ctx, { ...c.query, limit: 50, cursor } as EnvelopeListQuery);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const positions: [string, string | undefined][] = [["first", undefined], [walked === 20 ? "p21" : `p${walked + 1}(end)`, cursor], ["mid", ids.mid]];
    for (const [position, at] of positions) {
      if (position !== "first" && at === undefined) continue;
      const run = () => listEnvelopes(ctx, { ...c.query, limit: 50, cursor: at } as EnvelopeListQuery);
      const t0 = performance.now();
      const first = await run();
      const once = performance.now() - t0;
      const expected = await referenceIds(runtime, { ...c.query, cursor: at });
      if (JSON.stringify(expected) !== JSON.stringify(first.items.map((e) => e.id))) {
        throw new Error(`${c.label} ${position}: listEnvelopes differs from the reference scan (${first.items.length} vs ${expected.length} rows)`);
      }
      // A query that takes seconds gets fewer runs; the table says how many.
      const runs = once > 1000 ? 5 : once > 200 ? 15 : RUNS;
      const warm = once > 200 ? 1 : WARMUP;
      for (let i = 0; i < warm; i++) {
        await run();
        await floor(at);
      }
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < runs; i++) {
        let s = performance.now();
        await floor(at);
        base.push(performance.now() - s);
        s = performance.now();
        await run();
        ours.push(performance.now() - s);
      }
      ours.sort((a, b) => a - b);
      base.sort((a, b) => a - b);
      const p50 = quantile(ours, 0.5);
      const p95 = quantile(ours, 0.95);
      const f50 = quantile(base, 0.5);
      const f95 = quantile(base, 0.95);
      const row = [c.label, position, String(first.items.length), String(runs), p50.toFixed(1), p95.toFixed(1), f50.toFixed(1), f95.toFixed(1), (p50 / f50).toFixed(1), (p95 / f95).toFixed(1), p95 <= TARGET_P95_MS ? "ok" : "SLOW"];
      results.push(row);
      console.log(`  ${row.join("  ")}`);
    }
  }
  if (ctx.dialect === "postgres") await fenceProbe(runtime, cases.filter((c) => c.query.recipient));
  return results;
}

/** The recipient filter's first step (the newest 3,000 rows, EXISTS on recipients), with and without OFFSET 0 inside the EXISTS. */
async function fenceProbe(runtime: Runtime, cases: Case[]) {
  const db = runtime.ctx.db;
  const edge = await db.selectFrom("envelopes").select("id").orderBy("id", "desc").limit(1).offset(2999).executeTakeFirstOrThrow();
  const query = (like: string, fenced: boolean) =>
    sql<{ id: string }>`select * from envelopes where id >= ${edge.id} and exists (select 1 from recipients r where r.envelope_id = envelopes.id and (r.email like ${like} or lower(r.name) like ${like})${fenced ? sql` offset 0` : sql``}) order by id desc limit 51`;
  for (const c of cases) {
    const like = `%${c.query.recipient!.toLowerCase()}%`;
    const plan = async (fenced: boolean) => {
      const rows = (await sql<{ "QUERY PLAN": string }>`explain (costs off) ${query(like, fenced)}`.execute(db)).rows.map((r) => r["QUERY PLAN"]);
      return rows.find((r) => /Semi Join|SubPlan|Nested Loop|Hash Join/.test(r))?.trim() ?? rows[1]?.trim() ?? "";
    };
    const times: Record<"plain" | "fenced", number[]> = { plain: [], fenced: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const fenced of [false, true]) {
        const t0 = performance.now();
        await query(like, fenced).execute(db);
        if (i >= WARMUP) times[fenced ? "fenced" : "plain"].push(performance.now() - t0);
      }
    }
    for (const t of Object.values(times)) t.sort((a, b) => a - b);
    const q = (k: "plain" | "fenced", p: number) => quantile(times[k], p).toFixed(1);
    const line = `  fence probe ${c.label}: EXISTS p50 ${q("plain", 0.5)} p95 ${q("plain", 0.95)} ms [${await plan(false)}] | with OFFSET 0 p50 ${q("fenced", 0.5)} p95 ${q("fenced", 0.95)} ms [${await plan(true)}] | p95 ratio ${(quantile(times.fenced, 0.95) / quantile(times.plain, 0.95)).toFixed(2)}`;
    probes.push(`${ROWS.toLocaleString("en")}: ${line.trim()}`);
    console.log(line);
  }
}
const probes: string[] = [];

function printTable(title: string, rows: string[][]) {
  const header = ["filter", "page", "rows", "runs", "p50 ms", "p95 ms", "floor p50", "floor p95", "p50/floor", "p95/floor", `p95≤${TARGET_P95_MS}`];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  console.log(`\n## ${title}\n`);
  console.log(`| ${header.map((h, i) => h.padEnd(widths[i]!)).join(" | ")} |`);
  console.log(`|${widths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`);
  for (const r of rows) console.log(`| ${r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ")} |`);
}

// ---------------------------------------------------------------- main
const world = buildWorld(mulberry32(7));
const config = (database: DatabaseTarget, dataDir: string): Config => testConfig(database, dataDir);
const tables: [string, string[][]][] = [];
console.log(`# bench/monitor: ${SIZES.map((n) => n.toLocaleString("en")).join(", ")} envelopes, pages of 50, ${RUNS} runs after ${WARMUP} warm-up`);

for (const size of SIZES) for (const dialect of DBS) {
  ROWS = size;
  const dir = mkdtempSync(join(tmpdir(), "obrasign-bench-monitor-"));
  let pgServer: { url: string; stop(): Promise<void> } | null = null;
  try {
    let target: DatabaseTarget;
    if (dialect === "sqlite") target = { dialect: "sqlite", path: join(dir, "bench.db") };
    else {
      pgServer = await startThrowawayPostgres();
      if (!pgServer) {
        console.log("# no PostgreSQL binaries found: skipping postgres");
        continue;
      }
      target = { dialect: "postgres", url: pgServer.url };
    }
    let runtime = await openRuntime(config(target, dir), { log: createLogger("silent") });
    await seedBase(runtime, world);
    const t0 = performance.now();
    if (dialect === "sqlite") {
      await runtime.close();
      loadSqlite((target as { path: string }).path, world, ROWS);
      runtime = await openRuntime(config(target, dir), { log: createLogger("silent") });
    } else {
      await loadPostgres((target as { url: string }).url, world, ROWS);
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    const counted = await runtime.ctx.db.selectFrom("recipients").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    console.log(`\n# ${dialect}: loaded ${ROWS.toLocaleString("en")} envelopes and ${Number(counted.n).toLocaleString("en")} recipients in ${loadSeconds.toFixed(0)} s (incl. ANALYZE)`);
    const midRow = await runtime.ctx.db.selectFrom("envelopes").select("id").orderBy("id", "desc").offset(Math.floor(ROWS / 2)).limit(1).executeTakeFirstOrThrow();
    if (dialect === "postgres") await sql`select 1`.execute(runtime.ctx.db);
    const rows = await measure(runtime, world, { mid: midRow.id });
    tables.push([`${dialect} — ${ROWS.toLocaleString("en")} envelopes (load ${loadSeconds.toFixed(0)} s)`, rows]);
    await runtime.close();
  } finally {
    if (pgServer) await pgServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
for (const [title, rows] of tables) printTable(title, rows);
if (probes.length) console.log(`\n## PostgreSQL recipient window (newest 3,000 rows), EXISTS with and without OFFSET 0\n\n${probes.join("\n")}`);
console.log(`\nfloor = the same page by primary key only (WHERE id < cursor ORDER BY id DESC LIMIT 51) plus the page's recipients; p21 = page 21 by walking the cursor; mid = cursor at the middle of the data (a year back).`);
