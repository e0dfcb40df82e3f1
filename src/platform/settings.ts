import type { Db } from "./db/connect.js";
import type { Tx } from "./db/transaction.js";

/**
 * The installation's key-value settings (one `settings` row per key, a JSON
 * value). Modules keep their own keys (signature settings, the inbound
 * TOTVS Sign secret, the company name) and reach the table only through here.
 */
type Writer = Db | Tx;

/** The company the reports name as contracting party (a JSON string). */
export const companyNameKey = "company.name";

/** The JSON values of the keys that are set. */
export async function readSettings(db: Writer, keys: readonly string[]): Promise<Map<string, unknown>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom("settings").select(["key", "value"]).where("key", "in", [...keys]).execute();
  return new Map(rows.map((r) => [r.key, parseJson(r.value)]));
}

export async function readSetting(db: Writer, key: string): Promise<unknown> {
  return (await readSettings(db, [key])).get(key);
}

/** Sets a key; `ifAbsent` keeps a value already there (two first writers at once agree on one). */
export async function writeSetting(db: Writer, key: string, value: unknown, at: Date, options: { ifAbsent?: boolean } = {}): Promise<void> {
  const json = JSON.stringify(value);
  const updatedAt = at.toISOString();
  await db
    .insertInto("settings")
    .values({ key, value: json, updated_at: updatedAt })
    .onConflict((oc) => (options.ifAbsent ? oc.column("key").doNothing() : oc.column("key").doUpdateSet({ value: json, updated_at: updatedAt })))
    .execute();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
