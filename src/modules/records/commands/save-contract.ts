import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr, type Tx } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { lineTotalCents, toE4 } from "../../../platform/validation/fields.js";
import { getRecord } from "../queries.js";
import { contractCreate, contractItemInput, contractPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { requireReference } from "./references.js";

type ItemInput = z.infer<typeof contractItemInput>;

const duplicateNumber = (number: string) =>
  new AppError("conflict", `The project already has a contract numbered ${number}`, { number: "already in use in this project" });

/** Replaces the item list (keeping ids that are named) and returns the derived total. */
async function writeItems(tx: Tx, contractId: string, given: ItemInput[]): Promise<number> {
  const existing = await tx.selectFrom("contract_items").select(["id", "code"]).where("contract_id", "=", contractId).execute();
  // An item sent without id keeps the id of the item with its code, so an ERP re-sending the list does not orphan measurements.
  const items = given.map((i) => (i.id ? i : { ...i, id: existing.find((e) => e.code === i.code)?.id }));
  const kept = new Set(items.map((i) => i.id).filter(Boolean));
  items.forEach((item, index) => {
    if (item.id && !existing.some((e) => e.id === item.id)) {
      throw new AppError("unprocessable", `items.${index}.id: not an item of this contract`, { [`items.${index}.id`]: "not an item of this contract" });
    }
  });
  const removed = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
  if (removed.length > 0) {
    const used = await tx.selectFrom("measurement_lines").select("contract_item_id").where("contract_item_id", "in", removed).limit(1).executeTakeFirst();
    if (used) throw new AppError("conflict", "An item that was already measured cannot be removed");
    await tx.deleteFrom("amendment_items").where("contract_item_id", "in", removed).execute();
    await tx.deleteFrom("contract_items").where("id", "in", removed).execute();
  }
  let total = 0;
  for (const [position, item] of items.entries()) {
    const quantity_e4 = toE4(item.quantity);
    const values = { position, code: item.code, description: item.description, unit: item.unit, quantity_e4, unit_price_cents: item.unitPriceCents, total_cents: lineTotalCents(quantity_e4, item.unitPriceCents) };
    total += values.total_cents;
    if (item.id) await tx.updateTable("contract_items").set(values).where("id", "=", item.id).execute();
    else await tx.insertInto("contract_items").values({ id: newId(), contract_id: contractId, ...values }).execute();
  }
  return total;
}

export async function createContract(ctx: AppContext, _actor: Actor, input: z.input<typeof contractCreate>) {
  const data = contractCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  await uniqueOr(() => duplicateNumber(data.number), async () => {
    await inTransaction(ctx, async (tx) => {
      const project = await requireReference(tx, "projects", data.projectId, "projectId");
      if (project.status !== "active") throw new AppError("conflict", "The project is closed: no new contracts");
      await requireReference(tx, "parties", data.partyId, "partyId");
      await tx
        .insertInto("contracts")
        .values({
          id, external_id: data.externalId ?? null, project_id: data.projectId, party_id: data.partyId, number: data.number, kind: data.kind,
          object: data.object, start_date: data.startDate, end_date: data.endDate, status: "draft", total_cents: 0, locked_at: null, created_at: now, updated_at: now,
        })
        .execute();
      const total = await writeItems(tx, id, data.items);
      await tx.updateTable("contracts").set({ total_cents: total }).where("id", "=", id).execute();
    });
  });
  return getRecord(ctx, "contracts", id);
}

export async function updateContract(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof contractPatch>) {
  const data = contractPatch.parse(input);
  await uniqueOr(() => duplicateNumber(data.number ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "contracts", id, data);
      if (!row) return;
      const startDate = data.startDate ?? row.start_date;
      const endDate = data.endDate ?? row.end_date;
      if (endDate < startDate) throw new AppError("validation", "endDate: must be on or after startDate", { endDate: "must be on or after startDate" });
      if (data.projectId) await requireReference(tx, "projects", data.projectId, "projectId");
      if (data.partyId) await requireReference(tx, "parties", data.partyId, "partyId");
      const total = data.items ? await writeItems(tx, id, data.items) : row.total_cents;
      await tx
        .updateTable("contracts")
        .set({
          ...bumpVersion(row, nowIso(ctx)),
          total_cents: total,
          start_date: startDate,
          end_date: endDate,
          ...(data.projectId !== undefined ? { project_id: data.projectId } : {}),
          ...(data.partyId !== undefined ? { party_id: data.partyId } : {}),
          ...(data.number !== undefined ? { number: data.number } : {}),
          ...(data.kind !== undefined ? { kind: data.kind } : {}),
          ...(data.object !== undefined ? { object: data.object } : {}),
        })
        .where("id", "=", id)
        .execute();
    });
  });
  return getRecord(ctx, "contracts", id);
}
