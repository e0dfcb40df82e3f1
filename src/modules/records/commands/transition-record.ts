import { actorId, nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, type Tx } from "../../../platform/db/transaction.js";
import { hooksOf } from "../../../platform/hooks.js";
import { newId } from "../../../platform/ids.js";
import { allowedMoves, lifecycles, singular, type RecordKind } from "../lifecycles.js";
import { getRecord, getRow, projectIdOf } from "../queries.js";
import { moveRefusal } from "../messages.js";

export interface TransitionFacts {
  kind: RecordKind;
  row: any;
  from: string;
  to: string;
  projectId: string;
  actor: Actor;
}

/**
 * Checks that other capabilities hook in (signature gating: "the period
 * cannot be released until its envelope is completed"). A guard throws an
 * AppError to refuse; it runs inside the transition's transaction.
 */
export type TransitionGuard = (ctx: AppContext, tx: Tx, facts: TransitionFacts) => Promise<void>;
/** Work that must commit with the transition (domain consequences, automatic sending). */
export type TransitionEffect = (ctx: AppContext, tx: Tx, facts: TransitionFacts & { eventId: string }) => Promise<void>;

declare module "../../../platform/hooks.js" {
  interface Hooks {
    /** Other modules' checks before a record moves (signature gating). */
    recordTransitionGuards: TransitionGuard[];
    /** Other modules' work that commits with the move (automatic sending). */
    recordTransitionEffects: TransitionEffect[];
  }
}

/** An applied amendment changes the contract's end date; its value and quantities are summed on read. */
async function applyAmendment(ctx: AppContext, tx: Tx, facts: TransitionFacts) {
  if (facts.kind !== "amendments" || facts.to !== "applied" || !facts.row.new_end_date) return;
  await tx.updateTable("contracts").set({ end_date: facts.row.new_end_date, updated_at: nowIso(ctx) }).where("id", "=", facts.row.contract_id).execute();
}

/**
 * Moves a record along its lifecycle. The update is conditional on the
 * status read, so of two concurrent moves from one state exactly one wins
 * and the other gets 409 — on either database. The domain event is written
 * in the same transaction.
 */
export async function transitionRecord(ctx: AppContext, actor: Actor, kind: RecordKind, id: string, to: string) {
  const lifecycle = lifecycles[kind];
  if (!lifecycle) throw new AppError("not_found", `${kind} have no lifecycle`);
  if (!(to in lifecycle.transitions)) {
    throw new AppError("validation", `to: unknown ${singular[kind]} status "${to}" (one of ${Object.keys(lifecycle.transitions).join(", ")})`, { to: "unknown status" });
  }
  await inTransaction(ctx, async (tx) => {
    const row = await getRow(tx, kind, id);
    const from: string = row.status;
    if (!allowedMoves(kind, from).includes(to)) {
      const allowed = allowedMoves(kind, from);
      throw new AppError("invalid_transition", moveRefusal("cannotMove", kind, from, to, allowed));
    }
    const facts: TransitionFacts = { kind, row, from, to, projectId: await projectIdOf(tx, kind, row), actor };
    for (const guard of hooksOf(ctx, "recordTransitionGuards")) await guard(ctx, tx, facts);
    const now = nowIso(ctx);
    const result = await tx
      .updateTable(kind as "contracts")
      .set({ status: to as never, version: row.version + 1, updated_at: now })
      .where("id", "=", id)
      .where("status", "=", from as never)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new AppError("invalid_transition", moveRefusal("changedMeanwhile", kind, from, to));
    }
    const eventId = newId();
    await tx
      .insertInto("record_events")
      .values({ id: eventId, record_kind: kind, record_id: id, project_id: facts.projectId, from_status: from, to_status: to, actor_id: actorId(actor), created_at: now })
      .execute();
    await applyAmendment(ctx, tx, facts);
    for (const effect of hooksOf(ctx, "recordTransitionEffects")) await effect(ctx, tx, { ...facts, eventId });
  });
  // Effects may have queued jobs (automatic sending): start them now, not at the next poll.
  ctx.notifyJobs();
  return getRecord(ctx, kind, id);
}
