import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

/**
 * Paths that may carry a secret anywhere in a log object. Redacted rather
 * than trusted to callers: a password or token must never reach a log line.
 */
export const redactedPaths = [
  "password", "*.password", "servicePassword", "*.servicePassword", "token", "*.token",
  "secret", "*.secret", "authorization", "*.authorization", "req.headers.authorization",
  "req.headers.cookie", "headers.authorization", "headers.cookie", "code", "*.code",
  "res.headers['set-cookie']", "req.headers['x-csrf-token']", "req.headers['x-obrasign-secret']",
];

/**
 * What the paths above cannot see, wherever it sits in a line (a URL in a
 * request log, an error message, a nested object): signing links (`sig_…`),
 * API tokens (`obs_…`), session secrets (`obss_…`), secrets and CSRF tokens
 * in query strings, and 6-digit codes next to the word "code"/"código".
 * Applied to every line written, at every level.
 */
const lineRules: [RegExp, string][] = [
  [/\b(sig|obss|obs)_[A-Za-z0-9_-]{16,}/g, "$1_[redacted]"],
  [/([?&](?:_csrf|secret|token|code)=)[^&"\s]+/gi, "$1[redacted]"],
  [/("(?:code|codigo|código)"\s*:\s*)"?\d{4,8}"?/gi, '$1"[redacted]"'],
  [/\b(c[oó]digo|code)(\W{1,20})\d{6}\b/gi, "$1$2[redacted]"],
];

export function redactLine(line: string): string {
  let out = line;
  for (const [pattern, replacement] of lineRules) out = out.replace(pattern, replacement);
  return out;
}

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" }, hooks: { streamWrite: redactLine } }, destination);
}

const levelNames: Record<number, string> = { 40: "warning", 50: "error", 60: "fatal" };

/** Prints a JSON log line as one short human line ("obrasign warning: …"), for a terminal. */
function humanLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } | string };
          const detail = typeof entry.err === "string" ? entry.err : entry.err?.message;
          out.write(`  obrasign ${levelNames[entry.level] ?? "note"}: ${entry.msg ?? ""}${detail ? ` (${detail})` : ""}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/**
 * The logger of `obrasign serve`. As JSON on standard output when asked
 * (`--log-format json`, for a log collector); otherwise JSON lines go to a
 * file and the terminal shows only warnings and errors, as sentences.
 */
export function createServeLogger(level: string, format: "human" | "json", file: string): Logger {
  if (format === "json" || level === "silent") return createLogger(level);
  mkdirSync(dirname(file), { recursive: true });
  const streams = pino.multistream([
    { level: level as pino.Level, stream: pino.destination({ dest: file, append: true, sync: false }) },
    { level: "warn", stream: humanLines(process.stderr) },
  ]);
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } }, streams);
}

export type { Logger };
