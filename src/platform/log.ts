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

export type { Logger };
