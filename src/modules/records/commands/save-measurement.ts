import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr, type Tx } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { fromE4, lineTotalCents, toE4 } from "../../../platform/validation/fields.js";
import { getRecord, itemBalances } from "../queries.js";
import { measurementCreate, measurementPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { nextNumber, requireOpenContract, requireReference } from "./references.js";

type LineInput = { contractItemId: string; quantity: number };

/**
 * Writes the lines after checking that no item is measured beyond its
 * contracted quantity plus applied amendments, counting every other
 * measurement of the contract. The contract row is locked first (on
 * PostgreSQL) so two measurements saved at once cannot both pass the check.
 */
async function writeLines(ctx: AppContext, tx: Tx, measurementId: string, contractId: string, lines: LineInput[]): Promise<number> {
  if (ctx.dialect === "postgres") await tx.selectFrom("contracts").select("id").where("id", "=", contractId).forUpdate().execute();
  const items = await tx.selectFrom("contract_items").selectAll().where("contract_id", "=", contractId).execute();
  const balances = await itemBalances(tx, contractId, measurementId);
  const rows = lines.map((line, position) => {
    const item = items.find((i) => i.id === line.contractItemId);
    const field = `lines.${position}.contractItemId`;
    if (!item) throw new AppError("unprocessable", `${field}: not an item of this contract`, { [field]: "not an item of this contract" });
    const quantity_e4 = toE4(line.quantity);
    const limit = item.quantity_e4 + (balances.amended.get(item.id) ?? 0);
    const measuredBefore = balances.measured.get(item.id) ?? 0;
    if (measuredBefore + quantity_e4 > limit) {
      const available = fromE4(Math.max(0, limit - measuredBefore));
      const quantityField = `lines.${position}.quantity`;
      throw new AppError(
        "unprocessable",
        `Item ${item.code} (${item.description}) would be measured beyond its contracted quantity: ${fromE4(limit)} ${item.unit} contracted, ${fromE4(measuredBefore)} already measured, at most ${available} left`,
        { [quantityField]: `exceeds the quantity left for item ${item.code} (${available} ${item.unit})` },
      );
    }
    return { id: newId(), measurement_id: measurementId, contract_item_id: item.id, position, quantity_e4, total_cents: lineTotalCents(quantity_e4, item.unit_price_cents) };
  });
  await tx.deleteFrom("measurement_lines").where("measurement_id", "=", measurementId).execute();
  if (rows.length > 0) await tx.insertInto("measurement_lines").values(rows).execute();
  return rows.reduce((sum, r) => sum + r.total_cents, 0);
}

const duplicateNumber = (n: number | undefined) => new AppError("conflict", `The contract already has a measurement numbered ${n}`, { number: "already in use in this contract" });

async function requireOpenPeriod(tx: Tx, periodId: string, contractId: string) {
  const period = await requireReference(tx, "periods", periodId, "periodId");
  if (period.contract_id !== contractId) throw new AppError("unprocessable", "periodId: the period belongs to another contract", { periodId: "belongs to another contract" });
  if (period.status !== "open") throw new AppError("conflict", `Period ${period.number} is ${period.status}: it takes no more measurements`);
}

export async function createMeasurement(ctx: AppContext, _actor: Actor, input: z.input<typeof measurementCreate>) {
  const data = measurementCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  let number = data.number;
  await uniqueOr(() => duplicateNumber(number), async () => {
    await inTransaction(ctx, async (tx) => {
      await requireOpenContract(tx, data.contractId);
      await requireOpenPeriod(tx, data.periodId, data.contractId);
      number ??= await nextNumber(tx, "measurements", data.contractId);
      await tx
        .insertInto("measurements")
        .values({ id, external_id: data.externalId ?? null, contract_id: data.contractId, period_id: data.periodId, number, status: "draft", total_cents: 0, created_at: now, updated_at: now })
        .execute();
      const total = await writeLines(ctx, tx, id, data.contractId, data.lines);
      await tx.updateTable("measurements").set({ total_cents: total }).where("id", "=", id).execute();
    });
  });
  return getRecord(ctx, "measurements", id);
}

export async function updateMeasurement(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof measurementPatch>) {
  const data = measurementPatch.parse(input);
  await uniqueOr(() => duplicateNumber(data.number), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "measurements", id, data);
      if (!row) return;
      const total = data.lines ? await writeLines(ctx, tx, id, row.contract_id, data.lines) : row.total_cents;
      await tx
        .updateTable("measurements")
        .set({ ...bumpVersion(row, nowIso(ctx)), total_cents: total, ...(data.number !== undefined ? { number: data.number } : {}) })
        .where("id", "=", id)
        .execute();
    });
  });
  return getRecord(ctx, "measurements", id);
}

