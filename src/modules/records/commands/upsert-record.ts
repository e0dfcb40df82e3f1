import type { Actor, AppContext } from "../../../platform/context.js";
import { isUniqueViolation } from "../../../platform/db/transaction.js";
import { findByExternalId } from "../queries.js";
import type { RecordKindDefinition } from "../registry.js";

/**
 * PUT by the ERP's id: creates the record the first time, then updates it.
 * Parent references (project, contract) are fixed at creation; a repeated
 * identical PUT changes nothing and answers the same record.
 */
export async function upsertRecord(ctx: AppContext, actor: Actor, def: RecordKindDefinition, externalId: string, body: Record<string, unknown>) {
  const input = { ...body, externalId };
  const existing = await findByExternalId(ctx.db, def.kind, externalId);
  if (!existing) {
    try {
      return { created: true, record: await def.createCommand(ctx, actor, input) };
    } catch (error) {
      // Two first PUTs at once: the loser updates what the winner created.
      if (!isUniqueViolation(error) || !(await findByExternalId(ctx.db, def.kind, externalId))) throw error;
    }
  }
  const current = existing ?? (await findByExternalId(ctx.db, def.kind, externalId));
  const { externalId: _e, ...patch } = def.create.parse(input) as Record<string, unknown>;
  for (const parent of ["projectId", "contractId", "periodId"]) delete patch[parent];
  return { created: false, record: await def.updateCommand(ctx, actor, current.id, patch) };
}
