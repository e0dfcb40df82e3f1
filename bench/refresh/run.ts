/**
 * Status refresh benchmark (issue 6): N envelopes pending at TOTVS Sign (the
 * TAE emulator, in a child process, answering status calls after 50 ms), the
 * refresh process run as it runs in production (an `envelopes.refresh` job
 * picked up by the worker, `refreshEnvelopes` inside).
 *
 * Set-up (untimed): the documents are uploaded and published at the emulator
 * through its HTTP API as the service user; the obrasign rows (envelope + a
 * signer and a validator) are inserted directly. About 10% of the documents
 * have their signer acted (→ partially_signed, one recipient write + one event)
 * and 2% are finished (→ completed, signed file downloaded — the download is
 * not delayed), so the run writes what a real refresh writes.
 *
 * Timed, in the same run, interleaved, the database put back between runs:
 *   http floor   N status calls straight to the emulator, `concurrency` at once (no obrasign)
 *   c=8          the refresh job at concurrency 8, rate limit off
 *   c=8 @20/s    the same with the default rate limit (20 calls/s): bound by the limiter, N/20 s
 *   c=1          one at a time on a subset (default 100 of N), extrapolated ×N/subset
 * Floor = N × latency ÷ concurrency (6.25 s for 1,000 × 50 ms ÷ 8). Target: c=8 within 1.3× of the floor.
 *
 * Run: npx tsx bench/refresh/run.ts [--db sqlite|postgres|both] [--envelopes 1000] [--latency 50]
 *        [--concurrency 8] [--subset 100] [--runs 3] [--skip-rate-limited] [--profile FILE (CPU profile of the first c=8 run)]
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { newId } from "../../src/platform/ids.js";
import { searchFold } from "../../src/platform/db/search-text.js";
import { drainJobs } from "../../src/platform/jobs/worker.js";
import { startRefreshJob } from "../../src/modules/envelopes/refresh/index.js";
import { samplePdf } from "../../test/support/pdfs.js";
import { arg, dialectsFromArgs, inParallel, openBenchApp, pointAtEmulator, printTable, startEmulatorProcess, stopPostgres, type BenchApp, type EmulatorProcess } from "./setup.js";

const N = Number(arg("envelopes", "1000"));
const LATENCY = Number(arg("latency", "50"));
const CONCURRENCY = Number(arg("concurrency", "8"));
const SUBSET = Math.min(N, Number(arg("subset", "100")));
const RUNS = Number(arg("runs", "3"));
const DEFAULT_RATE = 20;
const skipRateLimited = process.argv.includes("--skip-rate-limited");
const profilePath = process.argv.includes("--profile") ? arg("profile", "refresh.cpuprofile") : null;
const FLOOR_S = (N * LATENCY) / CONCURRENCY / 1000;

interface Seeded {
  ids: string[];
  expectedChanged: number;
}

/** N documents at the emulator, pending; some acted on, some finished. */
async function seedEmulator(tae: EmulatorProcess, n: number) {
  const pdf = Buffer.from(await samplePdf("Boletim de medição"));
  const docs: { ref: number; signer: string; validator: string; state: "pending" | "partial" | "finished" }[] = new Array(n);
  const tag = newId().slice(-6);
  await inParallel(n, 16, async (i) => {
    const form = new FormData();
    form.append("NomeEnvelope", `Boletim ${i + 1}`);
    form.append("Envelope", new Blob([pdf], { type: "application/pdf" }), "boletim.pdf");
    const ref = Number(await tae.tae("POST", "/documents/v1/envelopes/upload", form));
    const signer = `signer.${tag}.${i}@example.com`;
    const validator = `validator.${tag}.${i}@example.com`;
    await tae.tae("POST", "/documents/v1/publicacoes", JSON.stringify({
      idDocumento: ref, utilizaWorkflow: false,
      destinatarios: [{ email: signer, nomeCompleto: "Sônia Signatária", acao: 0 }, { email: validator, nomeCompleto: "Valter Validador", acao: 1 }],
    }), { "content-type": "application/json" });
    const state = i % 50 === 7 ? "finished" : i % 10 === 3 ? "partial" : "pending";
    if (state !== "pending") await tae.control("POST", `/documents/${ref}/act`, { email: signer });
    if (state === "finished") await tae.control("POST", `/documents/${ref}/act`, { email: validator });
    docs[i] = { ref, signer, validator, state };
  });
  return docs;
}

async function seedObrasign(bench: BenchApp, docs: Awaited<ReturnType<typeof seedEmulator>>): Promise<Seeded> {
  const db = bench.runtime.ctx.db;
  const project = await bench.call("POST", "/api/projects", { code: `P-${newId().slice(-8)}`, name: "Edifício Aurora", address: "Rua A, 1 — São Paulo/SP" });
  const now = new Date().toISOString();
  const ids: string[] = [];
  for (let start = 0; start < docs.length; start += 200) {
    const slice = docs.slice(start, start + 200);
    const envelopes = slice.map((d, k) => ({
      id: newId(), project_id: project.id, process: "measurement" as const, record_id: newId(), name: `Boletim de medição ${start + k + 1}`, status: "pending" as const,
      provider: "totvs-sign" as const, provider_ref: String(d.ref), author_id: null, author_label: "obrasign (envio automático)", source: "report" as const,
      signing_order: 0, subject: null, message: null, allow_rejection: 1, reminder_every_days: null, expires_at: null, failure_reason: null, rejection_reason: null,
      trigger_key: null, created_at: now, updated_at: now, sent_at: now, completed_at: null, last_checked_at: null,
      contract_number: null, party_name: null, search_text: searchFold(`Boletim de medição ${start + k + 1}`), locale: "pt-BR" as const,
    }));
    const recipients = envelopes.flatMap((e, k) => [
      { id: newId(), envelope_id: e.id, position: 0, name: "Sônia Signatária", email: slice[k]!.signer, cpf: null, action: "sign" as const, sign_order: null, auth: "email_code" as const, notify_channel: "email" as const, status: "pending" as const, acted_at: null, rejection_reason: null, token_hash: null, invited_at: now, reminded_at: null, signature_type: null, signature_value: null, evidence: null, removed_at: null, opened_at: null },
      { id: newId(), envelope_id: e.id, position: 1, name: "Valter Validador", email: slice[k]!.validator, cpf: null, action: "validate" as const, sign_order: null, auth: "email_code" as const, notify_channel: "email" as const, status: "pending" as const, acted_at: null, rejection_reason: null, token_hash: null, invited_at: now, reminded_at: null, signature_type: null, signature_value: null, evidence: null, removed_at: null, opened_at: null },
    ]);
    await db.transaction().execute(async (tx) => {
      await tx.insertInto("envelopes").values(envelopes).execute();
      await tx.insertInto("recipients").values(recipients).execute();
    });
    ids.push(...envelopes.map((e) => e.id));
  }
  return { ids, expectedChanged: docs.filter((d) => d.state !== "pending").length };
}

/** Puts obrasign back as it was before a refresh (the emulator's state does not change when read). */
async function reset(bench: BenchApp) {
  const db = bench.runtime.ctx.db;
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("envelopes").set({ status: "pending", last_checked_at: null, completed_at: null }).where("provider", "=", "totvs-sign").execute();
    await tx.updateTable("recipients").set({ status: "pending", acted_at: null }).execute();
    await tx.deleteFrom("envelope_files").where("kind", "=", "signed").execute();
    await tx.deleteFrom("envelope_events").execute();
    await tx.deleteFrom("jobs").execute();
  });
}

/** One refresh job, as the API queues it, run by the worker; returns seconds and the job's outcome. */
async function refreshRun(bench: BenchApp, options: { concurrency: number; rate: number; ids?: string[] }) {
  const ctx = bench.runtime.ctx;
  ctx.config.refresh = { ...ctx.config.refresh, concurrency: options.concurrency, ratePerSecond: options.rate };
  const t0 = performance.now();
  const { jobId } = await startRefreshJob(ctx, { ids: options.ids, origin: "api" });
  await drainJobs(ctx);
  const seconds = (performance.now() - t0) / 1000;
  const job = await ctx.db.selectFrom("jobs").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
  if (job.status !== "done") throw new Error(`refresh job ${job.status}: ${job.last_error}`);
  const expected = options.ids?.length ?? N;
  if (Number(job.progress_done) !== expected || Number(job.progress_failed) !== 0) {
    throw new Error(`refresh job: done ${job.progress_done}/${expected}, failed ${job.progress_failed}`);
  }
  return seconds;
}

/** The same status calls with nothing of obrasign around them. */
async function httpFloor(tae: EmulatorProcess, refs: number[], concurrency: number) {
  const t0 = performance.now();
  await inParallel(refs.length, concurrency, async (i) => void (await tae.tae("GET", `/documents/v2/publicacoes/${refs[i]}`)));
  return (performance.now() - t0) / 1000;
}

async function counts(bench: BenchApp) {
  const rows = await bench.runtime.ctx.db.selectFrom("envelopes").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const tae = await startEmulatorProcess();
const results: string[][] = [];
console.log(`# bench/refresh: ${N} pending envelopes, status latency ${LATENCY} ms, concurrency ${CONCURRENCY}, floor ${N} × ${LATENCY} ms ÷ ${CONCURRENCY} = ${FLOOR_S.toFixed(2)} s; ${RUNS} runs, median`);
try {
  const docs = await seedEmulator(tae, N);
  const refs = docs.map((d) => d.ref);
  for (const dialect of dialectsFromArgs()) {
    const bench = await openBenchApp(dialect);
    if (!bench) {
      console.log(`# ${dialect}: no PostgreSQL binaries, skipped`);
      continue;
    }
    try {
      await pointAtEmulator(bench, tae);
      const seeded = await seedObrasign(bench, docs);
      await tae.control("POST", "/faults", { latencyMs: LATENCY, routes: ["status"] });
      // Warm-up: login, JIT, connection pool — untimed, on a few envelopes.
      await refreshRun(bench, { concurrency: CONCURRENCY, rate: 0, ids: seeded.ids.slice(0, 16) });
      await reset(bench);
      const subset = seeded.ids.filter((_, i) => i % Math.floor(N / SUBSET) === 0).slice(0, SUBSET);
      const floor: number[] = [];
      const c8: number[] = [];
      const c1: number[] = [];
      let after: Record<string, number> = {};
      for (let run = 0; run < RUNS; run++) {
        floor.push(await httpFloor(tae, refs, CONCURRENCY));
        await reset(bench);
        const session = profilePath !== null && run === 0 ? new Session() : null;
        if (session) {
          session.connect();
          await session.post("Profiler.enable");
          await session.post("Profiler.start");
        }
        c8.push(await refreshRun(bench, { concurrency: CONCURRENCY, rate: 0 }));
        if (session && profilePath !== null) {
          const { profile } = await session.post("Profiler.stop");
          writeFileSync(profilePath.replace(/(\.cpuprofile)?$/, `-${dialect}.cpuprofile`), JSON.stringify(profile));
          session.disconnect();
        }
        after = await counts(bench);
        await reset(bench);
        c1.push((await refreshRun(bench, { concurrency: 1, rate: 0, ids: subset })) * (N / subset.length));
      }
      const changed = (after.partially_signed ?? 0) + (after.completed ?? 0);
      if (changed !== seeded.expectedChanged || (after.completed ?? 0) !== docs.filter((d) => d.state === "finished").length) {
        throw new Error(`after the refresh: ${JSON.stringify(after)}, expected ${seeded.expectedChanged} changed`);
      }
      let limited: number | null = null;
      if (!skipRateLimited) {
        await reset(bench);
        limited = await refreshRun(bench, { concurrency: CONCURRENCY, rate: DEFAULT_RATE });
      }
      await tae.control("DELETE", "/faults");
      const f = median(floor);
      const t8 = median(c8);
      const t1 = median(c1);
      const row = (label: string, s: number, runs: number) => [`${dialect}: ${label}`, String(runs), s.toFixed(2), (s / FLOOR_S).toFixed(2), (s / f).toFixed(2), (N / s).toFixed(0)];
      results.push(row(`http floor (emulator only, ${CONCURRENCY} at once)`, f, RUNS));
      results.push(row(`refresh c=${CONCURRENCY}, no rate limit`, t8, RUNS));
      if (limited !== null) results.push(row(`refresh c=${CONCURRENCY}, default ${DEFAULT_RATE}/s limit (floor ${N / DEFAULT_RATE} s)`, limited, 1));
      results.push(row(`refresh c=1 (${subset.length} envelopes ×${N / subset.length})`, t1, RUNS));
      results.push([`${dialect}: one-at-a-time ÷ c=${CONCURRENCY}`, "", "", "", "", `${(t1 / t8).toFixed(2)}×`]);
      console.log(`# ${dialect}: after a refresh ${JSON.stringify(after)}; c=${CONCURRENCY} ${c8.map((s) => s.toFixed(2)).join(", ")} s; c=1 ${c1.map((s) => s.toFixed(1)).join(", ")} s (extrapolated)`);
    } finally {
      await bench.close();
    }
  }
} finally {
  await tae.stop();
  await stopPostgres();
}
console.log("");
printTable(["run", "runs", "seconds", "÷ floor", "÷ http floor", "envelopes/s"], results);
console.log(`\nfloor = ${N} × ${LATENCY} ms ÷ ${CONCURRENCY} = ${FLOOR_S.toFixed(2)} s; target: refresh c=${CONCURRENCY} ≤ 1.3× floor. c=1 ran on a subset and is scaled to ${N}.`);
