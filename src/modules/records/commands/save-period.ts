import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { getRecord } from "../queries.js";
import { periodCreate, periodPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { nextNumber, requireOpenContract } from "./references.js";

const duplicateNumber = (n: number | undefined) => new AppError("conflict", `The contract already has a period numbered ${n}`, { number: "already in use in this contract" });

export async function createPeriod(ctx: AppContext, _actor: Actor, input: z.input<typeof periodCreate>) {
  const data = periodCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  let number = data.number;
  await uniqueOr(() => duplicateNumber(number), async () => {
    await inTransaction(ctx, async (tx) => {
      await requireOpenContract(tx, data.contractId);
      number ??= await nextNumber(tx, "periods", data.contractId);
      await tx
        .insertInto("periods")
        .values({ id, external_id: data.externalId ?? null, contract_id: data.contractId, number, start_date: data.startDate, end_date: data.endDate, status: "open", created_at: now, updated_at: now })
        .execute();
    });
  });
  return getRecord(ctx, "periods", id);
}

export async function updatePeriod(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof periodPatch>) {
  const data = periodPatch.parse(input);
  await uniqueOr(() => duplicateNumber(data.number), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "periods", id, data);
      if (!row) return;
      const startDate = data.startDate ?? row.start_date;
      const endDate = data.endDate ?? row.end_date;
      if (endDate < startDate) throw new AppError("validation", "endDate: must be on or after startDate", { endDate: "must be on or after startDate" });
      await tx
        .updateTable("periods")
        .set({ ...bumpVersion(row, nowIso(ctx)), start_date: startDate, end_date: endDate, ...(data.number !== undefined ? { number: data.number } : {}) })
        .where("id", "=", id)
        .execute();
    });
  });
  return getRecord(ctx, "periods", id);
}
