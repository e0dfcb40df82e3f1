import type { Actor, AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { enqueue } from "../../../platform/jobs/queue.js";
import { defaultRecipients } from "../default-recipients.js";
import { sourceOfActor, recordEnvelopeEvent } from "../events.js";
import { checkEnvelopeFiles, safeFileName, type IncomingFile } from "../files.js";
import { resolveRecord } from "../record-ref.js";
import { renderProcessReport } from "../report-input.js";
import { envelopeCreate, checkRecipients, duplicateCpf, recipientInput, unsupportedChannel, type EnvelopeCreate, type RecipientInput } from "../schemas.js";
import { getEnvelope } from "../queries.js";
import { envelopeSearchText, searchTermsOf } from "../search-terms.js";
import { z } from "zod";

export interface CreateEnvelopeOptions {
  /** Where the request came from, for the history. */
  ip?: string | null;
  userAgent?: string | null;
  /** Automatic sending: one envelope per record and trigger, ever. */
  triggerKey?: string;
}

/** Recipients given, or else the project's defaults; either way checked again (someone must sign). */
async function recipientsFor(ctx: AppContext, input: EnvelopeCreate, record: { row: any; projectId: string }): Promise<RecipientInput[]> {
  const recipients = input.recipients?.length ? input.recipients : await defaultRecipients(ctx, input.process, record);
  if (recipients.length === 0) {
    throw new AppError("unprocessable", "recipients: none given and the project has no default recipients for this process", { recipients: "none given and no defaults for this process" });
  }
  const parsed = z.array(recipientInput).superRefine((r, c) => checkRecipients(r, c, ["recipients"])).safeParse(recipients);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ["recipients", ...issue.path].join(".").replace("recipients.recipients", "recipients");
    throw new AppError("unprocessable", `${field}: ${issue.message}`, { [field]: issue.message });
  }
  const twice = duplicateCpf(parsed.data);
  if (twice) throw new AppError("unprocessable", `${twice.field}: ${twice.message}`, { [twice.field]: twice.message });
  return parsed.data;
}

/**
 * Creates an envelope for a record and queues it for sending: the envelope,
 * its files, recipients, the history event and the send job commit together.
 * The worker sends it; a crash after commit loses nothing.
 */
export async function createEnvelope(ctx: AppContext, actor: Actor, rawInput: unknown, uploads: IncomingFile[] = [], options: CreateEnvelopeOptions = {}) {
  const input = envelopeCreate.parse(rawInput);
  const source = input.source ?? (uploads.length > 0 ? "upload" : "report");
  if (source === "upload" && uploads.length === 0) throw new AppError("validation", "file: an upload needs at least one PDF file part", { file: "required for source upload" });
  if (source === "report" && uploads.length > 0) throw new AppError("validation", "source: files were sent, so source must be upload", { source: "must be upload when files are sent" });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt.length === 10 ? `${input.expiresAt}T23:59:59.999-03:00` : input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= ctx.clock.now().getTime()) throw new AppError("validation", "expiresAt: must be in the future", { expiresAt: "must be in the future" });
  const record = await resolveRecord(ctx.db, input.process, input.recordId);
  const recipients = await recipientsFor(ctx, input, record);
  const provider = await ctx.providers.activeName();
  const channels = (await ctx.providers.get(provider)).channels;
  const channel = unsupportedChannel(recipients, channels);
  if (channel) throw new AppError("validation", `${channel.field}: ${channel.message}`, { [channel.field]: channel.message });

  let files: { name: string; bytes: Uint8Array; pageCount: number }[];
  let name = input.name;
  if (source === "report") {
    const report = await renderProcessReport(ctx, input.process, input.recordId, recipients, { locale: input.locale, template: input.report });
    files = [{ name: report.fileName, bytes: report.bytes, pageCount: 0 }];
    name ??= report.title;
  } else {
    if (!name) throw new AppError("validation", "name: is required", { name: "is required" });
    files = (await checkEnvelopeFiles(ctx, uploads)).map((f) => ({ name: safeFileName(f.name), bytes: f.bytes, pageCount: f.inspection.pageCount }));
  }
  const stored = await Promise.all(files.map(async (f) => ({ ...f, ...(await ctx.blobs.put(f.bytes)) })));

  const signingOrder = input.signingOrder ?? recipients.some((r) => r.order != null);
  const terms = await searchTermsOf(ctx.db, input.process, input.recordId);
  const id = newId();
  const now = ctx.clock.now().toISOString();

  await inTransaction(ctx, async (tx) => {
    await tx
      .insertInto("envelopes")
      .values({
        id, project_id: record.projectId, process: input.process, record_id: input.recordId, name: name!, status: "queued", provider,
        provider_ref: null, author_id: actor.kind === "user" ? actor.id : null, author_label: actor.kind === "user" ? `${actor.name} <${actor.email}>` : "obrasign (envio automático)",
        source, signing_order: signingOrder ? 1 : 0, subject: input.subject ?? null, message: input.message ?? null,
        allow_rejection: input.allowRejection === false ? 0 : 1, reminder_every_days: input.reminderEveryDays ?? null,
        expires_at: expiresAt?.toISOString() ?? null, failure_reason: null, rejection_reason: null, trigger_key: options.triggerKey ?? null,
        created_at: now, updated_at: now, sent_at: null, completed_at: null, last_checked_at: null,
        contract_number: terms.contractNumber, party_name: terms.partyName, search_text: envelopeSearchText(name!, terms, recipients),
        locale: input.locale ?? null,
      })
      .execute();
    await tx
      .insertInto("envelope_files")
      .values(stored.map((f, position) => ({ id: newId(), envelope_id: id, kind: "original" as const, position, name: f.name, sha256: f.sha256, size: f.size, page_count: f.pageCount || null, created_at: now })))
      .execute();
    await tx
      .insertInto("recipients")
      .values(recipients.map((r, position) => ({
        id: newId(), envelope_id: id, position, name: r.name, email: r.email, cpf: r.cpf ?? null, action: r.action,
        sign_order: signingOrder ? (r.order ?? position + 1) : null, auth: r.auth, phone: r.phone ?? null, notify_channel: r.notifyBy, status: "pending" as const, acted_at: null, rejection_reason: null,
        token_hash: null, invited_at: null, reminded_at: null, signature_type: null, signature_value: null, evidence: null, removed_at: null, opened_at: null,
      })))
      .execute();
    await recordEnvelopeEvent(ctx, tx, id, "envelope.created", sourceOfActor(actor, options.ip, options.userAgent), {
      source, files: stored.map((f) => ({ name: f.name, sha256: f.sha256 })), recipients: recipients.length, provider,
    });
    await enqueue(ctx, tx, "envelope.send", { envelopeId: id }, { dedupeKey: `send:${id}:1` });
  });
  ctx.notifyJobs();
  return getEnvelope(ctx, id);
}
