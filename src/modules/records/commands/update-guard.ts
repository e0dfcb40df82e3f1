import { AppError } from "../../../platform/errors.js";
import type { AppContext } from "../../../platform/context.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { isEditable, lifecycles, singular, type RecordKind } from "../lifecycles.js";
import { getRow, presentRows } from "../queries.js";

/** True when every field the patch names already holds that value (arrays compared element by element). */
export function patchChangesNothing(patch: unknown, current: unknown): boolean {
  if (patch === undefined) return true;
  if (Array.isArray(patch)) {
    return Array.isArray(current) && patch.length === current.length && patch.every((p, i) => patchChangesNothing(p, current[i]));
  }
  if (patch !== null && typeof patch === "object") {
    if (current === null || typeof current !== "object") return false;
    return Object.entries(patch).every(([k, v]) => patchChangesNothing(v, (current as Record<string, unknown>)[k]));
  }
  return patch === current || (patch === null && current === undefined);
}

/**
 * Loads a record for change inside the transaction, locked on PostgreSQL so
 * concurrent patches serialize. Returns null when the patch would change
 * nothing (an idempotent re-send), and refuses with 409 outside the
 * record's editable states or once a signature has locked it.
 */
export async function loadForUpdate(ctx: AppContext, tx: Tx, kind: RecordKind, id: string, patch: object) {
  if (ctx.dialect === "postgres") await tx.selectFrom(kind as "projects").select("id").where("id", "=", id).forUpdate().execute();
  const row = await getRow(tx, kind, id);
  const [view] = await presentRows(tx, kind, [row], true);
  if (patchChangesNothing(patch, view)) return null;
  if (!isEditable(kind, row.status)) {
    const editable = lifecycles[kind]!.editable.join(", ");
    throw new AppError("conflict", `This ${singular[kind]} is ${row.status}: it can only be changed while ${editable}`);
  }
  if (row.locked_at) throw new AppError("conflict", `This ${singular[kind]} was signed and its values are locked`);
  return row;
}

export const bumpVersion = (row: { version: number }, now: string) => ({ version: row.version + 1, updated_at: now });
