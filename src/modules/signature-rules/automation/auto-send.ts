import { z } from "zod";
import { systemActor, type AppContext } from "../../../platform/context.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { isUniqueViolation } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { defineJob, exponentialBackoff } from "../../../platform/jobs/registry.js";
import { singular, type RecordKind } from "../../records/lifecycles.js";
import type { TransitionFacts } from "../../records/commands/transition-record.js";
import { childRecordIds, recordExists } from "../../records/reads.js";
import { createEnvelope } from "../../envelopes/commands/create-envelope.js";
import { processes, recordKindOf, type Process } from "../../envelopes/processes.js";
import { envelopeIdOfTrigger, recordFailedEnvelope } from "../../envelopes/record-envelopes.js";
import { getProcessSettings, matchesCriteria, recordFacts } from "../index.js";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    "auto-send.record": { process: Process; recordId: string; trigger: string };
  }
}

/**
 * The records a trigger sends for a process: the record itself when the
 * trigger is on its own kind, or the children of the record that moved
 * (a period closed → its measurements; a contract approved → its advances…).
 */
async function recordsForTrigger(tx: Tx, process: Process, facts: TransitionFacts): Promise<string[]> {
  const ownKind = recordKindOf[process];
  if (facts.kind === ownKind) return [facts.row.id];
  return childRecordIds(tx, ownKind, { kind: facts.kind, id: facts.row.id });
}

/**
 * In the transition's own transaction: for every process of the project in
 * automatic mode whose trigger is this move, queue one job per record. The
 * dedupe key makes it once per record and trigger, however often the
 * transition is repeated or retried.
 */
export async function queueAutomaticSends(ctx: AppContext, tx: Tx, facts: TransitionFacts) {
  const trigger = `${singular[facts.kind as RecordKind]}.${facts.to}`;
  for (const process of processes) {
    const settings = await getProcessSettings({ db: tx }, facts.projectId, process);
    if (!settings.enabled || settings.mode !== "automatic" || settings.trigger !== trigger) continue;
    for (const recordId of await recordsForTrigger(tx, process, facts)) {
      await enqueue(ctx, tx, "auto-send.record", { process, recordId, trigger }, { dedupeKey: `auto:${process}:${recordId}:${trigger}` });
    }
  }
}

export const triggerKeyOf = (process: Process, recordId: string, trigger: string) => `${process}:${recordId}:${trigger}`;

/** Evaluates the criteria and sends the process report with the default recipients, as the service user. */
export async function autoSendRecord(ctx: AppContext, process: Process, recordId: string, trigger: string) {
  const triggerKey = triggerKeyOf(process, recordId, trigger);
  const existingId = await envelopeIdOfTrigger(ctx.db, triggerKey);
  if (existingId) return { envelopeId: existingId, created: false };
  if (!(await recordExists(ctx.db, recordKindOf[process], recordId))) return { envelopeId: null, created: false };
  const facts = await recordFacts(ctx, process, recordId);
  const settings = await getProcessSettings(ctx, facts.projectId as string, process);
  if (!settings.enabled || settings.mode !== "automatic" || !matchesCriteria(settings.criteria, facts)) return { envelopeId: null, created: false };
  const expiresAt = new Date(ctx.clock.now().getTime() + settings.expiresInDays * 86_400_000).toISOString();
  try {
    const envelope = await createEnvelope(ctx, systemActor, {
      process, recordId, source: "report", report: settings.report, signingOrder: settings.signingOrder, expiresAt,
      subject: settings.subject, message: settings.message, allowRejection: settings.allowRejection, reminderEveryDays: settings.reminderEveryDays,
    }, [], { triggerKey });
    return { envelopeId: envelope.id as string, created: true };
  } catch (error) {
    if (isUniqueViolation(error)) return { envelopeId: null, created: false };
    // A rule that cannot run (no recipients, no signer, a report that cannot be built) leaves a visible failed envelope.
    if (error instanceof AppError) {
      const id = await recordFailedEnvelope(ctx, { process, recordId, projectId: facts.projectId as string, triggerKey, reason: error.message });
      return { envelopeId: id, created: true };
    }
    throw error;
  }
}

export const autoSendJob = defineJob({
  name: "auto-send.record",
  schema: z.object({ process: z.enum(processes), recordId: z.string(), trigger: z.string() }),
  retry: { maxAttempts: 5, backoffMs: exponentialBackoff(10_000, 10 * 60_000) },
  async handler(ctx, { process, recordId, trigger }) {
    await autoSendRecord(ctx, process, recordId, trigger);
  },
});

