import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr, type Tx } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { toE4 } from "../../../platform/validation/fields.js";
import { getRecord, getRow } from "../queries.js";
import { amendmentCreate, amendmentPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { nextNumber, requireOpenContract } from "./references.js";

type ItemInput = { contractItemId: string; quantityDelta: number };

async function writeItems(tx: Tx, amendmentId: string, contractId: string, items: ItemInput[]) {
  const contractItems = await tx.selectFrom("contract_items").select("id").where("contract_id", "=", contractId).execute();
  items.forEach((item, i) => {
    if (!contractItems.some((c) => c.id === item.contractItemId)) {
      throw new AppError("unprocessable", `items.${i}.contractItemId: not an item of this contract`, { [`items.${i}.contractItemId`]: "not an item of this contract" });
    }
  });
  await tx.deleteFrom("amendment_items").where("amendment_id", "=", amendmentId).execute();
  if (items.length === 0) return;
  await tx
    .insertInto("amendment_items")
    .values(items.map((i) => ({ id: newId(), amendment_id: amendmentId, contract_item_id: i.contractItemId, quantity_delta_e4: toE4(i.quantityDelta) })))
    .execute();
}

function checkEndDate(contract: { start_date: string }, newEndDate: string | null | undefined) {
  if (newEndDate && newEndDate < contract.start_date) {
    throw new AppError("validation", "newEndDate: must be on or after the contract's startDate", { newEndDate: "must be on or after the contract's startDate" });
  }
}

const duplicateNumber = (n: string) => new AppError("conflict", `The contract already has an amendment numbered ${n}`, { number: "already in use in this contract" });

export async function createAmendment(ctx: AppContext, _actor: Actor, input: z.input<typeof amendmentCreate>) {
  const data = amendmentCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  let number = data.number;
  await uniqueOr(() => duplicateNumber(number ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      const contract = await requireOpenContract(tx, data.contractId);
      checkEndDate(contract, data.newEndDate);
      if (data.kind === "term" && !data.newEndDate) throw new AppError("validation", "newEndDate: is required for a term amendment", { newEndDate: "is required for a term amendment" });
      number ??= String(await nextNumber(tx, "amendments", data.contractId));
      await tx
        .insertInto("amendments")
        .values({ id, external_id: data.externalId ?? null, contract_id: data.contractId, number, kind: data.kind, value_delta_cents: data.valueDeltaCents, new_end_date: data.newEndDate ?? null, description: data.description, status: "draft", created_at: now, updated_at: now })
        .execute();
      await writeItems(tx, id, data.contractId, data.items);
    });
  });
  return getRecord(ctx, "amendments", id);
}

export async function updateAmendment(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof amendmentPatch>) {
  const data = amendmentPatch.parse(input);
  await uniqueOr(() => duplicateNumber(data.number ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "amendments", id, data);
      if (!row) return;
      checkEndDate(await getRow(tx, "contracts", row.contract_id), data.newEndDate);
      await tx
        .updateTable("amendments")
        .set({
          ...bumpVersion(row, nowIso(ctx)),
          ...(data.number !== undefined ? { number: data.number } : {}),
          ...(data.kind !== undefined ? { kind: data.kind } : {}),
          ...(data.valueDeltaCents !== undefined ? { value_delta_cents: data.valueDeltaCents } : {}),
          ...(data.newEndDate !== undefined ? { new_end_date: data.newEndDate } : {}),
          ...(data.description !== undefined ? { description: data.description } : {}),
        })
        .where("id", "=", id)
        .execute();
      if (data.items) await writeItems(tx, id, row.contract_id, data.items);
    });
  });
  return getRecord(ctx, "amendments", id);
}
