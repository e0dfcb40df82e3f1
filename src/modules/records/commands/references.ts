import { AppError } from "../../../platform/errors.js";
import type { Tx } from "../../../platform/db/transaction.js";

/** Referenced records must exist: a missing one is refused with 422 naming the field. */
export async function requireReference(tx: Tx, table: "projects" | "parties" | "contracts" | "periods" | "users", id: string, field: string) {
  const row = await tx.selectFrom(table as "projects").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new AppError("unprocessable", `${field}: no such record`, { [field]: "no such record" });
  return row as any;
}

/** Children go under contracts that are still in force. */
export async function requireOpenContract(tx: Tx, contractId: string) {
  const contract = await requireReference(tx, "contracts", contractId, "contractId");
  if (contract.status === "cancelled" || contract.status === "closed") {
    throw new AppError("conflict", `The contract is ${contract.status}: nothing more can be added to it`);
  }
  return contract;
}

/** Next sequential number under a contract, for records whose number the caller may omit. */
export async function nextNumber(tx: Tx, table: "periods" | "measurements" | "amendments" | "advances", contractId: string): Promise<number> {
  const row = await tx.selectFrom(table as "periods").select((eb) => eb.fn.count<number>("id").as("n")).where("contract_id", "=", contractId).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}
