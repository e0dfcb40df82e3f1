import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { DatabaseTarget } from "../config.js";
import type { Database } from "./schema.js";

// int8 (bigint) arrives as a string from pg by default; cents and counts fit
// safely in a JS number (2^53), so read them as numbers on both dialects.
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  dialect: DatabaseTarget["dialect"];
  close(): Promise<void>;
}

export function connectDatabase(target: DatabaseTarget, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): DbHandle {
  if (target.dialect === "sqlite") {
    if (target.path !== ":memory:") mkdirSync(dirname(target.path), { recursive: true });
    const sqlite = new SQLite(target.path);
    // WAL lets readers go on while one writer commits; busy_timeout makes a
    // second process wait for the lock instead of failing at once.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("synchronous = NORMAL");
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
  // An idle connection the server drops (a restart, a failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => options.onIdleError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** Row lock for read-modify-write on PostgreSQL; SQLite serializes writers already. */
export function forUpdate<QB extends { forUpdate(): QB }>(qb: QB, dialect: DbHandle["dialect"]): QB {
  return dialect === "postgres" ? qb.forUpdate() : qb;
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
