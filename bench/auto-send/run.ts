/**
 * Automatic sending benchmark (issue 6): M measurements approved at once on a
 * project whose measurement process is automatic (trigger
 * measurement.approved, criterion contract total > R$ 100.000,00, the
 * party's legal representative signs), the worker (default concurrency 4)
 * draining `auto-send.record` → report rendered → `envelope.send` → upload
 * + publish at TOTVS Sign (the TAE emulator in a child process, latency 0
 * unless --latency).
 *
 * Set-up (untimed), all through the API: the project and its settings, C
 * contracts (10 items each) made active with one open period, M/C draft
 * measurements per contract, each measuring every item.
 *
 * Timed, in the same run:
 *   render alone   bulletins rendered one after another (`renderProcessReport`), nothing else: an evenly
 *                  spread subset (--render-subset, default 200), time scaled to M
 *   provider alone the M bulletins uploaded and published straight at the emulator, 4 at once
 *   end to end     M approvals through the API (8 requests at once) with the worker running, until
 *                  every envelope is pending (published at the emulator)
 * Ratios: end to end ÷ render alone, ÷ provider alone and ÷ their sum. Peak RSS (obrasign's process only,
 * worker threads included: `process.memoryUsage().rss` sampled every 20 ms) per phase. Exactly-once: M
 * envelopes, M distinct trigger keys, M uploads and M publishes at the emulator, no failed job.
 *
 * End to end runs once per step, each on its own M measurements, in one run (--steps picks them):
 *   before      rendering on the event loop, fonts parsed per document (a fresh printer each time)
 *   fonts       rendering on the event loop, fonts and layouts reused
 *   pool        rendering in the worker pool (fonts reused per thread), claims = pool size × 2 (the default)
 *   unbounded   the pool, with the worker holding up to 32 jobs at once (what the claim bound prevents)
 * and reports, during the burst, the event-loop lag p99 (`monitorEventLoopDelay`) and the p99 of `GET /health`
 * (through `inject`, every 50 ms: it waits for the same event loop a real request would).
 *
 * Run: npx tsx bench/auto-send/run.ts [--db sqlite|postgres|both] [--measurements 1000] [--contracts 20] [--latency 0]
 *        [--worker-concurrency N (default pool size × 2)] [--render-subset 100] [--steps before,fonts,pool,unbounded]
 *        [--worker-memory-mb N (the pool's heap cap per thread; default the configuration's)]
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { defaultJobConcurrency, startWorker } from "../../src/platform/jobs/worker.js";
import { renderReport, reportDocument } from "../../src/modules/reports/index.js";
import { createPrinter, renderPdf } from "../../src/modules/reports/pdf.js";
import type { RenderReportRequest } from "../../src/modules/reports/render-task.js";
import { createWorkerPool, resolveWorkerSettings, type WorkerPool } from "../../src/platform/workers/index.js";
import { renderReportTask } from "../../src/modules/reports/render-task.js";
import { renderProcessReport } from "../../src/modules/envelopes/report-input.js";
import { validCnpj, validCpf } from "../../test/support/factories.js";
import { arg, dialectsFromArgs, inParallel, openBenchApp, pointAtEmulator, printTable, startEmulatorProcess, stopPostgres, type BenchApp, type EmulatorProcess } from "../refresh/setup.js";

const M = Number(arg("measurements", "1000"));
const C = Number(arg("contracts", "20"));
const LATENCY = Number(arg("latency", "0"));
const STEPS = arg("steps", "before,fonts,pool,unbounded").split(",") as Step[];
const RENDER_SUBSET = Math.min(M, Number(arg("render-subset", "100")));
type Step = "before" | "fonts" | "pool" | "unbounded";

/** Rendering on the calling thread, for the steps before the pool: the task's function, run inline. */
function inlinePool(render: (request: RenderReportRequest) => Promise<Uint8Array>, size: number): WorkerPool {
  return {
    size,
    run: ((_name: string, input: RenderReportRequest) => render(input)) as WorkerPool["run"],
    close: async () => {},
  };
}
const renderFreshFonts = (r: RenderReportRequest) => renderPdf(reportDocument(r.process, r.input, r.options), createPrinter());
const renderReusedFonts = (r: RenderReportRequest) => renderReport(r.process, r.input, r.options);
const ITEMS = 10;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)}`;

/** Samples RSS while `work` runs; returns its seconds and the peak. */
async function watched<T>(work: () => Promise<T>): Promise<{ seconds: number; peakRss: number; startRss: number; value: T }> {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const timer = setInterval(() => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { seconds, peakRss, startRss, value };
  } finally {
    clearInterval(timer);
  }
}

interface World {
  measurementIds: string[];
  signer: { name: string; email: string; cpf: string };
}

async function buildWorld(bench: BenchApp, total: number): Promise<World> {
  const project = await bench.call("POST", "/api/projects", { code: "OB-BENCH", name: "Edifício Aurora", address: "Rua A, 1 — São Paulo/SP" });
  const signer = { name: "Ana Souza", email: "ana.souza@construtora-exemplo.com.br", cpf: validCpf(1) };
  const party = await bench.call("POST", "/api/parties", {
    kind: "supplier", name: "Construtora Exemplo Ltda", document: validCnpj(1),
    contacts: [{ ...signer, role: "legal_representative" }],
  });
  await bench.call("PUT", `/api/projects/${project.id}/signature-settings`, {
    processes: {
      measurement: {
        enabled: true, mode: "automatic", trigger: "measurement.approved",
        criteria: [{ field: "contract.totalCents", op: "gt", value: 10_000_000 }],
        recipients: [{ source: "party_contact", role: "legal_representative", action: "sign" }], expiresInDays: 10,
      },
    },
  });
  const perContract = Math.ceil(total / C);
  const measurementIds: string[] = [];
  for (let c = 0; c < C; c++) {
    const contract = await bench.call("POST", "/api/contracts", {
      projectId: project.id, partyId: party.id, number: `CT-${String(c + 1).padStart(3, "0")}/2026`, kind: "empreitada", object: "Estrutura de concreto e alvenaria",
      startDate: "2026-01-05", endDate: "2026-12-18",
      items: Array.from({ length: ITEMS }, (_, i) => ({
        code: String(i + 1).padStart(2, "0"), description: `Serviço ${i + 1} — execução conforme projeto executivo`, unit: i % 2 ? "m³" : "m²",
        quantity: 100_000, unitPriceCents: 12_345 + i * 1_000,
      })),
    });
    await bench.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" });
    await bench.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "active" });
    const period = await bench.call("POST", "/api/periods", { contractId: contract.id, startDate: "2026-01-01", endDate: "2026-01-31" });
    for (let m = 0; m < perContract && measurementIds.length < total; m++) {
      const measurement = await bench.call("POST", "/api/measurements", {
        contractId: contract.id, periodId: period.id,
        lines: contract.items.map((item: { id: string }, i: number) => ({ contractItemId: item.id, quantity: 10 + ((m + i) % 7) })),
      });
      measurementIds.push(measurement.id);
    }
  }
  return { measurementIds, signer };
}

/** The bulletins of an evenly spread subset rendered one after another; the time is scaled to M by the caller. */
async function renderAlone(bench: BenchApp, world: World) {
  // The subset is taken from the first step's measurements; rendering is read-only.
  let bytes = 0;
  const pdfs: Uint8Array[] = [];
  const step = M / RENDER_SUBSET;
  const subset = Array.from({ length: RENDER_SUBSET }, (_, i) => world.measurementIds[Math.floor(i * step)]!);
  for (const id of subset) {
    const report = await renderProcessReport(bench.runtime.ctx, "measurement", id, [{ ...world.signer, action: "sign" }]);
    bytes += report.bytes.length;
    // Kept for the provider-alone baseline (a few distinct files are enough).
    if (pdfs.length < 20) pdfs.push(report.bytes);
  }
  return { bytes, pdfs };
}

async function providerAlone(tae: EmulatorProcess, pdfs: Uint8Array[], signer: World["signer"], concurrency: number) {
  await inParallel(M, concurrency, async (i) => {
    const form = new FormData();
    form.append("NomeEnvelope", `Boletim de medição ${i + 1}`);
    form.append("Envelope", new Blob([Buffer.from(pdfs[i % pdfs.length]!)], { type: "application/pdf" }), "boletim.pdf");
    const ref = Number(await tae.tae("POST", "/documents/v1/envelopes/upload", form));
    await tae.tae("POST", "/documents/v1/publicacoes", JSON.stringify({
      idDocumento: ref, utilizaWorkflow: false, destinatarios: [{ email: signer.email, nomeCompleto: signer.name, acao: 0 }],
    }), { "content-type": "application/json" });
  });
}

async function endToEnd(bench: BenchApp, measurementIds: string[], concurrency: number) {
  const ctx = bench.runtime.ctx;
  const worker = startWorker(ctx, { concurrency, pollMs: 1000 });
  ctx.notifyJobs = () => worker.wake();
  let approvedAt = 0;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const health: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const s = performance.now();
      await bench.app.inject({ method: "GET", url: "/health" });
      health.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  try {
    await inParallel(measurementIds.length, 8, async (i) => {
      await bench.call("POST", `/api/measurements/${measurementIds[i]}/transitions`, { to: "approved" });
    });
    approvedAt = (performance.now() - t0) / 1000;
    // Done when every envelope is pending and no job is left to run.
    for (;;) {
      const open = await ctx.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "in", ["queued", "running"]).executeTakeFirstOrThrow();
      if (Number(open.n) === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    probing = false;
    await probe;
    lag.disable();
    ctx.notifyJobs = () => {};
    await worker.stop();
  }
  health.sort((a, b) => a - b);
  return { approvedAt, lagP99: lag.percentile(99) / 1e6, healthP99: health[Math.min(health.length - 1, Math.floor(health.length * 0.99))] ?? 0 };
}

async function checkExactlyOnce(bench: BenchApp, tae: EmulatorProcess, measurementIds: string[]) {
  const db = bench.runtime.ctx.db;
  const envelopes = await db.selectFrom("envelopes").select(["id", "status", "trigger_key", "provider_ref", "failure_reason"]).where("record_id", "in", measurementIds).execute();
  const byStatus: Record<string, number> = {};
  for (const e of envelopes) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const keys = new Set(envelopes.map((e) => e.trigger_key));
  const refs = new Set(envelopes.map((e) => e.provider_ref));
  const failedJobs = await db.selectFrom("jobs").select(["name", "last_error"]).where("status", "=", "failed").execute();
  // Failed jobs are counted over the whole run: the steps before left none, or the line says so.
  const counters = await tae.control("GET", "/counters");
  const problems: string[] = [];
  if (envelopes.length !== M) problems.push(`${envelopes.length} envelopes for ${M} measurements`);
  if (byStatus.pending !== M) problems.push(`statuses ${JSON.stringify(byStatus)} (first failure: ${envelopes.find((e) => e.failure_reason)?.failure_reason})`);
  if (keys.size !== M || refs.size !== M) problems.push(`${keys.size} trigger keys, ${refs.size} provider refs`);
  if (counters.uploads !== M || counters.publishes !== M) problems.push(`emulator: ${counters.uploads} uploads, ${counters.publishes} publishes`);
  if (failedJobs.length) problems.push(`${failedJobs.length} failed jobs (${failedJobs[0]!.name}: ${failedJobs[0]!.last_error})`);
  return { ok: problems.length === 0, line: `${envelopes.length} envelopes (${JSON.stringify(byStatus)}), ${keys.size} trigger keys, emulator ${counters.uploads} uploads / ${counters.publishes} publishes, ${failedJobs.length} failed jobs`, problems };
}

const tae = await startEmulatorProcess();
const rows: string[][] = [];
const checks: string[] = [];
const loadBefore = (await import("node:os")).loadavg()[0]!;
if (arg("worker-memory-mb", "")) console.log(`# pool heap cap ${arg("worker-memory-mb", "")} MB per thread`);
console.log(`# bench/auto-send: ${M} measurements per step (${C} contracts, ${ITEMS} items each) approved at once; steps ${STEPS.join(", ")}; emulator latency ${LATENCY} ms; node ${process.version}; load average ${loadBefore.toFixed(1)}`);
try {
  for (const dialect of dialectsFromArgs()) {
    const bench = await openBenchApp(dialect);
    if (!bench) {
      console.log(`# ${dialect}: no PostgreSQL binaries, skipped`);
      continue;
    }
    try {
      await pointAtEmulator(bench, tae);
      const tSetup = performance.now();
      const world = await buildWorld(bench, M * STEPS.length);
      console.log(`# ${dialect}: set-up ${((performance.now() - tSetup) / 1000).toFixed(0)} s`);
      await tae.control("POST", "/faults", { latencyMs: LATENCY });
      const ctx = bench.runtime.ctx;
      const memoryMb = arg("worker-memory-mb", "");
      if (memoryMb) ctx.workers = createWorkerPool({ "reports.render": renderReportTask }, resolveWorkerSettings({ memoryMb: Number(memoryMb) }));
      const pool = ctx.workers;
      const bounded = Number(arg("worker-concurrency", String(defaultJobConcurrency(ctx))));

      const render = await watched(() => renderAlone(bench, world));
      render.seconds *= M / RENDER_SUBSET;
      const provider = await watched(() => providerAlone(tae, render.value.pdfs, world.signer, bounded));
      const sum = render.seconds + provider.seconds;
      const row = (label: string, r: { seconds: number; peakRss: number; startRss: number }, ratios: boolean, extra: string[] = ["", ""]) => [
        `${dialect}: ${label}`, r.seconds.toFixed(1), (M / r.seconds).toFixed(1), ratios ? (r.seconds / render.seconds).toFixed(2) : "", ratios ? (r.seconds / provider.seconds).toFixed(2) : "",
        ratios ? (r.seconds / sum).toFixed(2) : "", mb(r.startRss), mb(r.peakRss), ...extra,
      ];
      rows.push(row(`render alone, pool (${RENDER_SUBSET} of ${M} ×${(M / RENDER_SUBSET).toFixed(0)}, ${(render.value.bytes / RENDER_SUBSET / 1024).toFixed(0)} KiB/bulletin)`, render, false));
      rows.push(row(`provider alone (upload+publish, ${bounded} at once)`, provider, false));

      for (const [s, step] of STEPS.entries()) {
        const ids = world.measurementIds.slice(s * M, (s + 1) * M);
        await tae.control("POST", "/reset");
        ctx.workers = step === "before" ? inlinePool(renderFreshFonts, pool.size) : step === "fonts" ? inlinePool(renderReusedFonts, pool.size) : pool;
        const concurrency = step === "unbounded" ? 32 : bounded;
        const e2e = await watched(() => endToEnd(bench, ids, concurrency));
        ctx.workers = pool;
        const check = await checkExactlyOnce(bench, tae, ids);
        checks.push(`${dialect} ${step}: ${check.ok ? "exactly once ✓" : "NOT exactly once ✗"} — ${check.line}${check.problems.length ? `; ${check.problems.join("; ")}` : ""}`);
        const where = step === "before" || step === "fonts" ? "on the event loop" : `pool of ${pool.size}`;
        rows.push(row(`end to end: ${step} (${where}, ${concurrency} jobs at once; approvals done at ${e2e.value.approvedAt.toFixed(1)} s)`, e2e, true, [e2e.value.lagP99.toFixed(0), e2e.value.healthP99.toFixed(0)]));
        global.gc?.();
      }
      await tae.control("DELETE", "/faults");
    } finally {
      await bench.close();
    }
  }
} finally {
  await tae.stop();
  await stopPostgres();
}
console.log("");
printTable(["phase", "seconds", "envelopes/s", "÷ render", "÷ provider", "÷ render+provider", "RSS start MB", "RSS peak MB", "loop lag p99 ms", "/health p99 ms"], rows);
console.log("");
for (const line of checks) console.log(line);
console.log(`maxRSS of the whole run (resourceUsage): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average ${loadBefore.toFixed(1)} → ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`);
if (checks.some((c) => c.includes("NOT"))) process.exitCode = 1;
