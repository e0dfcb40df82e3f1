/**
 * Hostile-input benchmark: the corpus of test/fixtures/pdf/hostile.ts (plus
 * 1 MB and 3 MB Flate bombs and a 19 MB file with 600 signature fields)
 * verified 20 times, 8 requests at once, over real HTTP, while /health is
 * polled every 20 ms. Printed: RSS peak, /health p50/p99, and the time the
 * whole corpus took, for
 *   idle     — /health alone (the floor)
 *   inline   — the same verification run on the event loop (a route that calls
 *              verifyPdf directly: what /api/verify did before the pool)
 *   obrasign — POST /api/verify (bounded parsing in the worker pool)
 * Target (issue 10): /health p99 ≤ 200 ms and RSS ≤ 400 MB under obrasign.
 * Run: npx tsx bench/hostile/run.ts [--rounds 20] [--concurrency 8]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createHttpServer, openRuntime } from "../../src/app.js";
import { createLogger } from "../../src/platform/log.js";
import { verifyPdf } from "../../src/pades/verify/verify.js";
import { trustAnchors } from "../../src/modules/seal/identity-store.js";
import { AppError } from "../../src/platform/errors.js";
import { testConfig } from "../../test/support/harness.js";
import { multipart } from "../../test/support/multipart.js";
import { flateBombInXref, hostileCorpus, manySignatureFields, zerosDeflated } from "../../test/fixtures/pdf/hostile.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const ROUNDS = Number(arg("rounds", "20"));
const CONCURRENCY = Number(arg("concurrency", "8"));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
};

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "obrasign-bench-hostile-"));
  const runtime = await openRuntime(testConfig({ kind: "sqlite", path: join(dataDir, "db.sqlite") } as never, dataDir), { log: createLogger("silent") });
  const app = await createHttpServer(runtime.ctx);
  // The baseline in the same run: verification on the event loop, as before the pool.
  app.post("/bench/inline-verify", async (request) => {
    const part = await request.file({ limits: { fileSize: 20 * 1024 * 1024 } });
    const bytes = new Uint8Array(await part!.toBuffer());
    try {
      return verifyPdf(bytes, await trustAnchors(runtime.ctx));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("unprocessable", String(error));
    }
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const corpus = [
    ...(await hostileCorpus()),
    { name: "flate-bomb-1mb", bytes: flateBombInXref(0, await zerosDeflated(1024)), status: 422, verifyStatus: 422 },
    { name: "flate-bomb-3mb", bytes: flateBombInXref(0, await zerosDeflated(3072)), status: 422, verifyStatus: 422 },
    { name: "600-fields-19mb", bytes: manySignatureFields(600, 19 * 1024 * 1024), status: 422, verifyStatus: 422 },
  ];
  console.log(`corpus: ${corpus.length} files, ${(corpus.reduce((n, c) => n + c.bytes.length, 0) / 1048576).toFixed(1)} MB; ${ROUNDS} rounds, ${CONCURRENCY} at once`);

  async function measure(label: string, url: string | null) {
    const latencies: number[] = [];
    let rssPeak = process.memoryUsage().rss;
    let running = true;
    const poller = (async () => {
      while (running) {
        const start = performance.now();
        await fetch(`${base}/health`).then((r) => r.text());
        latencies.push(performance.now() - start);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const started = performance.now();
    const statuses = new Map<number, number>();
    if (url) {
      const queue = Array.from({ length: ROUNDS }, () => corpus).flat();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const body = multipart([{ name: "file", filename: `${item.name}.pdf`, bytes: item.bytes }]);
          const res = await fetch(`${base}${url}`, { method: "POST", body: body.payload, headers: body.headers as Record<string, string> });
          await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        }
      }));
    } else {
      await new Promise((r) => setTimeout(r, 3000));
    }
    const elapsed = performance.now() - started;
    running = false;
    await poller;
    console.log(
      `${label.padEnd(9)} /health p50 ${percentile(latencies, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(latencies, 99).toFixed(1).padStart(8)} ms  ` +
        `max ${Math.max(...latencies).toFixed(0).padStart(6)} ms  RSS peak ${(rssPeak / 1048576).toFixed(0).padStart(5)} MB  total ${(elapsed / 1000).toFixed(1)} s  ` +
        `answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}`,
    );
    return { p99: percentile(latencies, 99), rssPeak };
  }

  await measure("idle", null);
  // Warm the pool's threads (tsx registration, module loading) before timing it.
  await fetch(`${base}/api/verify`, { method: "POST", ...(() => { const b = multipart([{ name: "file", filename: "w.pdf", bytes: corpus[0]!.bytes }]); return { body: b.payload, headers: b.headers as Record<string, string> }; })() });
  const pooled = await measure("obrasign", "/api/verify");
  await measure("inline", "/bench/inline-verify");
  console.log(`target: /health p99 ≤ 200 ms (${pooled.p99 <= 200 ? "met" : "NOT met"}), RSS ≤ 400 MB (${pooled.rssPeak <= 400 * 1048576 ? "met" : "NOT met"}) — RSS is the main process; the pool's threads share it`);

  await app.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
