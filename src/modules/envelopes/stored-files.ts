import { BlobUnavailable } from "../../platform/blobs/blob-store.js";
import type { AppContext } from "../../platform/context.js";
import { inTransaction } from "../../platform/db/transaction.js";
import { recordEnvelopeEvent } from "./events.js";
import { findEnvelopeRow, setFailureReason } from "./queries.js";

/**
 * Reads one of an envelope's stored files. The blob store checks the bytes
 * against their SHA-256; when they are missing or changed, the envelope says
 * so (failure reason and a history entry, once) and the error goes on to the
 * caller, which refuses to serve, sign or seal.
 */
export async function readEnvelopeFile(ctx: AppContext, envelopeId: string, sha256: string): Promise<Uint8Array> {
  try {
    return await ctx.blobs.get(sha256);
  } catch (error) {
    if (error instanceof BlobUnavailable) await markFileUnavailable(ctx, envelopeId, error);
    throw error;
  }
}

async function markFileUnavailable(ctx: AppContext, envelopeId: string, error: BlobUnavailable) {
  const reason = error.message.slice(0, 1000);
  await inTransaction(ctx, async (tx) => {
    const envelope = await findEnvelopeRow(tx, envelopeId);
    if (!envelope || envelope.failure_reason === reason) return;
    await setFailureReason(tx, envelopeId, reason, ctx.clock.now().toISOString());
    await recordEnvelopeEvent(ctx, tx, envelopeId, "envelope.file_unavailable", { label: "obrasign" }, { sha256: error.sha256, problem: error.reason });
  });
}
