import { z } from "zod";
import type { AppContext } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { defineJob, exponentialBackoff } from "../../../platform/jobs/registry.js";
import type { Schedule } from "../../../platform/jobs/schedules.js";
import { queueMail } from "../../../platform/mail/outbox.js";
import { recordEnvelopeEvent } from "../../envelopes/events.js";
import { lockEnvelope, moveEnvelope, openStatuses } from "../../envelopes/envelope-state.js";
import type { Manifest } from "../../../pades/pdf/manifest.js";
import { runTask } from "../../../platform/workers/index.js";
import { readEnvelopeFile } from "../../envelopes/stored-files.js";
import { sealDocument } from "../../seal/seal-document.js";
import { brandOf, completedMail, expiredMail } from "./mails.js";
import { remindPendingRecipients } from "./commands/remind-recipients.js";
import { activeRecipients, envelopeFiles, envelopeHistory, getEnvelopeRow, openEnvelopeIds, replaceSignedFiles, setFailureReason } from "../../envelopes/queries.js";
import { findUserById } from "../../auth/queries.js";
import { signedCopyOf } from "../../../platform/config.js";
import { generateSecret, hashSecret } from "../../../platform/crypto/tokens.js";
import type { EnvelopesTable } from "../../../platform/db/schema.js";
import type { Tx } from "../../../platform/db/transaction.js";
import { setRecipientLink } from "../../envelopes/recipients.js";

declare module "../../../platform/jobs/registry.js" {
  interface JobPayloads {
    "envelope.complete": { envelopeId: string };
  }
}

export const verifyUrlOf = (ctx: AppContext, envelopeId: string) => `${ctx.config.publicUrl}/verify?envelope=${envelopeId}`;

/** The signed files' names, in the envelope's language like their manifest. */
const signedNames = {
  "pt-BR": { signed: " (assinado).pdf", manifest: " (manifesto de assinaturas).pdf" },
  en: { signed: " (signed).pdf", manifest: " (signature manifest).pdf" },
} as const;

/**
 * Builds the signed file of each original: the original, plus the
 * "Manifesto de assinaturas" pages, plus the PAdES seal — both appended as
 * incremental updates, so earlier signatures in the file stay valid.
 */
async function sealEnvelopeFiles(ctx: AppContext, envelopeId: string, mayDowngrade: boolean) {
  const envelope = await getEnvelopeRow(ctx.db, envelopeId);
  const recipients = await activeRecipients(ctx.db, envelopeId);
  const originals = await envelopeFiles(ctx.db, envelopeId, "original");
  const acted = recipients.filter((r) => r.acted_at && r.action !== "observe");
  const events = (await envelopeHistory(ctx.db, envelopeId)).map((e) => ({ at: new Date(e.created_at), type: e.type, actor: e.actor_label }));
  const signed = [];
  const warnings: string[] = [];
  const levels: string[] = [];
  const separateManifests = [];
  for (const original of originals) {
    const bytes = await readEnvelopeFile(ctx, envelopeId, original.sha256);
    const manifest: Manifest = {
      documentName: envelope.name,
      envelopeId,
      originalSha256: original.sha256,
      verifyUrl: verifyUrlOf(ctx, envelopeId),
      locale: envelope.locale ?? "pt-BR",
      events,
      recipients: acted.map((r) => {
        const evidence = r.evidence ? JSON.parse(r.evidence) : {};
        return {
          name: r.name, email: r.email, ...(r.cpf ? { cpf: r.cpf } : {}), action: r.action, actedAt: new Date(r.acted_at!),
          ip: evidence.ip ?? "", userAgent: evidence.userAgent ?? "", method: evidence.method ?? "email_code",
          signature: { type: (r.signature_type ?? "typed") as "typed" | "drawn", value: r.signature_value ?? r.name },
        };
      }),
    };
    // A certified original (DocMDP P=2/3) must not get new pages: sealed as it
    // is, with its manifest as a separate sealed PDF of the envelope.
    const { certification } = await runTask(ctx, "pades.inspect", { bytes });
    const meta = { reason: `Envelope ${envelopeId}: ${envelope.name}`, location: "obrasign", name: "obrasign", signingTime: ctx.clock.now() };
    if (certification !== null) {
      const separate = await sealDocument(ctx, { manifestAlone: manifest }, meta, mayDowngrade);
      separateManifests.push({ name: original.name.replace(/\.pdf$/i, "") + signedNames[envelope.locale ?? "pt-BR"].manifest, timestampExpiresAt: separate.timestampExpiresAt ?? null, ...(await ctx.blobs.put(separate.bytes)) });
    }
    const sealed = await sealDocument(ctx, certification === null ? { pdf: bytes, appendManifest: manifest } : { pdf: bytes }, meta, mayDowngrade);
    warnings.push(...sealed.warnings);
    levels.push(sealed.level);
    const name = original.name.replace(/\.pdf$/i, "") + signedNames[envelope.locale ?? "pt-BR"].signed;
    signed.push({ name, position: original.position, timestampExpiresAt: sealed.timestampExpiresAt ?? null, ...(await ctx.blobs.put(sealed.bytes)) });
  }
  // After every document, so a document keeps the position of its original.
  const after = Math.max(-1, ...originals.map((o) => o.position)) + 1;
  separateManifests.forEach((m, i) => signed.push({ ...m, position: after + i }));
  return { signed, warnings, levels };
}

/** Attempts that wait for the time-stamp authority before sealing at a lower level (backoff 5 s, 10 s). */
const TSA_PATIENT_ATTEMPTS = 2;
/**
 * Every participant (signers, validators, witnesses, observers) and the
 * author get the signed copy: attached while the files fit the mail's size
 * limit, else a link — for a recipient a fresh personal link to the
 * finished document (valid for the configured days), for the author the
 * envelope's page in the monitor.
 */
async function mailSignedCopies(ctx: AppContext, tx: Tx, envelope: Pick<EnvelopesTable, "id" | "name" | "author_id" | "locale">, signed: { name: string; sha256: string; size: number }[]) {
  const { attachUpToBytes, linkDays } = signedCopyOf(ctx.config);
  const attach = signed.reduce((sum, f) => sum + f.size, 0) <= attachUpToBytes;
  const attachments = attach ? signed.map((f) => ({ filename: f.name, sha256: f.sha256 })) : undefined;
  const brand = await brandOf(ctx, tx);
  const verifyUrl = verifyUrlOf(ctx, envelope.id);
  const recipients = await activeRecipients(tx, envelope.id);
  for (const recipient of recipients) {
    if (attach) {
      await queueMail(ctx, tx, { ...completedMail(brand, envelope, recipient, verifyUrl, { attached: true }), attachments, envelopeId: envelope.id });
      continue;
    }
    const token = generateSecret("sig");
    await setRecipientLink(tx, recipient.id, hashSecret(token), ctx.clock.now().toISOString(), "copy");
    const link = `${ctx.config.publicUrl}/sign/${token}`;
    await queueMail(ctx, tx, { ...completedMail(brand, envelope, recipient, verifyUrl, { attached: false, link, days: linkDays || null }), envelopeId: envelope.id, secrets: [token] });
  }
  const author = envelope.author_id ? await findUserById({ db: tx }, envelope.author_id) : null;
  if (author && !recipients.some((r) => r.email === author.email)) {
    const delivery = attach ? { attached: true as const } : { attached: false as const, link: `${ctx.config.publicUrl}/monitor/envelopes/${envelope.id}`, days: null };
    await queueMail(ctx, tx, { ...completedMail(brand, envelope, author, verifyUrl, delivery), attachments, envelopeId: envelope.id });
  }
}

export const completeEnvelopeJob = defineJob({
  name: "envelope.complete",
  schema: z.object({ envelopeId: z.string() }),
  retry: { maxAttempts: 5, backoffMs: exponentialBackoff(5_000, 5 * 60_000) },
  async handler(ctx, { envelopeId }, job) {
    const before = await getEnvelopeRow(ctx.db, envelopeId);
    if (!openStatuses.includes(before.status)) return;
    const { signed, warnings, levels } = await sealEnvelopeFiles(ctx, envelopeId, job.attempts > TSA_PATIENT_ATTEMPTS);
    await inTransaction(ctx, async (tx) => {
      const envelope = await lockEnvelope(ctx, tx, envelopeId);
      if (!openStatuses.includes(envelope.status)) return;
      const now = ctx.clock.now().toISOString();
      await replaceSignedFiles(tx, envelopeId, signed, now);
      // A TSA that stayed down lowers the level, visibly: the event says why, the manifest and /verify say which level.
      if (warnings.length) await recordEnvelopeEvent(ctx, tx, envelopeId, "envelope.seal_warning", { label: "obrasign" }, { warnings: warnings.slice(0, 10), levels });
      await moveEnvelope(ctx, tx, envelope, "completed", { label: "obrasign" }, { set: { completed_at: now, last_checked_at: now }, data: { signed: signed.map((f) => f.sha256), levels } });
      await mailSignedCopies(ctx, tx, envelope, signed);
    });
    ctx.notifyJobs();
  },
  // Everyone signed but the sealed file could not be built: say so on the envelope instead of leaving it silently half-done.
  async onGiveUp(ctx, { envelopeId }, error) {
    await inTransaction(ctx, async (tx) => {
      const envelope = await lockEnvelope(ctx, tx, envelopeId);
      if (!openStatuses.includes(envelope.status)) return;
      const reason = `The signed file could not be sealed: ${error.message}`.slice(0, 1000);
      await setFailureReason(tx, envelopeId, reason, ctx.clock.now().toISOString());
      await recordEnvelopeEvent(ctx, tx, envelopeId, "envelope.seal_failed", { label: "obrasign" }, { reason });
    });
  },
});

/**
 * A built-in envelope whose deadline passed becomes expired: its links die
 * and the author is told. Re-checked under the envelope's lock, so two
 * workers (or a refresh racing the schedule) expire it once.
 */
export async function expireIfDue(ctx: AppContext, id: string): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  const expired = await inTransaction(ctx, async (tx) => {
    const envelope = await lockEnvelope(ctx, tx, id);
    if (envelope.provider !== "embedded" || !openStatuses.includes(envelope.status) || !envelope.expires_at || envelope.expires_at > now) return false;
    await moveEnvelope(ctx, tx, envelope, "expired", { label: "obrasign" }, { set: { completed_at: now } });
    const brand = await brandOf(ctx, tx);
    const author = envelope.author_id ? await findUserById({ db: tx }, envelope.author_id) : null;
    if (author) await queueMail(ctx, tx, { ...expiredMail(brand, envelope, author), envelopeId: id });
    // Whoever got a link (it died with the deadline) is told, not left to find out; those never invited heard of nothing.
    for (const recipient of await activeRecipients(tx, id)) {
      if (!recipient.invited_at || recipient.email === author?.email) continue;
      await queueMail(ctx, tx, { ...expiredMail(brand, envelope, recipient, "recipient"), envelopeId: id });
    }
    return true;
  });
  if (expired) ctx.notifyJobs();
  return expired;
}

/** Every built-in envelope whose deadline passed (the schedule's sweep). */
export async function expireDueEnvelopes(ctx: AppContext): Promise<number> {
  const due = await openEnvelopeIds(ctx.db, "embedded", { expiredBy: ctx.clock.now().toISOString() });
  let expired = 0;
  for (const id of due) if (await expireIfDue(ctx, id)) expired++;
  return expired;
}


export const embeddedSchedules: Schedule[] = [
  { name: "expire envelopes", pattern: "0 * * * * *", run: expireDueEnvelopes },
  { name: "remind recipients", pattern: "0 7 * * * *", run: remindPendingRecipients },
];
