/**
 * The SignatureProvider port: everything obrasign asks of an e-signature
 * service. The built-in provider (signing pages + seal) and TOTVS Assinatura
 * Eletrônica both implement it, so envelopes, jobs and the monitor never
 * know which one is behind.
 */

export type RecipientAction = "sign" | "validate" | "witness" | "observe" | "sign_certificate";
export const recipientActions = ["sign", "validate", "witness", "observe", "sign_certificate"] as const;

export type RecipientStatus = "pending" | "signed" | "validated" | "witnessed" | "rejected";

/** Statuses a provider can report; obrasign's own `draft`, `queued` and `failed` never come from one. */
export type ProviderEnvelopeStatus =
  | "draft"
  | "pending"
  | "partially_signed"
  | "completed"
  | "rejected"
  | "cancelled"
  | "expired";

export interface ProviderRecipient {
  name: string;
  email: string;
  action: RecipientAction;
  /** Signing order (1-based); null when the envelope has no order. */
  order: number | null;
  /** CPF or CNPJ digits, when known. */
  cpf?: string | null;
  /** How the recipient proves who they are: a provider account or a code by e-mail. */
  auth: "account" | "email_code";
  /** How the provider notifies them (default e-mail); WhatsApp and SMS need `phone`. */
  notifyBy?: NotifyChannel;
  /** Brazilian DDD + number, digits only (e.g. 11987654321). */
  phone?: string | null;
  /** A passport or foreign id, for a recipient without a CPF/CNPJ. */
  internationalId?: string | null;
}

export type NotifyChannel = "email" | "whatsapp" | "sms";
export const notifyChannels = ["email", "whatsapp", "sms"] as const;

/** What a provider accepts in the subject and message of its notifications, so senders are told beforehand. */
export interface TextLimits {
  subjectMaxLength: number;
  /** The characters kept (others are removed before sending), as the sender reads them. */
  allowedCharacters: string;
}

/**
 * Who sends: a user with a provider session, or the installation's service
 * user (automatic sending, status refresh) when `session` is absent.
 */
export interface ProviderAuthor {
  email: string;
  name: string;
  session?: { token: string; expiresAt: Date };
}

export interface ProviderFile {
  name: string;
  bytes: Uint8Array;
}

export interface SendInput {
  /** obrasign's envelope id, for providers that keep their own records of it. */
  envelopeId: string;
  name: string;
  files: ProviderFile[];
  recipients: ProviderRecipient[];
  signingOrder: boolean;
  expiresAt: Date | null;
  subject: string | null;
  message: string | null;
  allowRejection: boolean;
  reminderEveryDays: number | null;
  author: ProviderAuthor;
  /**
   * A provider reference saved by an earlier attempt that crashed between
   * creating the document and publishing it: reuse it, never create a second.
   */
  existingRef: string | null;
  /** Called as soon as the provider has a reference, before publishing, so it can be stored. */
  onReference(ref: string): Promise<void>;
}

export interface ProviderRecipientState {
  email: string;
  status: RecipientStatus;
  actedAt: Date | null;
  rejectionReason: string | null;
}

export interface ProviderState {
  status: ProviderEnvelopeStatus;
  rejectionReason: string | null;
  expiresAt: Date | null;
  recipients: ProviderRecipientState[];
}

export type DownloadKind = "original" | "signed";

export type ProviderName = "embedded" | "totvs-sign";

/** The envelope as a provider needs to see it to act on it (its own reference, its author). */
export interface ProviderEnvelope {
  id: string;
  providerRef: string | null;
  authorId: string | null;
  authorLabel: string;
}

export interface SignatureProvider {
  readonly name: ProviderName;
  /**
   * Whether its calls leave the installation: the refresh process rate-limits
   * remote providers; a local one (the built-in) answers from obrasign's own rows.
   */
  readonly remote: boolean;
  /** The channels it can notify recipients by (the built-in provider: e-mail only). */
  readonly channels: readonly NotifyChannel[];
  /** Limits on the subject and message, when the provider has any. */
  readonly textLimits: TextLimits | null;
  /** Who sends and asks on an envelope's behalf (its author's session, or the service user). */
  authorOf(envelope: ProviderEnvelope): Promise<ProviderAuthor>;
  /**
   * `status` is set when the document turned out to have ended at the
   * provider already (a retried send finding it cancelled in the portal): it
   * is then recorded as such and never published again.
   */
  send(input: SendInput): Promise<{ ref: string; status?: "cancelled" }>;
  status(ref: string, author: ProviderAuthor): Promise<ProviderState>;
  /**
   * Withdraws the document. "deleted" when the provider would not cancel it
   * and it was deleted instead (TOTVS Sign, §7), so the history can say so.
   */
  cancel(ref: string, author: ProviderAuthor): Promise<"cancelled" | "deleted" | void>;
  addRecipient(ref: string, recipient: ProviderRecipient, author: ProviderAuthor): Promise<void>;
  removeRecipient(ref: string, email: string, author: ProviderAuthor): Promise<void>;
  download(ref: string, kind: DownloadKind, author: ProviderAuthor): Promise<ProviderFile>;
  /** Notifies a pending recipient again (a new invitation, or the provider's own resend). */
  resend(envelope: ProviderEnvelope, recipient: { id: string; email: string }, author: ProviderAuthor): Promise<void>;
  /** After a recipient was added or removed: invite whoever may act now, or finish when nobody is left to act. */
  afterRecipientsChanged(envelope: ProviderEnvelope): Promise<void>;
  /** Whether the author has an account at the provider; creates it when asked. */
  ensureAuthor(
    author: { email: string; name: string; cpf?: string | null },
    options: { create: boolean },
  ): Promise<{ exists: boolean; created: boolean }>;
}

/**
 * Failures a user must understand and act on, each with a message in every
 * language (failure-messages.ts); the English `message` of the error stays
 * the technical account for logs.
 */
export type ProviderFailureCode =
  | "unknown_status" // the provider answered a document status the adapter does not know
  | "firewall_blocked" // the provider's firewall refused the file
  | "permission_denied" // the author's account lacks a permission at the provider
  | "login_refused" // wrong e-mail or password at the provider
  | "session_expired" // the author's own provider session ended
  | "signed_file_invalid" // the signed file is not a PDF, too large, or from a refused address
  | "resend_refused" // the provider does not resend at this stage
  | "not_found" // the provider no longer knows the document
  | "redirect_refused" // the provider's address answered a redirect, which is not followed
  | "address_refused"; // the provider's address is private or loopback, or plain http, and the installation does not allow it

/** A provider failure: `retryable` says whether the same call may succeed later. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly httpStatus?: number,
    /** Set for failures with a message in the reader's language. */
    readonly code?: ProviderFailureCode,
    /** Values for that message's placeholders. */
    readonly values: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/**
 * The providers of this installation (`ctx.providers`): generic code asks it
 * for an adapter and never names one.
 */
export interface ProviderDirectory {
  /** The provider new envelopes go to, from the global settings. */
  activeName(): Promise<ProviderName>;
  /** The adapter of a provider (an envelope keeps the provider it was sent with). */
  get(name: ProviderName): Promise<SignatureProvider>;
}
