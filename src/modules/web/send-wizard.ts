import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/server.js";
import { localeOf } from "../../platform/i18n/index.js";
import { requirePageUser } from "../auth/pages.js";
import { can } from "../auth/policies.js";
import { createEnvelope } from "../envelopes/commands/create-envelope.js";
import { defaultRecipients } from "../envelopes/default-recipients.js";
import { isDocumentLanguage, projectDocumentLanguage, type DocumentLanguage } from "../envelopes/document-language.js";
import { checkEnvelopeFiles } from "../envelopes/files.js";
import { processOfKind, type Process } from "../envelopes/processes.js";
import { resolveRecord } from "../envelopes/record-ref.js";
import { webMessages, type WebMessages } from "./messages.js";
import { isId, renderNotice, renderWeb, setFlash } from "./page-kit.js";
import { defaultDocumentName, isPageKind, recordView, type PageKind, type RecordView } from "./queries.js";
import { pathParams } from "../../platform/http/page-schemas.js";
import type { NotifyChannel, TextLimits } from "../../platform/providers/port.js";
import {
  actionsOffered, checkRows, checkTexts, decodeDraft, encodeDraft, keepUploads, readUploads, readWizardForm, rowFromRecipient, type WizardForm, rowsFromForm,
  type Draft, type DraftScope, type FieldErrors, type PartyContact,
} from "./send-draft.js";

type Step = 1 | 2 | 3;

interface Ctx {
  request: FastifyRequest;
  reply: FastifyReply;
  w: WebMessages;
  kind: PageKind;
  process: Process;
  view: RecordView;
  scope: DraftScope;
  contacts: PartyContact[];
  /** What the active provider offers: its notification channels and its subject/message limits, told beforehand. */
  channels: readonly NotifyChannel[];
  textLimits: TextLimits | null;
  /** The project's default language for documents. */
  language: DocumentLanguage;
}

function render(c: Ctx, step: Step, draft: Draft, extra: { errors?: FieldErrors; formError?: string; blanks?: number; focus?: string } = {}) {
  const errors = extra.errors ?? {};
  const rows = draft.recipients ?? [];
  const taken = new Set(rows.map((r) => r.email.toLowerCase()));
  if (Object.keys(errors).length > 0 || extra.formError) c.reply.status(c.reply.statusCode === 200 ? 400 : c.reply.statusCode);
  return renderWeb(c.request, c.reply, "send", {
    ...c.view,
    title: `${c.w.wizardTitle} · ${c.w.kinds[c.kind]} ${c.view.record.number}`,
    step,
    draft,
    state: encodeDraft(draft),
    rows,
    blanks: Math.min(extra.blanks ?? 1, 10),
    contacts: c.contacts.filter((p) => !taken.has(p.email.toLowerCase())),
    actions: actionsOffered,
    channels: c.channels,
    textLimits: c.textLimits,
    errors,
    firstError: firstErrorOf(errors, step),
    formError: extra.formError,
    focus: extra.focus,
  });
}

/** The control that receives focus: the first field in error, in the order the page shows them. */
function firstErrorOf(errors: FieldErrors, step: Step): string | null {
  const keys = Object.keys(errors);
  if (keys.length === 0) return null;
  if (step === 1) return ["name", "subject", "message", "language", "file"].find((k) => errors[k]) ?? keys[0]!;
  const rowKeys = keys.filter((k) => k.startsWith("r.")).sort((a, b) => {
    const [, ia] = a.split("."), [, ib] = b.split(".");
    const order = ["name", "email", "cpf", "phone", "notifyBy", "action", "order"];
    return Number(ia) - Number(ib) || order.indexOf(a.split(".")[2]!) - order.indexOf(b.split(".")[2]!);
  });
  return rowKeys[0] ?? (errors.recipients ? "recipients" : keys[0]!);
}

async function defaultsFor(c: Ctx): Promise<Draft["recipients"]> {
  const ctx = c.request.server.ctx;
  try {
    const record = await resolveRecord(ctx.db, c.process, c.view.record.id);
    return (await defaultRecipients(ctx, c.process, record)).map(rowFromRecipient);
  } catch (error) {
    // The defaults are a convenience: a broken rule must not block a manual send.
    c.request.log.warn({ err: error }, "default recipients failed; the wizard starts with none");
    return [];
  }
}

/** Opens the wizard's context, or answers 403/404 itself (and returns null). */
async function open(request: FastifyRequest, reply: FastifyReply, params: { kind: string; id: string }): Promise<Ctx | null> {
  if (!requirePageUser(request, reply)) return null;
  const w = webMessages(localeOf(request));
  const { kind, id } = params;
  const process = isPageKind(kind) ? processOfKind(kind) : null;
  const notFound = () => renderNotice(request, reply, 404, localeOf(request) === "en" ? "Not found" : "Não encontrado", localeOf(request) === "en" ? "This record does not exist." : "Este registro não existe.", { href: "/projects", label: w.projects });
  if (!process || !isId(id)) return void (await notFound()), null;
  if (!can(request.actor!, "envelopes:send")) {
    return void (await renderNotice(request, reply, 403, w.forbidden, w.forbiddenSend, { href: `/records/${kind}/${id}`, label: w.back })), null;
  }
  let view: RecordView;
  try {
    view = await recordView(request.server.ctx, kind as PageKind, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return void (await notFound()), null;
    throw error;
  }
  const actor = request.actor!;
  const scope: DraftScope = { userId: actor.kind === "user" ? actor.id : "system", kind, recordId: id };
  const contacts: PartyContact[] = (view.party.contacts ?? []).map((p: any) => ({ id: p.id, name: p.name, email: p.email, cpf: p.cpf, role: p.role }));
  const ctx = request.server.ctx;
  const provider = await ctx.providers.get(await ctx.providers.activeName());
  const language = await projectDocumentLanguage(ctx.db, view.project.id);
  return { request, reply, w, kind: kind as PageKind, process, view, scope, contacts, channels: provider.channels, textLimits: provider.textLimits, language };
}

const initialDraft = (c: Ctx): Draft => ({
  name: defaultDocumentName(c.view, c.w.kinds[c.kind]!),
  source: "report",
  uploads: [],
  recipients: null,
  signingOrder: false,
  subject: "",
  message: "",
  language: c.language,
});

function checkName(draft: Draft, w: WebMessages, errors: FieldErrors) {
  if (!draft.name.trim()) errors.name = w.errors.nameRequired;
  else if (draft.name.trim().length > 200) errors.name = w.errors.nameTooLong;
}

/** Step 1 → 2: name and source; a new upload is checked as a PDF now and kept in the blob store. */
async function submitIdentification(c: Ctx, draft: Draft, form: WizardForm) {
  const ctx = c.request.server.ctx;
  draft.name = (form.fields.name ?? "").trim();
  draft.source = form.fields.source === "upload" ? "upload" : "report";
  draft.subject = (form.fields.subject ?? "").trim().slice(0, 400);
  draft.message = (form.fields.message ?? "").trim().slice(0, 8000);
  const errors: FieldErrors = {};
  const language = form.fields.language;
  if (isDocumentLanguage(language)) draft.language = language;
  else if (language !== undefined) errors.language = c.w.errors.documentLanguage;
  checkName(draft, c.w, errors);
  Object.assign(errors, checkTexts(draft, c.w, c.textLimits));
  if (draft.source === "upload") {
    if (form.tooLarge) {
      errors.file = c.w.errors.fileTooLarge;
    } else if (form.files.length > 0) {
      try {
        await checkEnvelopeFiles(ctx, form.files);
        draft.uploads = await keepUploads(ctx, c.scope, form.files);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errors.file = error.code === "too_large" ? c.w.errors.fileTooLarge : error.messageIn(localeOf(c.request));
      }
    } else if (draft.uploads.length === 0) {
      errors.file = c.w.errors.fileRequired;
    }
  }
  if (Object.keys(errors).length > 0) return render(c, 1, draft, { errors, formError: c.w.fixErrors });
  if (draft.recipients === null) draft.recipients = await defaultsFor(c);
  return render(c, 2, draft);
}

async function send(c: Ctx, draft: Draft) {
  const ctx = c.request.server.ctx;
  const nameErrors: FieldErrors = {};
  checkName(draft, c.w, nameErrors);
  Object.assign(nameErrors, checkTexts(draft, c.w, c.textLimits));
  if (Object.keys(nameErrors).length > 0) return render(c, 1, draft, { errors: nameErrors, formError: c.w.fixErrors });
  const { errors, recipients } = checkRows(draft.recipients ?? [], c.w, c.channels);
  if (Object.keys(errors).length > 0) return render(c, 2, draft, { errors, formError: c.w.fixErrors });
  let uploads: { name: string; bytes: Uint8Array }[] = [];
  if (draft.source === "upload") {
    const files = draft.uploads.length > 0 ? await readUploads(ctx, c.scope, draft.uploads) : null;
    if (!files) return render(c, 1, { ...draft, uploads: [] }, { errors: { file: c.w.errors.uploadLost }, formError: c.w.fixErrors });
    uploads = files;
  }
  try {
    await createEnvelope(ctx, c.request.actor!, {
      process: c.process, recordId: c.view.record.id, name: draft.name, source: draft.source, recipients, signingOrder: draft.signingOrder, language: draft.language,
      subject: draft.subject || null, message: draft.message || null,
    }, uploads, { ip: c.request.ip, userAgent: c.request.headers["user-agent"] ?? null });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    c.reply.status(error.status);
    return render(c, 3, draft, { formError: c.w.errors.sendFailed.replace("{message}", error.messageIn(localeOf(c.request))) });
  }
  setFlash(c.reply, { key: "sent" });
  return c.reply.redirect(`/records/${c.kind}/${c.view.record.id}`, 303);
}

/**
 * "Enviar para assinatura": Identificação → Destinatários → Confirmação.
 * Each step is a plain form posted to the same URL (works without
 * JavaScript); the draft rides along in a hidden field.
 */
export const sendWizardPages: RouteModule = (app) => {
  app.get("/records/:kind/:id/send", { schema: { hide: true, params: pathParams("kind", "id") } }, async (request, reply) => {
    const c = await open(request, reply, request.params);
    if (!c) return reply;
    return render(c, 1, initialDraft(c));
  });

  app.post("/records/:kind/:id/send", { schema: { hide: true, params: pathParams("kind", "id") } }, async (request, reply) => {
    const c = await open(request, reply, request.params);
    if (!c) return reply;
    const form = await readWizardForm(request);
    const draft = decodeDraft(form.fields.state, initialDraft(c));
    const step = Number(form.fields.step) as Step;
    const nav = form.fields.nav ?? "next";

    if (step === 1) return submitIdentification(c, draft, form);

    if (step === 2) {
      const remove = /^remove:(\d{1,3})$/.exec(nav);
      draft.recipients = rowsFromForm(form.fields, c.contacts, remove ? Number(remove[1]) : null);
      draft.signingOrder = form.fields.signingOrder === "on";
      if (nav === "back") return render(c, 1, draft);
      if (nav === "add") {
        const blanks = (Number(form.fields.blanks) || 1) + 1;
        return render(c, 2, draft, { blanks, focus: `r.${draft.recipients.length + blanks - 1}.name` });
      }
      if (remove) return render(c, 2, draft);
      const { errors } = checkRows(draft.recipients, c.w, c.channels);
      if (Object.keys(errors).length > 0) return render(c, 2, draft, { errors, formError: c.w.fixErrors });
      return render(c, 3, draft);
    }

    if (step === 3) {
      if (nav === "back") return render(c, 2, draft);
      return send(c, draft);
    }
    return render(c, 1, draft);
  });
};
