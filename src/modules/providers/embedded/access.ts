import type { AppContext } from "../../../platform/context.js";
import { hashSecret } from "../../../platform/crypto/tokens.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { recipientByTokenHash } from "../../envelopes/recipients.js";
import { getEnvelopeRow } from "../../envelopes/queries.js";
import { signingErrors } from "./messages.js";

const endedStatuses = new Set(["completed", "rejected", "cancelled", "expired", "failed"] as const);
type Ended = typeof endedStatuses extends Set<infer S> ? S : never;
const hasEnded = (status: string): status is Ended => endedStatuses.has(status as Ended);

/**
 * A signing link's token → its recipient and envelope. Unknown tokens are
 * 404; links of an envelope that ended answer 410 Gone.
 */
export async function recipientByToken(ctx: AppContext, token: string, db: Db | Tx = ctx.db) {
  if (!/^sig_[A-Za-z0-9_-]{20,}$/.test(token)) throw new AppError("not_found", signingErrors("linkInvalid"));
  const recipient = await recipientByTokenHash(db, hashSecret(token));
  if (!recipient) throw new AppError("not_found", signingErrors("linkInvalid"));
  if (recipient.removed_at) throw new AppError("gone", signingErrors("removed"));
  const envelope = await getEnvelopeRow(db, recipient.envelope_id);
  if (hasEnded(envelope.status)) throw new AppError("gone", signingErrors(envelope.status));
  return { recipient, envelope };
}
