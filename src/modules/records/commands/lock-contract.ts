import type { Tx } from "../../../platform/db/transaction.js";

/**
 * Locks a contract's items and values from `at` on (a signed contract, when
 * its project gates on signatures). Runs in the caller's transaction; a
 * contract already locked keeps its first lock time.
 */
export async function lockContract(tx: Tx, contractId: string, at: string): Promise<void> {
  await tx.updateTable("contracts").set({ locked_at: at }).where("id", "=", contractId).where("locked_at", "is", null).execute();
}
