import type { AppContext } from "../../platform/context.js";
import type { Envelope, EnvelopeStatus, EnvelopesTable } from "../../platform/db/schema.js";
import type { Tx } from "../../platform/db/transaction.js";
import { domainLabels } from "../../platform/i18n/domain.js";
import { AppError } from "../../platform/errors.js";
import { hooksOf } from "../../platform/hooks.js";
import { recordEnvelopeEvent, type EventSource } from "./events.js";

/** The envelope lifecycle of DOMAIN.md: one table, checked by every command that moves an envelope. */
const moves: Record<EnvelopeStatus, readonly EnvelopeStatus[]> = {
  draft: ["queued", "cancelled"],
  queued: ["pending", "partially_signed", "completed", "failed", "cancelled"],
  pending: ["partially_signed", "completed", "rejected", "cancelled", "expired"],
  partially_signed: ["completed", "rejected", "cancelled", "expired"],
  failed: ["queued", "cancelled"],
  completed: [],
  // Only a provider re-opens a rejected envelope (TOTVS Sign's portal can); no command asks for it.
  rejected: ["pending", "partially_signed"],
  cancelled: [],
  expired: [],
};

export const finalStatuses: readonly EnvelopeStatus[] = ["completed", "rejected", "cancelled", "expired"];
export const openStatuses: readonly EnvelopeStatus[] = ["pending", "partially_signed"];
/** What a refresh asks the provider about: open envelopes, and rejected ones (a provider may re-open them). */
export const refreshableStatuses: readonly EnvelopeStatus[] = [...openStatuses, "rejected"];
export const canMove = (from: EnvelopeStatus, to: EnvelopeStatus) => moves[from].includes(to);

/** Listeners run in the same transaction after each status change (webhooks, record locks). */
export type EnvelopeStatusListener = (
  ctx: AppContext, tx: Tx, envelope: Envelope, from: EnvelopeStatus, to: EnvelopeStatus,
  /** Who moved it and the history entry's data (a cancel's reason), for listeners that tell people. */
  change: { source: EventSource; data: Record<string, unknown> },
) => Promise<void>;
declare module "../../platform/hooks.js" {
  interface Hooks {
    /** Run in the transaction of each envelope status change (webhooks, record locks). */
    envelopeStatusListeners: EnvelopeStatusListener[];
  }
}

/**
 * Moves an envelope, conditional on the status it was read with, and writes
 * the history event. Returns false when someone else moved it first (the
 * caller decides whether that is an error).
 */
export async function moveEnvelope(
  ctx: AppContext,
  tx: Tx,
  envelope: Envelope,
  to: EnvelopeStatus,
  source: EventSource,
  options: { set?: Partial<Omit<EnvelopesTable, "id" | "version">>; event?: string; data?: Record<string, unknown>; strict?: boolean } = {},
): Promise<boolean> {
  const from = envelope.status;
  if (!canMove(from, to)) {
    if (options.strict === false) return false;
    throw new AppError("invalid_transition", {
      "pt-BR": `O envelope está “${domainLabels["pt-BR"].envelopeStatuses[from] ?? from}”: não pode passar para “${domainLabels["pt-BR"].envelopeStatuses[to] ?? to}”.`,
      en: `The envelope is ${from}: it cannot become ${to}`,
    });
  }
  const now = ctx.clock.now().toISOString();
  const result = await tx
    .updateTable("envelopes")
    .set({ ...options.set, status: to, updated_at: now, version: envelope.version + 1 })
    .where("id", "=", envelope.id)
    .where("status", "=", from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    if (options.strict === false) return false;
    throw new AppError("invalid_transition", "The envelope changed at the same time; read it again");
  }
  const data = { from, to, ...options.data };
  await recordEnvelopeEvent(ctx, tx, envelope.id, options.event ?? `envelope.${to}`, source, data);
  const updated = { ...envelope, ...options.set, status: to, version: envelope.version + 1 };
  for (const listener of hooksOf(ctx, "envelopeStatusListeners")) await listener(ctx, tx, updated, from, to, { source, data });
  return true;
}

/** Locks the envelope row for the rest of the transaction on PostgreSQL (SQLite has one writer anyway). */
export async function lockEnvelope(ctx: AppContext, tx: Tx, id: string) {
  let qb = tx.selectFrom("envelopes").selectAll().where("id", "=", id);
  if (ctx.dialect === "postgres") qb = qb.forUpdate();
  const row = await qb.executeTakeFirst();
  if (!row) throw new AppError("not_found", "Envelope not found");
  return row;
}
