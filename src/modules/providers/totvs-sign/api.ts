/**
 * Everything the adapter knows about TAE's wire format: paths, field names,
 * enum values, limits, and the translation to and from obrasign's port types.
 * Source: /work/shared/TAE-API.md (public integrations, no official spec), so
 * a correction to a path or a field must be a one-line change here and
 * nowhere else. [seen]/[one]/[gap] repeat that document's confidence marks.
 */
import type {
  NotifyChannel,
  ProviderEnvelopeStatus,
  ProviderRecipient,
  RecipientAction,
  RecipientStatus,
  SendInput,
} from "../../../platform/providers/port.js";

// ---------------------------------------------------------------- paths

/** Relative to the authentication URL setting (`…/identityintegration`). */
export const authPaths = {
  login: "/v2/auth/login", // [seen]; older "/api/auth/login", newer "/v3/auth/login"
  register: "/api/users/register", // [one]
  profile: "/api/users/profile", // [seen]
} as const;

/** Relative to the API URL setting (the host). */
export const apiPaths = {
  upload: "/documents/v1/envelopes/upload", // [seen]
  publish: "/documents/v1/publicacoes", // [seen]; also seen "/signintegration/v2/Publicacoes"
  status: (id: string) => `/documents/v2/publicacoes/${encodeURIComponent(id)}`, // [seen]
  search: (page: number, size: number) => `/documents/v2/publicacoes/pesquisas?PaginaAtual=${page}&TamanhoPagina=${size}`, // [seen]
  download: (id: string, kind: number) => `/documents/v1/publicacoes/${encodeURIComponent(id)}/download?tipoDownload=${kind}`, // [seen]
  // §7: answers the file as a URL string in `data`; asked only where v1 answers 404.
  downloadV2: (id: string, kind: number) => `/documents/v2/publicacoes/${encodeURIComponent(id)}/download?tipoDownload=${kind}`,
  cancel: (id: string) => `/documents/v1/publicacoes/${encodeURIComponent(id)}/cancelar`, // [seen]
  addRecipients: "/signintegration/v2/Publicacoes/destinatario-list", // [one]
  removeRecipient: "/signintegration/v2/Publicacoes/destinatario", // [one], DELETE with a JSON body
  // §7: DELETE with `{ idDocumento }`, allowed until the document is finished; recipients are told by e-mail.
  deleteDocument: "/signintegration/v2/Publicacoes",
  // §7: `{ listaDocumentos: [id] }`; only for documents in status 0 (pending).
  resendPending: "/signintegration/v2/Publicacoes/reenvia-email-pendentes",
  userByEmail: (email: string) => `/signintegration/v2/Usuarios/email-list?Filter=${encodeURIComponent(email)}&Take=10`, // [seen]
} as const;

// ---------------------------------------------------------------- limits and enums

/** 10 MB per envelope, all files together [seen]. */
export const maxEnvelopeBytes = 10 * 1024 * 1024;

/**
 * The most a downloaded file may weigh: the 10 MB of originals plus what TAE
 * adds (manifest pages, signatures); more than this is not a file we sent.
 */
export const maxDownloadBytes = 25 * 1024 * 1024;

export const uploadFields = { name: "NomeEnvelope", file: "Envelope", fileType: "application/pdf" } as const;

export const acaoOf: Record<RecipientAction, number> = {
  sign: 0,
  validate: 1,
  witness: 2,
  observe: 3, // never sent as a number: observers go in `observadores`
  sign_certificate: 4,
};

/**
 * `papelAssinante`: TAE offers a list of roles whose values read like "como
 * assinante", "como fiador" (§7); free text is unverified. These defaults
 * follow that style; the TOTVS Sign settings may replace each one with a
 * value from the company's own list.
 */
export type SignerRoles = Record<Exclude<RecipientAction, "observe">, string>;
export const defaultSignerRoles: SignerRoles = {
  sign: "como assinante",
  validate: "como validador",
  witness: "como testemunha",
  sign_certificate: "como assinante",
};

const tipoAutenticacao = { account: 1, email_code: 2 } as const;
const tipoIdentificacao = { cpfCnpj: 1, international: 2, none: 3 } as const;
const byEmail = 1; // tipoEnvioDocumento / tipoEnvioCodigo
/** `tipoEnvioDocumento`: 1 e-mail, 2 WhatsApp (no SMS for the document itself). */
const documentChannel: Record<NotifyChannel, number> = { email: 1, whatsapp: 2, sms: 1 };
/** `tipoEnvioCodigo`: 1 e-mail, 2 WhatsApp, 3 SMS; sent only with code-by-e-mail authentication (§7). */
const codeChannel: Record<NotifyChannel, number> = { email: 1, whatsapp: 2, sms: 3 };

/**
 * Subject and message: one client had to keep only letters (accents too),
 * digits, spaces and `_@.,()!?:+-%$`, and cut the subject to 60 characters,
 * after failed publishes (§7). Other characters are removed, line breaks
 * and runs of spaces become one space.
 */
export const textLimits = { subjectMaxLength: 60, allowedCharacters: "_@.,()!?:+-%$" } as const;
export function taeText(value: string, maxLength?: number): string {
  const kept = value
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(/[^\p{L}\p{M}\p{N} _@.,()!?:+\-%$]/gu, "")
    .replace(/ {2,}/g, " ")
    .trim();
  return maxLength ? [...kept].slice(0, maxLength).join("").trim() : kept;
}

export const tipoDownload = { original: 1, signed: 2, signedWithCertificate: 3, zip: 4 } as const;

/**
 * TAE publication `status` → port status [seen]; codes not listed are refused loudly.
 * 3 and 6, seen in some clients, are the portal's filters, not statuses (§7).
 * 5 is not here: it depends on whether the document was ever published (`documentStatus`).
 */
export const statusOf: Record<number, ProviderEnvelopeStatus> = {
  0: "pending",
  1: "partially_signed",
  2: "completed",
  4: "rejected",
  7: "cancelled",
};
export const draftStatusCode = 5;

/**
 * 5 is the status of an uploaded, unpublished draft, and also what a
 * cancelled document reads back as at some installations (one TOTVS module
 * maps 5 and 7 to "Cancelado", §7). A document that was published reads 5
 * only when cancelled: it must never be taken for a draft and published again.
 */
export function documentStatus(code: number, published: boolean): ProviderEnvelopeStatus | undefined {
  if (code === draftStatusCode) return published ? "cancelled" : "draft";
  return statusOf[code];
}

/** `statusTipoAssinatura` of an `assinantes` entry that refused ([gap]: "3 is probably rejection"). */
export const rejectedSignatureType = 3;

/** What a recipient who acted did, by `acao`. */
const actedStatusOf: Record<number, RecipientStatus> = { 0: "signed", 1: "validated", 2: "witnessed", 4: "signed" };

/** The message of a deleted or unknown document. */
export const notFoundMessage = "Documento não encontrado.";

// ---------------------------------------------------------------- envelopes

/** documents / signintegration: `{ success, data, errors, message }`; identityintegration: `{ succeeded, description, data }`. */
export interface Unwrapped {
  ok: boolean | null; // null: the body has neither flag
  data: unknown;
  message: string | null;
}

export function unwrap(body: unknown): Unwrapped {
  if (!body || typeof body !== "object") return { ok: null, data: body, message: null };
  const b = body as Record<string, unknown>;
  const flag = typeof b.success === "boolean" ? b.success : typeof b.succeeded === "boolean" ? b.succeeded : null;
  const errors = Array.isArray(b.errors) ? b.errors.filter((e) => typeof e === "string" && e.trim()) : [];
  // Login errors may come as `messages: [{ description }]` (§7).
  const listed = Array.isArray(b.messages) ? (b.messages as unknown[]).map((m) => (m as { description?: unknown })?.description ?? m) : [];
  const text = [b.message, b.description, errors[0], listed[0], b.title]
    .find((m): m is string => typeof m === "string" && m.trim() !== "") ?? null;
  return { ok: flag, data: "data" in b ? b.data : body, message: text };
}

// ---------------------------------------------------------------- requests

export function loginBody(email: string, password: string) {
  return { userName: email, password };
}

export function readLogin(data: unknown): { token: string; expiresAt: Date | null } {
  const d = (data ?? {}) as Record<string, unknown>;
  const token = typeof d.token === "string" ? d.token : typeof d.accessToken === "string" ? d.accessToken : null;
  if (!token) throw new Error("login answer without a token");
  return { token, expiresAt: parseTaeDate(d.expirationDate) };
}

function destinatario(recipient: ProviderRecipient, signingOrder: boolean, roles: SignerRoles) {
  const cpf = recipient.cpf?.replace(/\D/g, "") || null;
  const international = recipient.internationalId?.trim() || null;
  const channel = recipient.notifyBy ?? "email";
  const phone = recipient.phone?.replace(/\D/g, "") || null;
  const body: Record<string, unknown> = {
    email: recipient.email,
    acao: acaoOf[recipient.action],
    workflow: signingOrder ? (recipient.order ?? 0) : 0,
    papelAssinante: roles[recipient.action as keyof SignerRoles] ?? defaultSignerRoles.sign,
    nomeCompleto: recipient.name,
    tipoAutenticacao: tipoAutenticacao[recipient.auth],
    tipoIdentificacao: cpf ? tipoIdentificacao.cpfCnpj : international ? tipoIdentificacao.international : tipoIdentificacao.none,
    identificacao: cpf ?? international ?? "",
    notificaEnvio: true,
    tipoEnvioDocumento: documentChannel[channel],
  };
  // Clients send the code's channel only with code-by-e-mail; an account login has no code (§7).
  if (recipient.auth === "email_code") body.tipoEnvioCodigo = codeChannel[channel];
  if (channel !== "email" && phone) body.telefone = phone;
  return body;
}

function observador(recipient: ProviderRecipient) {
  return { email: recipient.email, tipoEnvioDocumento: byEmail };
}

export function publishBody(id: number, input: SendInput, roles: SignerRoles = defaultSignerRoles) {
  const acting = input.recipients.filter((r) => r.action !== "observe");
  const observers = input.recipients.filter((r) => r.action === "observe");
  const options: Record<string, unknown> = {
    idDocumento: id,
    solicitaAssinaturaManuscrita: false,
    permiteRejeitarDocumento: input.allowRejection,
  };
  const expires = input.expiresAt?.toISOString();
  if (expires) options.dataExpiracao = expires;
  const subject = input.subject ? taeText(input.subject, textLimits.subjectMaxLength) : "";
  const message = input.message ? taeText(input.message) : "";
  if (subject) options.assuntoMensagem = subject;
  if (message) options.corpoMensagem = message;
  if (input.reminderEveryDays) options.intervaloLembrete = input.reminderEveryDays;
  return {
    idDocumento: id,
    utilizaWorkflow: input.signingOrder,
    destinatarios: acting.map((r) => destinatario(r, input.signingOrder, roles)),
    observadores: observers.map(observador),
    responsavelAssinaDocumento: false,
    // TOTVS's newest client sends the deadline here, older ones in publicacaoOpcoes: both (§7).
    ...(expires ? { dataExpiracao: expires } : {}),
    publicacaoOpcoes: options,
  };
}

/** Adding to a published document: one recipient, as in publish; an observer is refused earlier. */
export function addRecipientsBody(id: number, recipient: ProviderRecipient, signingOrder: boolean, roles: SignerRoles = defaultSignerRoles) {
  return { idDocumento: id, destinatarios: [destinatario(recipient, signingOrder, roles)] };
}

export function removeRecipientBody(id: number, email: string) {
  return { idDocumento: id, emailDestinatario: email };
}

export function deleteBody(id: number) {
  return { idDocumento: id };
}

export function resendBody(id: number) {
  return { listaDocumentos: [id] };
}

/** TAE resends pending notifications only while the document is pending (§7: status 0). */
export const resendableStatusCodes: readonly number[] = [0];

export function searchBody(email: string, wholeCompany: boolean) {
  return { email, pesquisarEmTodaEmpresa: wholeCompany };
}

/** Only users tied to the licensed company may publish (§7): its CNPJ goes with each registration. */
export function registerBody(user: { email: string; name: string; cpf?: string | null; password: string }, companyCnpj: string | null = null) {
  return {
    email: user.email,
    password: user.password,
    fullName: user.name,
    cpf: user.cpf?.replace(/\D/g, "") || null,
    userType: 1,
    acceptedTerm: true,
    ...(companyCnpj ? { cnpjLicensedCompany: companyCnpj.replace(/\D/g, "") } : {}),
  };
}

// ---------------------------------------------------------------- responses

export function readDocumentId(data: unknown): number {
  const id = typeof data === "number" ? data : typeof data === "string" ? Number(data) : NaN;
  if (!Number.isInteger(id) || id <= 0) throw new Error("upload answer without a document id");
  return id;
}

export interface TaeActed {
  email: string;
  name: string | null;
  at: Date | null;
  acao: number;
  signatureType: number | null;
}

export interface TaePublication {
  statusCode: number;
  /**
   * Whether the status answer shows the document was published: it lists
   * recipients (who acted or who is pending). An unpublished draft has none.
   */
  published: boolean;
  rejectionReason: string | null;
  expiresAt: Date | null;
  acted: TaeActed[];
  pending: { email: string; acao: number }[];
}

export function readPublication(data: unknown): TaePublication {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d.status !== "number") throw new Error("status answer without a numeric status");
  const options = (d.publicacaoOpcoes ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const acted = list(d.assinantes);
  const pending = list(d.pendentes);
  return {
    statusCode: d.status,
    published: acted.length > 0 || pending.length > 0,
    rejectionReason: typeof d.motivoRejeicao === "string" && d.motivoRejeicao.trim() ? d.motivoRejeicao : null,
    expiresAt: parseTaeDate(options.dataExpiracao),
    acted: acted.map((a) => ({
      email: String(a.email ?? ""),
      name: typeof a.nome === "string" ? a.nome : null,
      at: parseTaeDate(a.data),
      acao: Number(a.acao ?? 0),
      signatureType: typeof a.statusTipoAssinatura === "number" ? a.statusTipoAssinatura : null,
    })),
    pending: pending.map((p) => ({ email: String(p.email ?? ""), acao: Number(p.acao ?? 0) })),
  };
}

export function actedStatus(acao: number): RecipientStatus {
  return actedStatusOf[acao] ?? "signed";
}

/** A download answer as TAE gave it: the bytes themselves, or where to fetch them (§7). */
export type TaeDownload = { kind: "bytes"; name: string; bytes: Uint8Array } | { kind: "url"; name: string; url: string };

const urlKeys = ["signedURL", "signedUrl", "url", "fileUrl", "downloadUrl"] as const;
const isUrl = (value: unknown): value is string => typeof value === "string" && /^https?:\/\//i.test(value.trim());

/**
 * `data.fileBytes` (base64, v1), `data.signedURL` (or a plain URL string as
 * `data`, v2), or the raw PDF itself (the client hands raw answers over as
 * bytes). The name defaults to documento.pdf.
 */
export function readDownload(data: unknown): TaeDownload {
  if (data instanceof Uint8Array) return { kind: "bytes", name: "documento.pdf", bytes: data };
  if (isUrl(data)) return { kind: "url", name: nameInUrl(data) ?? "documento.pdf", url: data.trim() };
  const d = (data ?? {}) as Record<string, unknown>;
  const name = typeof d.fileName === "string" && d.fileName.trim() ? d.fileName : "documento.pdf";
  if (typeof d.fileBytes === "string") return { kind: "bytes", name, bytes: new Uint8Array(Buffer.from(d.fileBytes, "base64")) };
  const url = urlKeys.map((k) => d[k]).find(isUrl);
  if (url) return { kind: "url", name: typeof d.fileName === "string" && d.fileName.trim() ? name : (nameInUrl(url) ?? name), url: url.trim() };
  throw new Error("download answer without fileBytes, a file URL or the file itself");
}

/** The file name a storage URL ends in (`…/contrato_assinado.pdf?X-Amz-…`), when it names a PDF. */
function nameInUrl(url: string): string | null {
  try {
    const last = decodeURIComponent(new URL(url.trim()).pathname.split("/").pop() ?? "");
    return /^[^\\/]{1,150}\.pdf$/i.test(last) ? last : null;
  } catch {
    return null;
  }
}

export function readUserEmails(data: unknown): string[] {
  const list = Array.isArray(data) ? data : Array.isArray((data as { items?: unknown })?.items) ? (data as { items: unknown[] }).items : [];
  return list.map((u) => (u as { email?: unknown }).email).filter((e): e is string => typeof e === "string");
}

export function readSearch(data: unknown): { total: number; items: { id: string; name: string | null; statusCode: number | null }[] } {
  const d = (data ?? {}) as Record<string, unknown>;
  const rows = Array.isArray(d.registro) ? (d.registro as Record<string, unknown>[]) : [];
  return {
    total: typeof d.total === "number" ? d.total : rows.length,
    items: rows.map((r) => ({
      id: String(r.idDocumento ?? r.id ?? ""),
      name: typeof r.nomeArquivo === "string" ? r.nomeArquivo : null,
      statusCode: typeof r.status === "number" ? r.status : null,
    })),
  };
}

/**
 * TAE dates: ISO 8601, usually without an offset (read as UTC), seconds
 * optional, and any number of fractional digits — `2022-12-05T17:27:35.146479`
 * (§7). Read by hand rather than by `Date.parse`, whose handling of such
 * strings is implementation-defined; fractions beyond milliseconds are cut.
 */
export function parseTaeDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", fraction = "", zone] = m;
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  const date = new Date(time);
  // Date.UTC rolls 2026-02-31 over into March: such a date is not one.
  if (Number.isNaN(time) || date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1) return null;
  return date;
}
