import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { getRecord } from "../queries.js";
import { advanceCreate, advancePatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { nextNumber, requireOpenContract } from "./references.js";

const duplicateNumber = (n: string) => new AppError("conflict", `The contract already has an advance numbered ${n}`, { number: "already in use in this contract" });

export async function createAdvance(ctx: AppContext, _actor: Actor, input: z.input<typeof advanceCreate>) {
  const data = advanceCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  let number = data.number;
  await uniqueOr(() => duplicateNumber(number ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      await requireOpenContract(tx, data.contractId);
      number ??= String(await nextNumber(tx, "advances", data.contractId));
      await tx
        .insertInto("advances")
        .values({ id, external_id: data.externalId ?? null, contract_id: data.contractId, number, amount_cents: data.amountCents, due_date: data.dueDate, status: "requested", created_at: now, updated_at: now })
        .execute();
    });
  });
  return getRecord(ctx, "advances", id);
}

export async function updateAdvance(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof advancePatch>) {
  const data = advancePatch.parse(input);
  await uniqueOr(() => duplicateNumber(data.number ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "advances", id, data);
      if (!row) return;
      await tx
        .updateTable("advances")
        .set({
          ...bumpVersion(row, nowIso(ctx)),
          ...(data.number !== undefined ? { number: data.number } : {}),
          ...(data.amountCents !== undefined ? { amount_cents: data.amountCents } : {}),
          ...(data.dueDate !== undefined ? { due_date: data.dueDate } : {}),
        })
        .where("id", "=", id)
        .execute();
    });
  });
  return getRecord(ctx, "advances", id);
}
