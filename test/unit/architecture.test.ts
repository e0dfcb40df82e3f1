/**
 * The rules each folder keeps (docs/decisions/009-module-map.md):
 * - imports point down the layers: platform, then pades, then the modules
 *   in the order app.ts lists them; nothing imports upwards or in a cycle;
 * - a module's code names only the tables it owns (its manifest's `tables`);
 *   other modules go through its queries and commands;
 * - no code outside `modules/providers/` branches on a provider's name
 *   (capabilities are port methods and flags).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { modules, platformTables } from "../../src/app.js";

const srcRoot = resolve(import.meta.dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|eta)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

const manifestNames = modules.map((m) => m.name);

/** The layer a file belongs to: "platform", "pades", a module's manifest name, "app" or "cli". */
export function layerOf(file: string): string {
  const parts = relative(srcRoot, file).split("/");
  if (parts[0] === "modules") return parts[1] === "providers" && parts.length > 3 ? `providers/${parts[2]}` : parts[1]!;
  if (parts[0] === "app.ts") return "app";
  return parts[0]!;
}

const order = ["platform", "pades", ...manifestNames, "app", "cli"];
const rank = (layer: string) => order.indexOf(layer);

export function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => resolve(dirname(file), m[1]!));
}

const queryCalls = "selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto";

/** Tables a piece of code names: as Kysely's table argument (also through a cast), or in raw SQL. */
export function tablesNamedIn(text: string, tables: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const table of tables) {
    const literal = new RegExp(`\\b(?:${queryCalls})\\(\\s*(?:[^()]*?\\bas\\s+)?["'\`]${table}(?:\\s+as\\s+\\w+)?["'\`]`);
    const raw = new RegExp(`sql\`[^\`]*\\b(?:from|join|into|update|on)\\s+${table}\\b`, "i");
    if (literal.test(text) || raw.test(text)) found.add(table);
  }
  return found;
}

const files = sourceFiles(srcRoot).filter((f) => !f.includes("/platform/db/migrations/"));

describe("architecture", () => {
  test("every module folder is listed in app.ts, and nothing else sits beside platform and pades", () => {
    const layers = new Set(files.map(layerOf));
    for (const layer of layers) assert.ok(rank(layer) >= 0, `${layer} is not a known layer (list its manifest in src/app.ts)`);
  });

  test("imports point down the layers: no arrow up, no cycle between folders", () => {
    const upward: string[] = [];
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to !== from && rank(to) > rank(from)) upward.push(`${relative(srcRoot, file)} → ${relative(srcRoot, target)} (${from} → ${to})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  test("a module's code names only the tables it owns", () => {
    const owner = new Map<string, string>(platformTables.map((t) => [t, "platform"]));
    for (const m of modules) for (const t of m.tables) {
      assert.ok(!owner.has(t), `${t} is owned twice (${owner.get(t)} and ${m.name})`);
      owner.set(t, m.name);
    }
    const tables = [...owner.keys()];
    const foreign: string[] = [];
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const layer = layerOf(file);
      for (const table of tablesNamedIn(readFileSync(file, "utf8"), tables)) {
        if (owner.get(table) !== layer) foreign.push(`${relative(srcRoot, file)} names ${table} (owned by ${owner.get(table)})`);
      }
    }
    assert.deepEqual(foreign, []);
  });

  test("the detector sees a foreign table however the query names it", () => {
    const tables = ["envelopes", "recipients", "users"];
    assert.deepEqual([...tablesNamedIn(`db.selectFrom("envelopes").selectAll()`, tables)], ["envelopes"]);
    assert.deepEqual([...tablesNamedIn(`tx.updateTable(kind as "recipients")`, tables)], ["recipients"]);
    assert.deepEqual([...tablesNamedIn(`db.selectFrom("users as u")`, tables)], ["users"]);
    assert.deepEqual([...tablesNamedIn("sql`select r.envelope_id from recipients r`", tables)], ["recipients"]);
    assert.deepEqual([...tablesNamedIn(`const path = "/api/users"; permission: "envelopes:read"`, tables)], []);
  });

  test("no code outside providers/ branches on a provider's name", () => {
    const named: string[] = [];
    for (const file of files) {
      const rel = relative(srcRoot, file);
      if (rel.startsWith("modules/providers/") || rel === "app.ts" || rel.startsWith("platform/providers/") || rel.startsWith("platform/db/")) continue;
      const text = readFileSync(file, "utf8");
      const branch = /(?:[!=]==?\s*["'](?:embedded|totvs-sign)["'])|(?:["'](?:embedded|totvs-sign)["']\s*[!=]==?)|(?:case\s+["'](?:embedded|totvs-sign)["'])/g;
      for (const m of text.matchAll(branch)) named.push(`${rel}: ${m[0]}`);
    }
    assert.deepEqual(named, []);
  });
});
