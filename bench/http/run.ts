/**
 * HTTP benchmark: `GET /monitor` (the HTML page, 50 rows), `GET /api/envelopes`
 * (the JSON list) and `GET /health` of obrasign over --envelopes envelopes,
 * under autocannon at --connections, beside a bare Fastify (the ceiling on
 * this machine, now), on SQLite and PostgreSQL.
 *
 * Baseline and candidate run side by side in the same run: the baseline is
 * the source tree at --baseline (a git ref, checked out into a temporary
 * worktree that shares node_modules), the candidate this tree. Each server
 * is its own process; rounds alternate baseline, candidate, bare, so the
 * machine's noise falls on all three alike; the figures are medians over the
 * rounds, and the ratios candidate ÷ baseline. RSS is each server's, from
 * /proc (VmRSS after the rounds, VmHWM its peak).
 *
 *   npx tsx bench/http/run.ts [--baseline REF] [--db sqlite|postgres|both] [--envelopes 1000] [--connections 10] [--seconds 5] [--rounds 3]
 */
import autocannon from "autocannon";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
// @ts-expect-error plain .mjs helper shared with the test runner
import { startThrowawayPostgres } from "../../scripts/throwaway-postgres.mjs";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const BASELINE = arg("baseline", "04bff33");
const DBS = arg("db", "both") === "both" ? ["sqlite", "postgres"] : [arg("db", "both")];
const ENVELOPES = arg("envelopes", "1000");
const CONNECTIONS = Number(arg("connections", "10"));
const SECONDS = Number(arg("seconds", "5"));
const ROUNDS = Number(arg("rounds", "3"));
const here = new URL("../..", import.meta.url).pathname;

interface Server {
  url: string;
  token: string;
  pid: number;
  child: ChildProcess;
}

async function startServer(script: string, args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: here, stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", (l) => (rl.close(), resolve(l)));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as { url: string; token: string; pid: number }), child };
}
const stopServer = (s: Server) => new Promise<void>((resolve) => {
  if (s.child.exitCode !== null) return resolve();
  s.child.once("exit", () => resolve());
  s.child.stdin!.end();
});

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
};

async function load(url: string, token: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} time-outs`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function baselineTree(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), "obrasign-baseline-"));
  execFileSync("git", ["worktree", "add", "--detach", dir, ref], { cwd: here, stdio: "ignore" });
  symlinkSync(join(here, "node_modules"), join(dir, "node_modules"));
  return dir;
}
function removeTree(dir: string) {
  execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: here, stdio: "ignore" });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

const baseline = baselineTree(BASELINE);
const commit = (cwd: string) => execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, encoding: "utf8" }).trim();
let pgServer: { url: string; stop(): Promise<void> } | null = null;
const lines: string[] = [];
const load0 = loadavg()[0]!.toFixed(1);
try {
  if (DBS.includes("postgres")) pgServer = await startThrowawayPostgres();
  const bare = await startServer(join(here, "bench/http/bare.ts"), []);
  for (const db of DBS) {
    if (db === "postgres" && !pgServer) {
      lines.push("postgres: no PostgreSQL binaries, skipped");
      continue;
    }
    const serverArgs = (root: string) => ["--root", root, "--db", db, "--envelopes", ENVELOPES, ...(pgServer ? ["--pg-url", pgServer.url] : [])];
    const before = await startServer(join(here, "bench/http/server.ts"), serverArgs(baseline));
    const after = await startServer(join(here, "bench/http/server.ts"), serverArgs(here));
    try {
      for (const path of ["/monitor", "/api/envelopes?limit=50", "/health"]) {
        const runs: Record<"before" | "after" | "bare", { rps: number; p50: number; p99: number }[]> = { before: [], after: [], bare: [] };
        // One short warm-up each, then alternating rounds.
        await load(before.url + path, before.token);
        await load(after.url + path, after.token);
        for (let r = 0; r < ROUNDS; r++) {
          runs.before.push(await load(before.url + path, before.token));
          runs.after.push(await load(after.url + path, after.token));
          runs.bare.push(await load(bare.url + "/", ""));
        }
        const m = (k: keyof typeof runs, f: "rps" | "p50" | "p99") => median(runs[k].map((x) => x[f]));
        const mb = (s: Server) => memory(s.pid);
        lines.push(
          `${db.padEnd(8)} ${path.padEnd(24)} before ${m("before", "rps").toFixed(0).padStart(6)} req/s p50 ${m("before", "p50").toFixed(1).padStart(6)} p99 ${m("before", "p99").toFixed(1).padStart(6)} ms` +
            ` | after ${m("after", "rps").toFixed(0).padStart(6)} req/s p50 ${m("after", "p50").toFixed(1).padStart(6)} p99 ${m("after", "p99").toFixed(1).padStart(6)} ms` +
            ` | after÷before req/s ${(m("after", "rps") / m("before", "rps")).toFixed(2)}, p99 ${(m("after", "p99") / m("before", "p99")).toFixed(2)}` +
            ` | bare ${m("bare", "rps").toFixed(0)} req/s p99 ${m("bare", "p99").toFixed(1)} ms` +
            ` | RSS MB before ${mb(before).rss.toFixed(0)} (peak ${mb(before).peak.toFixed(0)}), after ${mb(after).rss.toFixed(0)} (peak ${mb(after).peak.toFixed(0)})`,
        );
        console.log(lines[lines.length - 1]);
      }
    } finally {
      await stopServer(before);
      await stopServer(after);
    }
  }
  await stopServer(bare);
} finally {
  if (pgServer) await pgServer.stop();
  removeTree(baseline);
}
console.log(`\n# bench/http: ${ENVELOPES} envelopes, c=${CONNECTIONS}, ${SECONDS} s × ${ROUNDS} rounds alternated; before = ${BASELINE} (${commit(here)} is after); load average ${load0} → ${loadavg()[0]!.toFixed(1)} (1 min) on ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores`);
for (const l of lines) console.log(l);
