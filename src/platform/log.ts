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
];

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } }, destination);
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
