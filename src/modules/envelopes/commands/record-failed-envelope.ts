import { systemActor, type AppContext } from "../../../platform/context.js";
import { inTransaction, isUniqueViolation } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { recordEnvelopeEvent } from "../events.js";
import { projectDocumentLanguage, type DocumentLanguage } from "../document-language.js";
import type { Process } from "../processes.js";
import { labels } from "../../reports/labels.js";
import { envelopeSearchText, searchTermsOf } from "../search-terms.js";

const automatic: Record<DocumentLanguage, string> = { "pt-BR": "envio automático", en: "automatic sending" };

/**
 * An automatic send that could not be built still leaves an envelope, in
 * `failed` with the reason, so the monitor shows it instead of silence.
 */
export async function recordFailedEnvelope(ctx: AppContext, input: { process: Process; recordId: string; projectId: string; triggerKey: string; reason: string }): Promise<string | null> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const provider = await ctx.providers.activeName();
  // Named in the project's document language, as the envelope it stands for would have been.
  const language = await projectDocumentLanguage(ctx.db, input.projectId);
  const name = `${labels[language].titles[input.process]} (${automatic[language]})`;
  const terms = await searchTermsOf(ctx.db, input.process, input.recordId).catch(() => ({ contractNumber: null, partyName: null, partyDocument: null }));
  try {
    await inTransaction(ctx, async (tx) => {
      await tx.insertInto("envelopes").values({
        id, project_id: input.projectId, process: input.process, record_id: input.recordId, name, status: "failed",
        contract_number: terms.contractNumber, party_name: terms.partyName, search_text: envelopeSearchText(name, terms, []),
        provider, provider_ref: null, author_id: null, author_label: "obrasign (envio automático)", source: "report",
        signing_order: 0, subject: null, message: null, allow_rejection: 1, reminder_every_days: null, expires_at: null, failure_reason: input.reason,
        rejection_reason: null, trigger_key: input.triggerKey, created_at: now, updated_at: now, sent_at: null, completed_at: null, last_checked_at: null, locale: language,
      }).execute();
      await recordEnvelopeEvent(ctx, tx, id, "envelope.failed", { actor: systemActor, label: "obrasign (envio automático)" }, { reason: input.reason, trigger: input.triggerKey });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  return id;
}
