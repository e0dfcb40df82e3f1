/**
 * Measurement bulletin rendering time: 50 and 300 items, median of several
 * runs after a warm-up, with the 300/50 ratio (compare ratios across machines,
 * not absolute milliseconds).
 *
 *   npx tsx bench/report/run.ts [--runs N]
 */
import { performance } from "node:perf_hooks";
import { renderReport, reportDocument } from "../../src/modules/reports/index.js";
import { measurementInput } from "../../test/unit/reports/fixtures.js";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;
const warmup = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measure(items: number) {
  const input = measurementInput(items);
  for (let i = 0; i < warmup; i++) await renderReport("measurement", input);
  const total: number[] = [];
  const build: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    reportDocument("measurement", input);
    build.push(performance.now() - t0);
    const t1 = performance.now();
    const pdf = await renderReport("measurement", input);
    total.push(performance.now() - t1);
    bytes = pdf.byteLength;
  }
  return { items, medianMs: median(total), minMs: Math.min(...total), maxMs: Math.max(...total), buildMs: median(build), bytes };
}

const results = [];
for (const items of [50, 300]) results.push(await measure(items));
console.log(`measurement bulletin, node ${process.version}, ${runs} runs after ${warmup} warm-up runs`);
for (const r of results) {
  console.log(
    `${String(r.items).padStart(4)} items: median ${r.medianMs.toFixed(1)} ms (min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)}), ` +
      `definition ${r.buildMs.toFixed(2)} ms, ${(r.medianMs / r.items).toFixed(2)} ms/item, ${(r.bytes / 1024).toFixed(0)} KiB`,
  );
}
console.log(`ratio 300/50: ${(results[1].medianMs / results[0].medianMs).toFixed(2)}× for 6× the items`);
