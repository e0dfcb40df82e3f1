import { z } from "zod";
import { notifyChannels, recipientActions } from "../../platform/providers/port.js";
import { brazilianPhoneField, cpfOrCnpjField, emailField, idField } from "../../platform/validation/fields.js";
import { processes } from "./processes.js";
import { documentLanguages } from "./document-language.js";

const recipientFields = z.strictObject({
  name: z.string().trim().min(1, { message: "is required" }).max(200),
  email: emailField,
  action: z.enum(recipientActions, { message: `must be one of ${recipientActions.join(", ")}` }),
  order: z.number().int().min(1).max(100).nullable().optional(),
  cpf: cpfOrCnpjField.nullable().optional(),
  auth: z.enum(["email_code", "account"]).default("email_code"),
  /** Brazilian DDD + number; stored as digits only. Needed for WhatsApp and SMS. */
  phone: brazilianPhoneField.nullable().optional(),
  /** How the provider notifies them: e-mail (every provider), WhatsApp or SMS (TOTVS Sign only). */
  notifyBy: z.enum(notifyChannels, { message: `must be one of ${notifyChannels.join(", ")}` }).default("email"),
});

/** WhatsApp and SMS go to a phone: without one the field at fault is the phone. */
function checkChannel(r: { notifyBy: string; phone?: string | null }, ctx: z.RefinementCtx) {
  if (r.notifyBy !== "email" && !r.phone) ctx.addIssue({ code: "custom", path: ["phone"], message: `is required to notify by ${r.notifyBy}` });
}

export const recipientInput = recipientFields.superRefine(checkChannel);
export type RecipientInput = z.infer<typeof recipientInput>;

/**
 * A provider that notifies by e-mail only (the built-in one) refuses another
 * channel, naming the field, rather than sending silently by e-mail.
 */
export function unsupportedChannel(recipients: Pick<RecipientInput, "notifyBy">[], channels: readonly string[], prefix = "recipients."): { field: string; message: string } | null {
  const message = channels.length === 1 && channels[0] === "email" ? "must be email: the built-in provider notifies by e-mail only" : `must be one of ${channels.join(", ")}`;
  for (const [i, r] of recipients.entries()) {
    if (!channels.includes(r.notifyBy)) return { field: `${prefix}${i}.notifyBy`, message };
  }
  return null;
}

/** Recipients of one envelope: e-mails unique, and someone must sign. */
export function checkRecipients(recipients: RecipientInput[], ctx: z.RefinementCtx, path: (string | number)[] = ["recipients"]) {
  const seen = new Map<string, number>();
  recipients.forEach((r, i) => {
    if (seen.has(r.email)) ctx.addIssue({ code: "custom", path: [...path, i, "email"], message: `appears twice in this envelope (also recipient ${seen.get(r.email)! + 1})` });
    seen.set(r.email, i);
  });
  if (recipients.length > 0 && !recipients.some((r) => r.action === "sign" || r.action === "sign_certificate")) {
    ctx.addIssue({ code: "custom", path, message: "must include at least one recipient who signs (action sign or sign_certificate)" });
  }
}

/**
 * One CPF per person: two recipients of an envelope with the same CPF are one
 * person signing twice (or a typing error), refused as 422 naming the field.
 * A CNPJ may repeat: several representatives sign for one company.
 */
export function duplicateCpf(recipients: { cpf?: string | null; email: string }[], offset = 0): { field: string; message: string } | null {
  const seen = new Map<string, number>();
  for (const [i, r] of recipients.entries()) {
    if (!r.cpf || r.cpf.length !== 11) continue;
    const earlier = seen.get(r.cpf);
    if (earlier !== undefined) return { field: `recipients.${i + offset}.cpf`, message: `is the CPF of recipient ${earlier + 1} too: one CPF per person in an envelope` };
    seen.set(r.cpf, i);
  }
  return null;
}

const isoDateTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(s) && !Number.isNaN(Date.parse(s)), { message: "must be an ISO date or date-time" });

export const envelopeCreate = z
  .strictObject({
    process: z.enum(processes, { message: `must be one of ${processes.join(", ")}` }),
    recordId: idField,
    /** Defaults to the report's title when the process report is sent. */
    name: z.string().trim().min(1, { message: "is required" }).max(200).optional(),
    source: z.enum(["report", "upload"]).optional(),
    recipients: z.array(recipientInput).max(50).optional(),
    signingOrder: z.boolean().optional(),
    expiresAt: isoDateTime.nullable().optional(),
    subject: z.string().trim().max(200).nullable().optional(),
    message: z.string().trim().max(4000).nullable().optional(),
    allowRejection: z.boolean().optional(),
    reminderEveryDays: z.number().int().min(1).max(60).nullable().optional(),
    report: z.string().max(100).optional(),
    /** The documents' and the recipients' mails' language; the project's default when omitted. */
    language: z.enum(documentLanguages, { message: `must be one of ${documentLanguages.join(", ")}` }).optional(),
    /** The former name of `language`, still accepted; `language` wins when both are sent. */
    locale: z.enum(documentLanguages, { message: `must be one of ${documentLanguages.join(", ")}` }).optional(),
  })
  .superRefine((value, ctx) => value.recipients && checkRecipients(value.recipients, ctx));
export type EnvelopeCreate = z.infer<typeof envelopeCreate>;

export const envelopeStatuses = ["draft", "queued", "pending", "partially_signed", "completed", "rejected", "cancelled", "expired", "failed"] as const;

export const envelopeListQuery = z.strictObject({
  status: z.string().optional().refine((s) => !s || s.split(",").every((v) => (envelopeStatuses as readonly string[]).includes(v)), { message: `must be among ${envelopeStatuses.join(", ")}` }),
  process: z.enum(processes).optional(),
  projectId: idField.optional(),
  recordId: idField.optional(),
  authorId: idField.optional(),
  recipient: z.string().trim().max(200).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EnvelopeListQuery = z.infer<typeof envelopeListQuery>;
