import type { AppContext } from "../../../platform/context.js";
import { hashSecret } from "../../../platform/crypto/tokens.js";
import type { Db } from "../../../platform/db/connect.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { recipientByTokenHash } from "../../envelopes/recipients.js";
import { getEnvelopeRow } from "../../envelopes/queries.js";

const endedMessages: Record<string, string> = {
  completed: "This document is already completed; the link no longer works",
  rejected: "This document was rejected; the link no longer works",
  cancelled: "This document was cancelled; the link no longer works",
  expired: "The deadline of this document has passed; the link no longer works",
  failed: "This document could not be sent; the link does not work",
};

/**
 * A signing link's token → its recipient and envelope. Unknown tokens are
 * 404; links of an envelope that ended answer 410 Gone.
 */
export async function recipientByToken(ctx: AppContext, token: string, db: Db | Tx = ctx.db) {
  if (!/^sig_[A-Za-z0-9_-]{20,}$/.test(token)) throw new AppError("not_found", "This signing link is not valid");
  const recipient = await recipientByTokenHash(db, hashSecret(token));
  if (!recipient) throw new AppError("not_found", "This signing link is not valid");
  if (recipient.removed_at) throw new AppError("gone", "You were removed from this document; the link no longer works");
  const envelope = await getEnvelopeRow(db, recipient.envelope_id);
  const ended = endedMessages[envelope.status];
  if (ended) throw new AppError("gone", ended);
  return { recipient, envelope };
}
