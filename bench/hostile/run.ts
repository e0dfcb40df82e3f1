/**
 * Hostile-input benchmark (issue 10). The server runs in a child process of
 * its own (the harness's app on SQLite, real HTTP), so its RSS is its own:
 * the client here builds the corpus and the requests, and samples the
 * server's RSS from /proc every 10 ms (VmHWM, the kernel's own peak, is
 * printed at the end). /health is polled every 20 ms: it waits for the
 * server's event loop as any request would.
 *
 *   corpus   the corpus of test/fixtures/pdf/hostile.ts (plus 1 MB and 3 MB
 *            Flate bombs and a 19 MB file with 600 signature fields) sent to
 *            POST /api/verify --rounds times (20), --concurrency at once (8):
 *            RSS peak, /health p50/p99/max, total time, the answers.
 *   reports  --reports (50) envelope creations from a report (POST
 *            /api/envelopes, source "report", one contract each) all at once:
 *            p50/p99 of the creations and of /health during them.
 *
 * Modes (--modes, each a fresh server):
 *   pool     the worker pool as configured (OBRASIGN_WORKER_THREADS or the cores)
 *   inline   OBRASIGN_WORKER_THREADS=0: the same tasks on the event loop (before the pool)
 * plus an "idle" line per mode (/health alone: the floor on this machine).
 * Targets (issue 10), pool mode, corpus: /health p99 ≤ 200 ms and RSS ≤ 400 MB.
 *
 * Run: npx tsx bench/hostile/run.ts [--modes pool,inline] [--rounds 20] [--concurrency 8] [--reports 50]
 *        [--memory-mb N (the pool's heap cap per thread)] [--threads N]
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { multipart } from "../../test/support/multipart.js";
import { flateBombInXref, hostileCorpus, manySignatureFields, zerosDeflated } from "../../test/fixtures/pdf/hostile.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const ROUNDS = Number(arg("rounds", "20"));
const CONCURRENCY = Number(arg("concurrency", "8"));
const REPORTS = Number(arg("reports", "50"));

interface Ready {
  port: number;
  token: string;
  contracts: string[];
  threads: number;
}

/** The server side: a harness app listening, with one contract per report envelope made beforehand. */
async function serve() {
  const { startHarness } = await import("../../test/support/harness.js");
  const { makeContract } = await import("../../test/support/factories.js");
  const threads = arg("threads", "");
  const memoryMb = arg("memory-mb", "");
  const h = await startHarness({ workers: { ...(threads ? { threads: Number(threads) } : {}), ...(memoryMb ? { memoryMb: Number(memoryMb) } : {}) } });
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  const contracts: string[] = [];
  for (let i = 0; i < REPORTS + 1; i++) contracts.push((await makeContract(h)).id);
  const ready: Ready = { port: (h.app.server.address() as { port: number }).port, token: h.tokens.manager, contracts, threads: h.runtime.ctx.workers.size };
  console.log(JSON.stringify(ready));
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await h.close();
    process.exit(0);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
};
const ms = (n: number) => n.toFixed(0).padStart(6);
const mb = (kb: number) => (kb / 1024).toFixed(0).padStart(5);
const statusKb = (pid: number, field: "VmRSS" | "VmHWM") => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

async function drive(mode: "pool" | "inline", corpus: Array<{ name: string; bytes: Uint8Array }>) {
  const extra = mode === "inline" ? ["--threads", "0"] : [];
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--serve", ...process.argv.slice(2), ...extra], { stdio: ["pipe", "pipe", "inherit"] });
  const ready: Ready = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => line.startsWith("{") && resolve(JSON.parse(line)));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const pid = child.pid!;
  const base = `http://127.0.0.1:${ready.port}`;

  const watched = async (work: () => Promise<void>) => {
    const latencies: number[] = [];
    let rssPeak = statusKb(pid, "VmRSS");
    let running = true;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, statusKb(pid, "VmRSS"))), 10);
    const poller = (async () => {
      while (running) {
        const start = performance.now();
        await fetch(`${base}/health`).then((r) => r.text());
        latencies.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    running = false;
    await poller;
    clearInterval(sampler);
    return { seconds, rssPeak, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
  };
  const verify = async (item: { name: string; bytes: Uint8Array }) => {
    const body = multipart([{ name: "file", filename: `${item.name}.pdf`, bytes: item.bytes }]);
    const res = await fetch(`${base}/api/verify`, { method: "POST", body: body.payload, headers: body.headers as Record<string, string> });
    await res.text();
    return res.status;
  };
  const create = async (contractId: string, i: number) => {
    const start = performance.now();
    const res = await fetch(`${base}/api/envelopes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ready.token}` },
      body: JSON.stringify({ process: "contract", recordId: contractId, name: `Contrato ${i}`, source: "report", recipients: [{ name: "Ana", email: `ana.${i}@example.com`, action: "sign" }] }),
    });
    await res.text();
    if (res.status !== 201) throw new Error(`report envelope ${i}: HTTP ${res.status}`);
    return performance.now() - start;
  };
  const label = `[${mode.padEnd(6)}]`;
  console.log(`${label} worker threads ${ready.threads}; server RSS at start ${mb(statusKb(pid, "VmRSS"))} MB`);

  const idle = await watched(() => new Promise((r) => setTimeout(r, 2000)));
  console.log(`${label} idle     /health p50 ${ms(idle.p50)} ms  p99 ${ms(idle.p99)} ms  max ${ms(idle.max)} ms  RSS peak ${mb(idle.rssPeak)} MB`);

  // Warm the threads (tsx, parsers, fonts) before timing.
  await verify(corpus[0]!);
  await create(ready.contracts[REPORTS]!, -1);
  const statuses = new Map<number, number>();
  const queue = Array.from({ length: ROUNDS }, () => corpus).flat();
  const verified = await watched(async () => {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const status = await verify(item);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }));
  });
  console.log(
    `${label} corpus   /health p50 ${ms(verified.p50)} ms  p99 ${ms(verified.p99)} ms  max ${ms(verified.max)} ms  RSS peak ${mb(verified.rssPeak)} MB  ` +
      `total ${verified.seconds.toFixed(1)} s  answers ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(" ")}`,
  );

  let creations: number[] = [];
  const reports = await watched(async () => {
    creations = await Promise.all(ready.contracts.slice(0, REPORTS).map((id, i) => create(id, i)));
  });
  console.log(
    `${label} reports  creations p50 ${ms(percentile(creations, 50))} ms  p99 ${ms(percentile(creations, 99))} ms; ` +
      `/health p50 ${ms(reports.p50)} ms  p99 ${ms(reports.p99)} ms  max ${ms(reports.max)} ms  RSS peak ${mb(reports.rssPeak)} MB  total ${reports.seconds.toFixed(1)} s`,
  );
  console.log(`${label} server VmHWM (peak RSS over its life) ${mb(statusKb(pid, "VmHWM"))} MB`);
  if (mode === "pool") {
    const met = verified.p99 <= 200 && verified.rssPeak <= 400 * 1024;
    console.log(`${label} target during the corpus, /health p99 ≤ 200 ms and RSS ≤ 400 MB: ${met ? "met" : "NOT met"}`);
  }
  child.stdin!.end();
  await new Promise((resolve) => child.on("exit", resolve));
}

if (process.argv.includes("--serve")) {
  await serve();
} else {
  const corpus = [
    ...(await hostileCorpus()),
    { name: "flate-bomb-1mb", bytes: flateBombInXref(0, await zerosDeflated(1024)) },
    { name: "flate-bomb-3mb", bytes: flateBombInXref(0, await zerosDeflated(3072)) },
    { name: "600-fields-19mb", bytes: manySignatureFields(600, 19 * 1024 * 1024) },
  ];
  console.log(`corpus ${corpus.length} files, ${(corpus.reduce((n, c) => n + c.bytes.length, 0) / 1048576).toFixed(1)} MB; ${ROUNDS} rounds, ${CONCURRENCY} at once; ${REPORTS} report envelopes at once`);
  for (const mode of arg("modes", "pool,inline").split(",") as Array<"pool" | "inline">) await drive(mode, corpus);
}
