/**
 * What other modules ask about the envelopes of a record: the signature
 * rules (automatic sending, gating) read through these instead of the
 * envelope tables. Each runs on what it is given (`Db`, or the caller's
 * transaction).
 */
import type { Db } from "../../platform/db/connect.js";
import type { EnvelopeStatus } from "../../platform/db/schema.js";
import type { Tx } from "../../platform/db/transaction.js";

/** The envelope an automatic send made for this trigger key (`process:recordId:trigger`), if any. */
export async function envelopeIdOfTrigger(db: Db | Tx, triggerKey: string): Promise<string | undefined> {
  return (await db.selectFrom("envelopes").select("id").where("trigger_key", "=", triggerKey).executeTakeFirst())?.id;
}

/** The envelopes of a record with their status, newest first. */
export function envelopeStatusesOf(db: Db | Tx, recordId: string): Promise<{ id: string; status: EnvelopeStatus }[]> {
  return db.selectFrom("envelopes").select(["id", "status"]).where("record_id", "=", recordId).orderBy("id", "desc").execute();
}

/** An automatic send that could not be built leaves a `failed` envelope with the reason (its own transaction). */
export { recordFailedEnvelope } from "./commands/record-failed-envelope.js";
