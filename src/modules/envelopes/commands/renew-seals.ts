import type { AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import type { Schedule } from "../../../platform/jobs/schedules.js";
import { runTask } from "../../../platform/workers/index.js";
import { sealHostCalls, timestampAuthorityOf } from "../../seal/seal-document.js";
import { recordEnvelopeEvent } from "../events.js";
import { envelopeFiles, getEnvelopeRow, signedFilesDueForRenewal, supersedeSignedFile } from "../queries.js";
import { readEnvelopeFile } from "../stored-files.js";

export const DEFAULT_RENEW_DAYS = 90;
/** Files renewed per sweep: each costs two TSA calls and the CRLs, so a backlog is worked off over the days. */
const SWEEP_LIMIT = 200;

export interface RenewalOutcome {
  envelopeId: string;
  file: string;
  outcome: "renewed" | "not-due" | "no-document-timestamp" | "not-extended" | "unavailable" | "changed";
  expiresAt: string | null;
  detail?: string;
}

const renewBefore = (ctx: AppContext, marginDays: number) => new Date(ctx.clock.now().getTime() + marginDays * 86400_000).toISOString();

/**
 * Renews one signed file's evidence (docs/decisions/013-evidence-levels.md):
 * a new DSS with today's revocation data and a new document timestamp,
 * appended as incremental updates by the `pades.renew` pool task. The new
 * file takes the signed file's place; the earlier one is kept as superseded
 * and the envelope's history says so (`envelope.seal_renewed`).
 */
async function renewFile(ctx: AppContext, file: { id: string; envelope_id: string; sha256: string; name?: string }, before: string): Promise<RenewalOutcome> {
  const name = file.name ?? file.sha256;
  const tsa = timestampAuthorityOf(ctx);
  if (!tsa) return { envelopeId: file.envelope_id, file: name, outcome: "unavailable", expiresAt: null, detail: "No time-stamp authority is configured (OBRASIGN_TSA_URL)" };
  const pdf = await readEnvelopeFile(ctx, file.envelope_id, file.sha256);
  const result = await runTask(ctx, "pades.renew", { pdf, renewBefore: before }, sealHostCalls(ctx, tsa));
  if ("unavailable" in result) return { envelopeId: file.envelope_id, file: name, outcome: "unavailable", expiresAt: null, detail: result.unavailable };
  if (!result.renewed) return { envelopeId: file.envelope_id, file: name, outcome: result.reason, expiresAt: result.expiresAt };
  // A TSA still signing with the certificate that is about to expire gives a timestamp that expires no later:
  // appending it would not extend the evidence, only grow the file at every sweep. Kept as it is, and said.
  if (!result.expiresAt || Date.parse(result.expiresAt) <= Date.parse(result.previousExpiresAt)) {
    ctx.log.warn({ envelopeId: file.envelope_id, expiresAt: result.previousExpiresAt }, "seal not renewed: the TSA's certificate expires no later than the last timestamp's");
    return { envelopeId: file.envelope_id, file: name, outcome: "not-extended", expiresAt: result.previousExpiresAt, detail: "the time-stamp authority's certificate expires no later than the last timestamp's" };
  }
  const stored = await ctx.blobs.put(result.bytes);
  const done = await inTransaction(ctx, async (tx) => {
    const now = ctx.clock.now().toISOString();
    const replaced = await supersedeSignedFile(tx, file.id, file.sha256, { sha256: stored.sha256, size: stored.size, timestampExpiresAt: result.expiresAt }, now);
    if (!replaced) return false;
    await recordEnvelopeEvent(ctx, tx, file.envelope_id, "envelope.seal_renewed", { label: "obrasign" }, {
      file: name, from: file.sha256, to: stored.sha256, previousExpiresAt: result.previousExpiresAt, expiresAt: result.expiresAt, ...(result.warnings.length ? { warnings: result.warnings.slice(0, 10) } : {}),
    });
    return true;
  });
  if (!done) return { envelopeId: file.envelope_id, file: name, outcome: "changed", expiresAt: null, detail: "the signed file changed meanwhile" };
  if (result.warnings.length) ctx.log.warn({ envelopeId: file.envelope_id, warnings: result.warnings }, "seal renewed with incomplete revocation data");
  return { envelopeId: file.envelope_id, file: name, outcome: "renewed", expiresAt: result.expiresAt };
}

/** Every signed file whose last document timestamp expires within `marginDays` (the sweep, and `obrasign seals renew`). */
export async function renewDueSeals(ctx: AppContext, options: { marginDays?: number; limit?: number } = {}): Promise<RenewalOutcome[]> {
  const before = renewBefore(ctx, options.marginDays ?? ctx.config.sealRenewDays ?? DEFAULT_RENEW_DAYS);
  const due = await signedFilesDueForRenewal(ctx.db, before, options.limit ?? SWEEP_LIMIT);
  const outcomes: RenewalOutcome[] = [];
  for (const file of due) {
    try {
      outcomes.push(await renewFile(ctx, file, before));
    } catch (error) {
      ctx.log.error({ envelopeId: file.envelope_id, err: (error as Error).message }, "seal renewal failed");
      outcomes.push({ envelopeId: file.envelope_id, file: file.name, outcome: "unavailable", expiresAt: null, detail: (error as Error).message });
    }
  }
  return outcomes;
}

/** One envelope's signed files, read from the files themselves (also those sealed before their expiry was recorded). */
export async function renewEnvelopeSeals(ctx: AppContext, envelopeId: string, marginDays: number): Promise<RenewalOutcome[]> {
  const before = renewBefore(ctx, marginDays);
  await getEnvelopeRow(ctx.db, envelopeId); // an unknown id is an error, not "nothing to renew"
  const files = await envelopeFiles(ctx.db, envelopeId, "signed");
  const outcomes: RenewalOutcome[] = [];
  for (const file of files) outcomes.push(await renewFile(ctx, file, before));
  return outcomes;
}

/** Daily, at 03:17: renews what is due; nothing without a TSA or with OBRASIGN_SEAL_RENEW_DAYS=0. */
export const scheduledSealRenewal: Schedule = {
  name: "renew seals",
  pattern: "0 17 3 * * *",
  run: async (ctx) => (timestampAuthorityOf(ctx) && (ctx.config.sealRenewDays ?? DEFAULT_RENEW_DAYS) > 0 ? renewDueSeals(ctx) : []),
};
