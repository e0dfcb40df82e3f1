import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { AppError } from "../../platform/errors.js";
import { projectIdOf } from "../records/queries.js";
import { findRecordRow } from "../records/reads.js";
import { recordKindOf, type Process } from "./processes.js";

/** The record an envelope signs: it must exist; its project scopes the envelope. */
export async function resolveRecord(db: Db | Tx, process: Process, recordId: string) {
  const kind = recordKindOf[process];
  const row = await findRecordRow(db, kind, recordId);
  if (!row) throw new AppError("unprocessable", `recordId: no ${process} with this id`, { recordId: `no ${process} with this id` });
  return { kind, row: row as any, projectId: await projectIdOf(db, kind, row) };
}
