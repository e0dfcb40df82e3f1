import type { EnvelopesTable, RecipientsTable } from "../../platform/db/schema.js";

/** Recipients who still have to act (observers only receive the final copy). */
export const stillToAct = (recipients: RecipientsTable[]) => recipients.filter((r) => !r.removed_at && r.action !== "observe" && r.status === "pending");

/**
 * Who may act now: everyone pending without a signing order; with one, only
 * the lowest order still pending — the next group is mailed once it is done.
 */
export function eligibleNow(envelope: Pick<EnvelopesTable, "signing_order">, recipients: RecipientsTable[]): RecipientsTable[] {
  const pending = stillToAct(recipients);
  if (!envelope.signing_order || pending.length === 0) return pending;
  const lowest = Math.min(...pending.map((r) => r.sign_order ?? Number.MAX_SAFE_INTEGER));
  return pending.filter((r) => (r.sign_order ?? Number.MAX_SAFE_INTEGER) === lowest);
}
