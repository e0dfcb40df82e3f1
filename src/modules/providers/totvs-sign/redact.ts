/**
 * Keeps the service password and every token out of logs and error messages:
 * known secret values are replaced wherever they appear in text, and fields
 * whose names look secret are masked whatever their value.
 */

export const REDACTED = "[redacted]";
const secretKey = /pass(word)?|senha|token|authorization|secret|cookie/i;

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly pinned = new Set<string>();

  /** A secret that stays masked for the whole life of the provider (the service password). */
  pin(secret: string | null | undefined): void {
    if (secret && secret.length >= 4) this.pinned.add(secret);
  }

  /** Remembers a value that must never be printed (ignores short values, which would mangle ordinary text). */
  add(secret: string | null | undefined): void {
    if (!secret || secret.length < 4) return;
    this.secrets.delete(secret);
    this.secrets.add(secret);
    // Authors' tokens come and go: keep the most recent ones, never an unbounded set.
    if (this.secrets.size > 500) this.secrets.delete(this.secrets.values().next().value!);
  }

  forget(secret: string): void {
    this.secrets.delete(secret);
  }

  text(value: string): string {
    let out = value.replace(/Bearer\s+[^\s"',]+/gi, `Bearer ${REDACTED}`);
    for (const secret of [...this.pinned, ...this.secrets]) {
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
