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
 * `process.memoryUsage().rss` sampled every 20 ms) per phase. Exactly-once: M envelopes, M distinct trigger
 * keys, M uploads and M publishes at the emulator, no failed job.
 *
 * Run: npx tsx bench/auto-send/run.ts [--db sqlite|postgres|both] [--measurements 2000] [--contracts 20] [--latency 0]
 *        [--worker-concurrency 4] [--render-subset 200]
 */
import { performance } from "node:perf_hooks";
import { startWorker } from "../../src/platform/jobs/worker.js";
import { renderProcessReport } from "../../src/modules/envelopes/report-input.js";
import { validCnpj, validCpf } from "../../test/support/factories.js";
import { arg, dialectsFromArgs, inParallel, openBenchApp, pointAtEmulator, printTable, startEmulatorProcess, stopPostgres, type BenchApp, type EmulatorProcess } from "../refresh/setup.js";

const M = Number(arg("measurements", "2000"));
const C = Number(arg("contracts", "20"));
const LATENCY = Number(arg("latency", "0"));
const WORKER_CONCURRENCY = Number(arg("worker-concurrency", "4"));
const RENDER_SUBSET = Math.min(M, Number(arg("render-subset", "200")));
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

async function buildWorld(bench: BenchApp): Promise<World> {
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
  const perContract = Math.ceil(M / C);
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
    for (let m = 0; m < perContract && measurementIds.length < M; m++) {
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
  let bytes = 0;
  const pdfs: Uint8Array[] = [];
  const step = world.measurementIds.length / RENDER_SUBSET;
  const subset = Array.from({ length: RENDER_SUBSET }, (_, i) => world.measurementIds[Math.floor(i * step)]!);
  for (const id of subset) {
    const report = await renderProcessReport(bench.runtime.ctx, "measurement", id, [{ ...world.signer, action: "sign" }]);
    bytes += report.bytes.length;
    // Kept for the provider-alone baseline (a few distinct files are enough).
    if (pdfs.length < 20) pdfs.push(report.bytes);
  }
  return { bytes, pdfs };
}

async function providerAlone(tae: EmulatorProcess, pdfs: Uint8Array[], signer: World["signer"]) {
  await inParallel(M, WORKER_CONCURRENCY, async (i) => {
    const form = new FormData();
    form.append("NomeEnvelope", `Boletim de medição ${i + 1}`);
    form.append("Envelope", new Blob([Buffer.from(pdfs[i % pdfs.length]!)], { type: "application/pdf" }), "boletim.pdf");
    const ref = Number(await tae.tae("POST", "/documents/v1/envelopes/upload", form));
    await tae.tae("POST", "/documents/v1/publicacoes", JSON.stringify({
      idDocumento: ref, utilizaWorkflow: false, destinatarios: [{ email: signer.email, nomeCompleto: signer.name, acao: 0 }],
    }), { "content-type": "application/json" });
  });
}

async function endToEnd(bench: BenchApp, world: World) {
  const ctx = bench.runtime.ctx;
  const worker = startWorker(ctx, { concurrency: WORKER_CONCURRENCY, pollMs: 1000 });
  ctx.notifyJobs = () => worker.wake();
  let approvedAt = 0;
  const t0 = performance.now();
  try {
    await inParallel(world.measurementIds.length, 8, async (i) => {
      await bench.call("POST", `/api/measurements/${world.measurementIds[i]}/transitions`, { to: "approved" });
    });
    approvedAt = (performance.now() - t0) / 1000;
    // Done when every envelope is pending and no job is left to run.
    for (;;) {
      const open = await ctx.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "in", ["queued", "running"]).executeTakeFirstOrThrow();
      if (Number(open.n) === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    ctx.notifyJobs = () => {};
    await worker.stop();
  }
  return { approvedAt };
}

async function checkExactlyOnce(bench: BenchApp, tae: EmulatorProcess, world: World) {
  const db = bench.runtime.ctx.db;
  const envelopes = await db.selectFrom("envelopes").select(["id", "status", "trigger_key", "provider_ref", "failure_reason"]).where("record_id", "in", world.measurementIds).execute();
  const byStatus: Record<string, number> = {};
  for (const e of envelopes) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const keys = new Set(envelopes.map((e) => e.trigger_key));
  const refs = new Set(envelopes.map((e) => e.provider_ref));
  const failedJobs = await db.selectFrom("jobs").select(["name", "last_error"]).where("status", "=", "failed").execute();
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
console.log(`# bench/auto-send: ${M} measurements (${C} contracts × ${Math.ceil(M / C)}, ${ITEMS} items each) approved at once; worker concurrency ${WORKER_CONCURRENCY}; emulator latency ${LATENCY} ms; node ${process.version}`);
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
      const world = await buildWorld(bench);
      console.log(`# ${dialect}: set-up ${((performance.now() - tSetup) / 1000).toFixed(0)} s`);
      await tae.control("POST", "/faults", { latencyMs: LATENCY });

      const render = await watched(() => renderAlone(bench, world));
      render.seconds *= M / RENDER_SUBSET;
      const provider = await watched(() => providerAlone(tae, render.value.pdfs, world.signer));
      await tae.control("POST", "/reset");
      const e2e = await watched(() => endToEnd(bench, world));
      await tae.control("DELETE", "/faults");
      const check = await checkExactlyOnce(bench, tae, world);
      checks.push(`${dialect}: ${check.ok ? "exactly once ✓" : "NOT exactly once ✗"} — ${check.line}${check.problems.length ? `; ${check.problems.join("; ")}` : ""}`);

      const sum = render.seconds + provider.seconds;
      const row = (label: string, r: { seconds: number; peakRss: number; startRss: number }, ratios: boolean) => [
        `${dialect}: ${label}`, r.seconds.toFixed(1), (M / r.seconds).toFixed(1), ratios ? (r.seconds / render.seconds).toFixed(2) : "", ratios ? (r.seconds / provider.seconds).toFixed(2) : "",
        ratios ? (r.seconds / sum).toFixed(2) : "", mb(r.startRss), mb(r.peakRss),
      ];
      rows.push(row(`render alone (${RENDER_SUBSET} of ${M} ×${(M / RENDER_SUBSET).toFixed(0)}, ${(render.value.bytes / RENDER_SUBSET / 1024).toFixed(0)} KiB/bulletin)`, render, false));
      rows.push(row(`provider alone (upload+publish, ${WORKER_CONCURRENCY} at once)`, provider, false));
      rows.push(row(`end to end (approvals done at ${e2e.value.approvedAt.toFixed(1)} s)`, e2e, true));
    } finally {
      await bench.close();
    }
  }
} finally {
  await tae.stop();
  await stopPostgres();
}
console.log("");
printTable(["phase", "seconds", "envelopes/s", "÷ render", "÷ provider", "÷ render+provider", "RSS start MB", "RSS peak MB"], rows);
console.log("");
for (const line of checks) console.log(line);
console.log(`maxRSS of the whole run (resourceUsage): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (checks.some((c) => c.includes("NOT"))) process.exitCode = 1;
