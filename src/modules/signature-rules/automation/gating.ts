import type { AppContext } from "../../../platform/context.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { domainLabels } from "../../../platform/i18n/domain.js";
import type { RecordKind } from "../../records/lifecycles.js";
import type { TransitionFacts } from "../../records/commands/transition-record.js";
import { lockContract } from "../../records/commands/lock-contract.js";
import { processOfKind } from "../../envelopes/processes.js";
import { envelopeStatusesOf } from "../../envelopes/record-envelopes.js";
import { getProcessSettings } from "../index.js";

/**
 * "Bloquear processos dependentes de assinatura": the move that puts a
 * record to work waits for its signatures (DOMAIN.md). Key: record kind →
 * the status it may not reach before its envelope is completed.
 */
export const gatedMoves: Partial<Record<RecordKind, { to: string; pt: string; en: string }>> = {
  contracts: { to: "active", pt: "O contrato só pode ser ativado depois que o envelope de assinatura for finalizado", en: "The contract can only become active once its signature envelope is completed" },
  amendments: { to: "applied", pt: "O aditivo só pode ser aplicado ao contrato depois que o envelope de assinatura for finalizado", en: "The amendment can only be applied once its signature envelope is completed" },
  periods: { to: "released", pt: "O período só pode ser liberado depois que o envelope de assinatura for finalizado", en: "The period can only be released once its signature envelope is completed" },
  measurements: { to: "released", pt: "A medição só pode ser liberada para pagamento depois que o envelope de assinatura for finalizado", en: "The measurement can only be released for payment once its signature envelope is completed" },
  advances: { to: "paid", pt: "O adiantamento só pode ser pago depois que o envelope de assinatura for finalizado", en: "The advance can only be paid once its signature envelope is completed" },
};

export async function requireSignatures(_ctx: AppContext, tx: Tx, facts: TransitionFacts) {
  const gate = gatedMoves[facts.kind];
  const process = processOfKind(facts.kind);
  if (!gate || !process || gate.to !== facts.to) return;
  const settings = await getProcessSettings({ db: tx }, facts.projectId, process);
  if (!settings.enabled || !settings.blockDependentProcesses) return;
  const envelopes = await envelopeStatusesOf(tx, facts.row.id);
  if (envelopes.some((e) => e.status === "completed")) return;
  const latest = envelopes[0];
  const latestPt = latest ? ` (o envelope mais recente está “${domainLabels["pt-BR"].envelopeStatuses[latest.status] ?? latest.status}”)` : " (nenhum envelope foi enviado ainda)";
  const latestEn = latest ? ` (the latest envelope is ${latest.status})` : " (no envelope was sent yet)";
  throw new AppError("conflict", { "pt-BR": `${gate.pt}${latestPt}.`, en: `${gate.en}${latestEn}.` });
}

/** A signed contract's items and values are locked once its envelope completes, when the project gates on signatures. */
export async function lockSignedContract(ctx: AppContext, tx: Tx, envelope: { process: string; record_id: string; project_id: string }, _from: string, to: string) {
  if (to !== "completed" || envelope.process !== "contract") return;
  const settings = await getProcessSettings({ db: tx }, envelope.project_id, "contract");
  if (!settings.blockDependentProcesses) return;
  await lockContract(tx, envelope.record_id, ctx.clock.now().toISOString());
}

