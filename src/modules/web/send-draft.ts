import { AppError } from "../../platform/errors.js";
import { controlCharacterMessage, controlCharacterPath } from "../../platform/validation/strings.js";
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../../platform/context.js";
import { brazilianPhoneField, cpfOrCnpjField, emailField } from "../../platform/validation/fields.js";
import { notifyChannels, recipientActions, type NotifyChannel, type TextLimits } from "../../platform/providers/port.js";
import { maxEnvelopeBytes, type IncomingFile } from "../envelopes/files.js";
import type { RecipientInput } from "../envelopes/schemas.js";
import { isDocumentLanguage, type DocumentLanguage } from "../envelopes/document-language.js";
import type { WebMessages } from "./messages.js";

/**
 * The send wizard's state. It travels between steps in one hidden field
 * (base64url JSON), so the server keeps nothing between requests and any
 * node can answer any step. Only the uploaded files' references need
 * protecting, and they carry their own MAC.
 */
export interface RecipientRow {
  name: string;
  email: string;
  cpf: string;
  action: string;
  order: string;
  phone: string;
  notifyBy: string;
}

/** A PDF uploaded at step 1, kept in the blob store until the send. */
export interface UploadRef {
  sha256: string;
  name: string;
  size: number;
  /** HMAC binding the blob to this user and this record: a reference cannot be forged or reused by someone else. */
  mac: string;
}

export interface Draft {
  name: string;
  source: "report" | "upload";
  uploads: UploadRef[];
  /** null until step 2 is first shown, when the project's defaults fill it. */
  recipients: RecipientRow[] | null;
  signingOrder: boolean;
  /** The notification's subject and message (optional; TOTVS Sign limits them, see checkTexts). */
  subject: string;
  message: string;
  /** The documents' language (report, manifest, recipients' mails): the project's default until the sender picks one. */
  language: DocumentLanguage;
}

export interface DraftScope {
  userId: string;
  kind: string;
  recordId: string;
}

export const actionsOffered = recipientActions;

export const encodeDraft = (draft: Draft) => Buffer.from(JSON.stringify(draft), "utf8").toString("base64url");

const str = (v: unknown, max = 300) => (typeof v === "string" ? v.slice(0, max) : "");

/** Reads a draft back; anything malformed is replaced by the defaults, never trusted further than its shape. */
export function decodeDraft(value: string | undefined, fallback: Draft): Draft {
  if (!value) return fallback;
  try {
    const raw = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (typeof raw !== "object" || raw === null) return fallback;
    return {
      name: str(raw.name, 400),
      source: raw.source === "upload" ? "upload" : "report",
      uploads: Array.isArray(raw.uploads)
        ? raw.uploads.slice(0, 20).map((u: any) => ({ sha256: str(u?.sha256, 64), name: str(u?.name, 200), size: Number(u?.size) || 0, mac: str(u?.mac, 64) }))
        : [],
      recipients: Array.isArray(raw.recipients) ? raw.recipients.slice(0, 50).map(rowOf) : null,
      signingOrder: raw.signingOrder === true,
      subject: str(raw.subject, 400),
      message: str(raw.message, 8000),
      language: isDocumentLanguage(raw.language) ? raw.language : fallback.language,
    };
  } catch {
    return fallback;
  }
}

const rowOf = (r: any): RecipientRow => ({
  name: str(r?.name, 200), email: str(r?.email, 254), cpf: str(r?.cpf, 30), action: str(r?.action, 30), order: str(r?.order, 5),
  phone: str(r?.phone, 30), notifyBy: str(r?.notifyBy, 10) || "email",
});

export const rowFromRecipient = (r: RecipientInput): RecipientRow => ({
  name: r.name, email: r.email, cpf: r.cpf ?? "", action: r.action, order: r.order == null ? "" : String(r.order),
  phone: r.phone ?? "", notifyBy: r.notifyBy ?? "email",
});

const uploadMac = (ctx: AppContext, scope: DraftScope, sha256: string, size: number) =>
  ctx.secrets.mac(`send-wizard-upload:${scope.userId}:${scope.kind}:${scope.recordId}:${sha256}:${size}`);

export async function keepUploads(ctx: AppContext, scope: DraftScope, files: IncomingFile[]): Promise<UploadRef[]> {
  return Promise.all(files.map(async (f) => {
    const { sha256, size } = await ctx.blobs.put(f.bytes);
    return { sha256, size, name: f.name, mac: uploadMac(ctx, scope, sha256, size) };
  }));
}

/** The uploaded files again, for the send: each reference must carry this user's and this record's MAC, and its blob must exist. */
export async function readUploads(ctx: AppContext, scope: DraftScope, refs: UploadRef[]): Promise<IncomingFile[] | null> {
  const files: IncomingFile[] = [];
  for (const ref of refs) {
    if (!/^[0-9a-f]{64}$/.test(ref.sha256) || ref.mac !== uploadMac(ctx, scope, ref.sha256, ref.size)) return null;
    try {
      files.push({ name: ref.name, bytes: await ctx.blobs.get(ref.sha256) });
    } catch {
      return null;
    }
  }
  return files;
}

export interface WizardForm {
  fields: Record<string, string>;
  files: IncomingFile[];
  /** A file went over 10 MB: it was dropped, and the rest of the form still read, so the step can say why. */
  tooLarge?: boolean;
}

/** The wizard's forms, urlencoded or (step 1, with a file) multipart, as one flat map. */
export async function readWizardForm(request: FastifyRequest): Promise<WizardForm> {
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  let tooLarge = false;
  if (request.isMultipart()) {
    let total = 0;
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const bytes = await part.toBuffer();
        // A file input left empty still sends a part with no name and no bytes.
        if (!part.filename && bytes.length === 0) continue;
        total += bytes.length;
        if (part.file.truncated || total > maxEnvelopeBytes) {
          tooLarge = true;
          continue;
        }
        files.push({ name: part.filename || `documento-${files.length + 1}.pdf`, bytes: new Uint8Array(bytes) });
      } else {
        fields[part.fieldname] = String(part.value ?? "");
      }
    }
  } else {
    for (const [key, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
      fields[key] = Array.isArray(value) ? String(value[value.length - 1] ?? "") : String(value ?? "");
    }
  }
  // Multipart fields skip the route validators: the same control-character rule, here.
  const bad = controlCharacterPath(fields);
  if (bad) throw new AppError("validation", `${String(bad[0])}: ${controlCharacterMessage}`, { [String(bad[0])]: controlCharacterMessage });
  return { fields, files, ...(tooLarge ? { tooLarge } : {}) };
}

export interface PartyContact {
  id: string;
  name: string;
  email: string;
  cpf: string | null;
  role: string | null;
}

/**
 * Step 2's rows as submitted: typed rows (blank ones dropped), then the
 * party's contacts that were ticked, each with the action chosen for it.
 */
export function rowsFromForm(fields: Record<string, string>, contacts: PartyContact[], removeIndex: number | null): RecipientRow[] {
  const indices = new Set<number>();
  for (const key of Object.keys(fields)) {
    const m = /^r\.(\d{1,3})\.(name|email|cpf|action|order|phone|notifyBy)$/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const rows: RecipientRow[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    if (i === removeIndex) continue;
    const row: RecipientRow = {
      name: (fields[`r.${i}.name`] ?? "").trim(),
      email: (fields[`r.${i}.email`] ?? "").trim(),
      cpf: (fields[`r.${i}.cpf`] ?? "").trim(),
      action: fields[`r.${i}.action`] ?? "sign",
      order: (fields[`r.${i}.order`] ?? "").trim(),
      phone: (fields[`r.${i}.phone`] ?? "").trim(),
      notifyBy: fields[`r.${i}.notifyBy`] ?? "email",
    };
    if (!row.name && !row.email && !row.cpf && !row.phone) continue;
    rows.push(row);
  }
  for (const contact of contacts) {
    if (fields[`contact.${contact.id}`] !== "on") continue;
    if (rows.some((r) => r.email.toLowerCase() === contact.email.toLowerCase())) continue;
    const action = fields[`contact.${contact.id}.action`];
    rows.push({ name: contact.name, email: contact.email, cpf: contact.cpf ?? "", action: (actionsOffered as readonly string[]).includes(action ?? "") ? action! : "sign", order: "", phone: "", notifyBy: "email" });
  }
  return rows.slice(0, 50);
}

export type FieldErrors = Record<string, string>;

/** Checks the rows as the envelope command will, with messages that name the row's value. */
export function checkRows(rows: RecipientRow[], w: WebMessages, channels: readonly NotifyChannel[] = ["email"]): { errors: FieldErrors; recipients: RecipientInput[] } {
  const errors: FieldErrors = {};
  const recipients: RecipientInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!row.name) errors[`r.${i}.name`] = w.errors.recipientName;
    const email = emailField.safeParse(row.email);
    if (!row.email) errors[`r.${i}.email`] = w.errors.recipientEmailRequired;
    else if (!email.success) errors[`r.${i}.email`] = w.errors.recipientEmail.replace("{email}", row.email);
    else if (seen.has(email.data)) errors[`r.${i}.email`] = w.errors.recipientDuplicate.replace("{n}", String(seen.get(email.data)! + 1));
    else seen.set(email.data, i);
    const cpf = row.cpf ? cpfOrCnpjField.safeParse(row.cpf) : null;
    if (cpf && !cpf.success) errors[`r.${i}.cpf`] = w.errors.recipientCpf.replace("{cpf}", row.cpf);
    const action = (actionsOffered as readonly string[]).includes(row.action) ? (row.action as RecipientInput["action"]) : null;
    if (!action) errors[`r.${i}.action`] = w.errors.recipientAction;
    let order: number | null = null;
    if (row.order) {
      order = /^\d{1,3}$/.test(row.order) ? Number(row.order) : NaN;
      if (!(order >= 1 && order <= 100)) errors[`r.${i}.order`] = w.errors.recipientOrder;
    }
    const phone = row.phone ? brazilianPhoneField.safeParse(row.phone) : null;
    if (phone && !phone.success) errors[`r.${i}.phone`] = w.errors.recipientPhone.replace("{phone}", row.phone);
    const notifyBy = (notifyChannels as readonly string[]).includes(row.notifyBy) ? (row.notifyBy as NotifyChannel) : null;
    if (!notifyBy || !channels.includes(notifyBy)) errors[`r.${i}.notifyBy`] = w.errors.recipientChannelEmbedded;
    else if (notifyBy !== "email" && !row.phone) errors[`r.${i}.phone`] = w.errors.recipientPhoneRequired.replace("{channel}", w.channels[notifyBy] ?? notifyBy);
    if (email.success && action && (!cpf || cpf.success) && (!phone || phone.success) && notifyBy) {
      recipients.push({
        name: row.name, email: email.data, cpf: cpf?.success ? cpf.data : null, action, order, auth: "email_code",
        phone: phone?.success ? phone.data : null, notifyBy,
      });
    }
  });
  if (rows.length === 0) errors.recipients = w.errors.noRecipients;
  else if (!rows.some((r) => r.action === "sign" || r.action === "sign_certificate")) errors.recipients = w.errors.noSigner;
  return { errors, recipients };
}

/** The characters of `text` a provider would drop (TOTVS Sign keeps letters, digits, spaces and a few signs), each once. */
export function refusedCharacters(text: string, limits: TextLimits): string[] {
  const allowed = new Set([...limits.allowedCharacters]);
  const found = [...text.normalize("NFC")].filter((ch) => !/[\p{L}\p{M}\p{N}\s]/u.test(ch) && !allowed.has(ch));
  return [...new Set(found)];
}

/**
 * Subject and message as the provider will take them: TOTVS Sign's limits
 * are told beforehand and checked here, so the sender fixes the text rather
 * than see it cut or stripped at sending. Without limits: the API's own.
 */
export function checkTexts(draft: Draft, w: WebMessages, limits: TextLimits | null): FieldErrors {
  const errors: FieldErrors = {};
  const subject = draft.subject.trim();
  const message = draft.message.trim();
  const fillIn = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
  if (!limits) {
    if (subject.length > 200) errors.subject = w.errors.subjectTooLongEmbedded;
    if (message.length > 4000) errors.message = w.errors.messageTooLong;
    return errors;
  }
  const length = [...subject].length;
  const badSubject = refusedCharacters(subject, limits);
  if (length > limits.subjectMaxLength) errors.subject = fillIn(w.errors.subjectTooLong, { max: limits.subjectMaxLength, length });
  else if (badSubject.length > 0) errors.subject = fillIn(w.errors.subjectCharacters, { found: badSubject.map((c) => `“${c}”`).join(" "), chars: limits.allowedCharacters });
  const badMessage = refusedCharacters(message, limits);
  if (message.length > 4000) errors.message = w.errors.messageTooLong;
  else if (badMessage.length > 0) errors.message = fillIn(w.errors.messageCharacters, { found: badMessage.map((c) => `“${c}”`).join(" "), chars: limits.allowedCharacters });
  return errors;
}
