import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { inTransaction, type Tx } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { getRecord } from "../queries.js";
import { contactInput, partyCreate, partyPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";

async function writeContacts(tx: Tx, partyId: string, contacts: z.infer<typeof contactInput>[]) {
  await tx.deleteFrom("party_contacts").where("party_id", "=", partyId).execute();
  if (contacts.length === 0) return;
  await tx
    .insertInto("party_contacts")
    .values(contacts.map((c, position) => ({ id: newId(), party_id: partyId, position, name: c.name, email: c.email, cpf: c.cpf ?? null, role: c.role ?? null })))
    .execute();
}

export async function createParty(ctx: AppContext, _actor: Actor, input: z.input<typeof partyCreate>) {
  const data = partyCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  await inTransaction(ctx, async (tx) => {
    await tx.insertInto("parties").values({ id, external_id: data.externalId ?? null, kind: data.kind, name: data.name, document: data.document, created_at: now, updated_at: now }).execute();
    await writeContacts(tx, id, data.contacts);
  });
  return getRecord(ctx, "parties", id);
}

export async function updateParty(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof partyPatch>) {
  const data = partyPatch.parse(input);
  await inTransaction(ctx, async (tx) => {
    const row = await loadForUpdate(ctx, tx, "parties", id, data);
    if (!row) return;
    await tx
      .updateTable("parties")
      .set({
        ...bumpVersion(row, nowIso(ctx)),
        ...(data.kind !== undefined ? { kind: data.kind } : {}),
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.document !== undefined ? { document: data.document } : {}),
      })
      .where("id", "=", id)
      .execute();
    if (data.contacts) await writeContacts(tx, id, data.contacts);
  });
  return getRecord(ctx, "parties", id);
}
