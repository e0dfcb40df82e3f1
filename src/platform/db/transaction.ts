import type { Transaction } from "kysely";
import type { AppContext } from "../context.js";
import type { Database } from "./schema.js";

export type Tx = Transaction<Database>;

/** Runs `work` in one transaction: a command's state, history and jobs commit together or not at all. */
export function inTransaction<T>(ctx: AppContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}

/** True for a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

/** Runs `work`; a unique-constraint violation becomes the caller's conflict error (a taken number, code or e-mail). */
export async function uniqueOr<T>(conflict: () => Error, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
