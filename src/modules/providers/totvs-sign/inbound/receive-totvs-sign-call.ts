import type { AppContext } from "../../../../platform/context.js";
import { queueProviderHintRefresh } from "../../../envelopes/refresh/job.js";
import { envelopeByProviderRef } from "../../../envelopes/queries.js";

const idKeys = ["idDocumento", "IdDocumento", "iddocumento", "documentId", "DocumentId", "id", "Id"];

function idIn(source: unknown, depth = 0): string | null {
  if (!source || typeof source !== "object" || depth > 2) return null;
  const record = source as Record<string, unknown>;
  for (const key of idKeys) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "" && value.length <= 200) return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
  }
  // TAE's payload is undocumented: look one level into the usual wrappers too.
  for (const key of ["data", "Data", "documento", "Documento", "document", "payload"]) {
    const found = idIn(record[key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** The TAE document a call names: in the body first, then in the query string. */
export function documentIdOf(body: unknown, query: unknown): string | null {
  if (typeof body === "string") {
    try {
      return idIn(JSON.parse(body)) ?? idIn(query);
    } catch {
      return idIn(Object.fromEntries(new URLSearchParams(body))) ?? idIn(query);
    }
  }
  return idIn(body) ?? idIn(query);
}

/**
 * A call from TOTVS Sign is only a hint that a document changed: it
 * schedules a refresh of the matching envelope (at most one a minute per
 * envelope); the refresh asks the provider, which stays the source of truth.
 */
export async function receiveTotvsSignCall(ctx: AppContext, body: unknown, query: unknown) {
  const documentId = documentIdOf(body, query);
  if (!documentId) {
    ctx.log.info("TOTVS Sign call without a document id");
    return { matched: false };
  }
  const envelope = await envelopeByProviderRef(ctx.db, "totvs-sign", documentId);
  if (!envelope) {
    ctx.log.info({ documentId }, "TOTVS Sign call for an unknown document");
    return { matched: false };
  }
  await queueProviderHintRefresh(ctx, ctx.db, envelope.id);
  ctx.notifyJobs();
  return { matched: true };
}
