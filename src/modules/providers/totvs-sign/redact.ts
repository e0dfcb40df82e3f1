/**
 * Keeps the service password and every token out of logs and error messages:
 * known secret values are replaced wherever they appear in text, and fields
 * whose names look secret are masked whatever their value.
 */

export const REDACTED = "[redacted]";
const secretKey = /pass(word)?|senha|token|authorization|secret|cookie/i;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a value that must never be printed (ignores short values, which would mangle ordinary text). */
  add(secret: string | null | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  forget(secret: string): void {
    this.secrets.delete(secret);
  }

  text(value: string): string {
    let out = value.replace(/Bearer\s+[^\s"',]+/gi, `Bearer ${REDACTED}`);
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (value instanceof Error) return { name: value.name, message: this.text(value.message) };
    if (!value || typeof value !== "object" || depth > 6) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = secretKey.test(key) ? REDACTED : this.value(v, depth + 1);
    return out;
  }
}
