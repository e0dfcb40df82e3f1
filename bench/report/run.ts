/**
 * Measurement bulletin rendering: 50, 300 and 2,000 items, each renderer run
 * in turn within every round (so the machine's noise falls on all alike),
 * medians after warm-up, per-item cost and ratios against the baseline:
 *
 *   before      pdfmake with a fresh printer per document: the fonts parsed
 *               and the text layouts computed anew every time (the renderer
 *               before fonts.ts)
 *   now         pdfmake with the thread's printer: fonts and layouts reused
 *   pool        the same as `now`, through the worker pool (1 thread): adds
 *               the hand-over of the input and the PDF between threads
 *   pdfkit      the alternative: the bulletin drawn directly with pdfkit
 *               (bench/report/pdfkit-bulletin.ts), same fonts, reused
 *
 * --profile: a CPU profile of `now` on 300 items, summed by where the time
 * goes (table layout and measurement, line breaking, glyph layout, font
 * subsetting, PDF writing, compression, value formatting).
 *
 *   npx tsx bench/report/run.ts [--runs 7] [--sizes 50,300,2000] [--profile]
 */
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { renderReport, reportDocument } from "../../src/modules/reports/index.js";
import { createPrinter, renderPdf } from "../../src/modules/reports/pdf.js";
import { renderReportTask, type renderReportInWorker } from "../../src/modules/reports/render-task.js";
import { createWorkerPool } from "../../src/platform/workers/index.js";
import { measurementInput } from "../../test/unit/reports/fixtures.js";
import { renderBulletinWithPdfkit } from "./pdfkit-bulletin.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const runs = Number(arg("runs", "7"));
const sizes = arg("sizes", "50,300,2000").split(",").map(Number);
const warmup = 2;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const pool = createWorkerPool<{ "reports.render": typeof renderReportInWorker }>({ "reports.render": renderReportTask }, { threads: 1, memoryMb: 512, timeoutMs: 300_000 });
type Input = ReturnType<typeof measurementInput>;
const renderers: Record<string, (input: Input) => Promise<Uint8Array>> = {
  before: (input) => renderPdf(reportDocument("measurement", input), createPrinter()),
  now: (input) => renderReport("measurement", input),
  pool: (input) => pool.run("reports.render", { process: "measurement", input }),
  pdfkit: (input) => renderBulletinWithPdfkit(input),
};
const names = Object.keys(renderers);

const load0 = loadavg()[0]!;
const results: { items: number; ms: Record<string, number>; kib: Record<string, number> }[] = [];
try {
  for (const items of sizes) {
    const input = measurementInput(items);
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const kib: Record<string, number> = {};
    const rounds = items >= 2000 ? Math.max(3, Math.ceil(runs / 2)) : runs;
    for (let r = 0; r < warmup + rounds; r++) {
      for (const name of names) {
        const t0 = performance.now();
        const pdf = await renderers[name]!(input);
        if (r >= warmup) times[name]!.push(performance.now() - t0);
        kib[name] = pdf.byteLength / 1024;
      }
    }
    results.push({ items, ms: Object.fromEntries(names.map((n) => [n, median(times[n]!)])), kib });
  }
} finally {
  await pool.close();
}

console.log(`# bench/report: measurement bulletin, node ${process.version}, median of ${runs} rounds (fewer at 2,000 items) after ${warmup} warm-ups, renderers alternated within each round`);
console.log(`# load average (1 min) ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}: read the ratios, not the milliseconds`);
console.log(["items", ...names.map((n) => `${n} ms`), ...names.slice(1).map((n) => `${n}÷before`), "now ms/item", "pdfkit÷now", "KiB now/pdfkit"].join(" | "));
for (const r of results) {
  console.log(
    [
      String(r.items),
      ...names.map((n) => r.ms[n]!.toFixed(1)),
      ...names.slice(1).map((n) => (r.ms[n]! / r.ms.before!).toFixed(2)),
      (r.ms.now! / r.items).toFixed(3),
      (r.ms.pdfkit! / r.ms.now!).toFixed(2),
      `${r.kib.now!.toFixed(0)}/${r.kib.pdfkit!.toFixed(0)}`,
    ].join(" | "),
  );
}

if (process.argv.includes("--profile")) {
  const input = measurementInput(300);
  for (let i = 0; i < 3; i++) await renderReport("measurement", input);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  for (let i = 0; i < 10; i++) await renderReport("measurement", input);
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  // Self time per node, attributed to the first bucket found walking up its stack.
  const buckets: [string, RegExp][] = [
    ["value formatting (reports/format, decimal)", /modules\/reports\/(format|decimal)\.ts/],
    ["document definition (reports/layout, processes)", /modules\/reports\/(layout|processes\/|templates)/],
    ["font subsetting (fontkit subset, glyf/cmap encode)", /fontkit.*(Subset|subset)|TTFSubset|CFFSubset/],
    ["glyph layout (fontkit layout, shaping)", /fontkit/],
    ["line breaking (linebreak)", /linebreak/],
    ["table layout and measurement (pdfmake)", /pdfmake\/src\/(tableProcessor|docMeasure|columnCalculator)/],
    ["page layout (pdfmake layoutBuilder, textTools, …)", /pdfmake\/src/],
    ["compression (zlib)", /zlib/],
    ["PDF writing (pdfkit)", /pdfkit/],
  ];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples!.forEach((s, i) => selfUs.set(s, (selfUs.get(s) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  const totals = new Map<string, number>();
  let all = 0;
  for (const [id, us] of selfUs) {
    const own = byId.get(id)!.callFrame;
    if (own.functionName === "(idle)" || own.functionName === "(program)") continue;
    all += us;
    let bucket = own.functionName === "(garbage collector)" ? "garbage collection" : "other (runtime, streams, Buffer)";
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const hit = buckets.find(([, re]) => re.test(`${frame.url} ${frame.functionName}`));
      if (hit) {
        bucket = hit[0];
        break;
      }
    }
    totals.set(bucket, (totals.get(bucket) ?? 0) + us);
  }
  console.log(`\n# profile: 10 × 300 items with fonts reused, ${(all / 1000 / 10).toFixed(0)} ms CPU per bulletin`);
  for (const [bucket, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`${((us / all) * 100).toFixed(1).padStart(5)} %  ${bucket}`);
}
