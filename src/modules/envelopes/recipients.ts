import type { Db } from "../../platform/db/connect.js";
import type { RecipientsTable } from "../../platform/db/schema.js";
import type { RecipientStatus } from "../../platform/providers/port.js";
import type { Tx } from "../../platform/db/transaction.js";

/**
 * What a provider writes on recipients and files: the built-in provider
 * mails links, records each act and produces the signed file; it does so
 * through these commands of the envelope module, which owns the rows.
 */
type Reader = Db | Tx;

export const recipientByTokenHash = (db: Reader, tokenHash: string) =>
  db.selectFrom("recipients").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();

/** A new signing link replaces the old one; a reminder keeps the invitation time; a link to the finished document changes neither. */
export async function setRecipientLink(tx: Tx, recipientId: string, tokenHash: string, at: string, kind: "invitation" | "reminder" | "copy") {
  const set = kind === "reminder" ? { token_hash: tokenHash, reminded_at: at } : kind === "copy" ? { token_hash: tokenHash } : { token_hash: tokenHash, invited_at: at };
  await tx.updateTable("recipients").set(set).where("id", "=", recipientId).execute();
}

export interface RecipientAct {
  status: RecipientStatus;
  actedAt: string;
  evidence: Record<string, unknown>;
  signature?: { type: string; value: string };
  rejectionReason?: string;
}

/** Records a recipient's act, only while they are still pending: false when they had acted already. */
export async function recordRecipientAct(tx: Tx, recipientId: string, act: RecipientAct): Promise<boolean> {
  const result = await tx
    .updateTable("recipients")
    .set({
      status: act.status, acted_at: act.actedAt, evidence: JSON.stringify(act.evidence),
      ...(act.signature ? { signature_type: act.signature.type, signature_value: act.signature.value } : {}),
      ...(act.rejectionReason !== undefined ? { rejection_reason: act.rejectionReason } : {}),
    })
    .where("id", "=", recipientId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type Recipient = RecipientsTable;

/** The first opening of a recipient's link, once: false when it was opened before. */
export async function markRecipientOpened(tx: Tx, recipientId: string, at: string): Promise<boolean> {
  const result = await tx.updateTable("recipients").set({ opened_at: at }).where("id", "=", recipientId).where("opened_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
