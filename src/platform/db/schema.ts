/**
 * The database as Kysely sees it. Both dialects share one schema: ids are
 * text (UUIDv7), timestamps are ISO-8601 UTC text (they sort as text),
 * booleans are 0/1 integers, money is integer cents (bigint), quantities are
 * integers scaled by 10^4, and JSON is text.
 */
import type { Generated, Selectable } from "kysely";

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: "admin" | "manager" | "viewer";
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  /** The page language the user chose at /account; null follows the browser. */
  locale: "pt-BR" | "en" | null;
}

/** An administrator's invitation: a one-time link that signs the new user in to set a password. */
export interface UserInvitationsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface RecordColumns {
  id: string;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ProjectsTable extends RecordColumns {
  code: string;
  name: string;
  address: string | null;
  manager_user_id: string | null;
  status: "active" | "closed";
}

export interface PartiesTable extends RecordColumns {
  kind: "supplier" | "customer";
  name: string;
  document: string;
}

export interface PartyContactsTable {
  id: string;
  party_id: string;
  position: number;
  name: string;
  email: string;
  cpf: string | null;
  role: string | null;
}

export interface ContractsTable extends RecordColumns {
  project_id: string;
  party_id: string;
  number: string;
  kind: string;
  object: string;
  start_date: string;
  end_date: string;
  status: "draft" | "approved" | "active" | "closed" | "cancelled";
  total_cents: number;
  locked_at: string | null;
}

export interface ContractItemsTable {
  id: string;
  contract_id: string;
  position: number;
  code: string;
  description: string;
  unit: string;
  quantity_e4: number;
  unit_price_cents: number;
  total_cents: number;
}

export interface AmendmentsTable extends RecordColumns {
  contract_id: string;
  number: string;
  kind: "value" | "term" | "scope";
  value_delta_cents: number;
  new_end_date: string | null;
  description: string;
  status: "draft" | "approved" | "applied";
}

export interface AmendmentItemsTable {
  id: string;
  amendment_id: string;
  contract_item_id: string;
  quantity_delta_e4: number;
}

export interface PeriodsTable extends RecordColumns {
  contract_id: string;
  number: number;
  start_date: string;
  end_date: string;
  status: "open" | "closed" | "released";
}

export interface MeasurementsTable extends RecordColumns {
  contract_id: string;
  period_id: string;
  number: number;
  status: "draft" | "approved" | "released";
  total_cents: number;
}

export interface MeasurementLinesTable {
  id: string;
  measurement_id: string;
  contract_item_id: string;
  position: number;
  quantity_e4: number;
  total_cents: number;
}

export interface AdvancesTable extends RecordColumns {
  contract_id: string;
  number: string;
  amount_cents: number;
  due_date: string;
  status: "requested" | "approved" | "paid";
}

/** Domain events: every record transition, written with it (automatic sending reads these). */
export interface RecordEventsTable {
  id: string;
  record_kind: string;
  record_id: string;
  project_id: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  created_at: string;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  content: Buffer | null;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ProviderSessionsTable {
  user_id: string;
  provider: string;
  account_email: string;
  token_encrypted: string;
  expires_at: string;
  created_at: string;
}

export interface SealIdentitiesTable {
  id: string;
  source: "generated" | "pfx";
  subject: string;
  certificate_pem: string;
  chain_pem: string;
  ca_pem: string | null;
  private_key_encrypted: string;
  fingerprint: string;
  active: number;
  created_at: string;
  /** The installation CA's private key (generated identities), sealed by the secret box. */
  ca_key_encrypted: string | null;
  /** JSON: what the .pfx's revocation data (CRL/OCSP) said when last fetched. */
  revocation_info: string | null;
}

export interface SealRevocationsTable {
  serial: string;
  ca_fingerprint: string;
  identity_id: string | null;
  reason: "keyCompromise" | "superseded" | "cessationOfOperation" | "unspecified";
  revoked_at: string;
}

export interface SealTrustAnchorsTable {
  id: string;
  fingerprint: string;
  subject: string;
  certificate_pem: string;
  /** Why it is trusted: an uploaded root, the root of an installed .pfx, a time-stamp authority's CA. */
  purpose: "uploaded" | "pfx" | "tsa";
  valid_to: string;
  created_at: string;
}

export type EnvelopeStatus = "draft" | "queued" | "pending" | "partially_signed" | "completed" | "rejected" | "cancelled" | "expired" | "failed";

export interface EnvelopesTable {
  id: string;
  project_id: string;
  process: "contract" | "amendment" | "period" | "measurement" | "advance";
  record_id: string;
  name: string;
  status: EnvelopeStatus;
  provider: "embedded" | "totvs-sign";
  provider_ref: string | null;
  author_id: string | null;
  author_label: string;
  source: "report" | "upload";
  signing_order: number;
  subject: string | null;
  message: string | null;
  allow_rejection: number;
  reminder_every_days: number | null;
  expires_at: string | null;
  failure_reason: string | null;
  /** A ProviderFailureCode when the failure has a message in every language. */
  failure_code: string | null;
  /** The values of that code's message, as JSON (migration 012). */
  failure_values: string | null;
  /** The last refresh that failed for good (an answer the adapter cannot read); cleared by the next good one. */
  check_failure: string | null;
  check_failure_code: string | null;
  check_failure_values: string | null;
  rejection_reason: string | null;
  trigger_key: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  completed_at: string | null;
  last_checked_at: string | null;
  /** The contract and its party when the envelope was created (the monitor's columns). */
  contract_number: string | null;
  party_name: string | null;
  /** Name, contract number, party and recipients, folded (platform/db/search-text.ts) for the monitor's search. */
  search_text: string;
  /** The envelope's language (migration 009): its report's and its manifest's; null reads as pt-BR. */
  locale: "pt-BR" | "en" | null;
  version: Generated<number>;
}

export interface EnvelopeFilesTable {
  id: string;
  envelope_id: string;
  /** superseded: an earlier signed file, kept when its evidence was renewed (a copy of it still names the envelope at /verify). */
  kind: "original" | "signed" | "superseded";
  position: number;
  name: string;
  sha256: string;
  size: number;
  page_count: number | null;
  created_at: string;
  /** The last document timestamp's TSA certificate notAfter (migration 015); null without one. */
  timestamp_expires_at: string | null;
}

export interface RecipientsTable {
  id: string;
  envelope_id: string;
  position: number;
  name: string;
  email: string;
  cpf: string | null;
  action: "sign" | "validate" | "witness" | "observe" | "sign_certificate";
  sign_order: number | null;
  auth: "account" | "email_code";
  /** Brazilian DDD + number, digits only. */
  phone: string | null;
  /** How the provider notifies them (the built-in provider: always e-mail). */
  notify_channel: "email" | "whatsapp" | "sms";
  /** A passport or foreign id, for recipients without a CPF/CNPJ. */
  international_id: string | null;
  status: "pending" | "signed" | "validated" | "witnessed" | "rejected";
  acted_at: string | null;
  rejection_reason: string | null;
  token_hash: string | null;
  invited_at: string | null;
  reminded_at: string | null;
  signature_type: string | null;
  signature_value: string | null;
  evidence: string | null;
  removed_at: string | null;
  opened_at: string | null;
}

export interface SigningCodesTable {
  id: string;
  recipient_id: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
}

export interface EnvelopeEventsTable {
  id: string;
  envelope_id: string;
  type: string;
  actor_id: string | null;
  actor_label: string;
  ip: string | null;
  user_agent: string | null;
  data: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  status: "queued" | "running" | "done" | "failed";
  dedupe_key: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  progress_failed: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface MailsTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: string | null;
  status: "queued" | "sent" | "kept" | "failed";
  envelope_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** JSON list of one-time secrets in the text, blanked once the mail was delivered. */
  secrets: string | null;
}

/**
 * A throttle's counter (platform/throttle): hits in the window that started
 * at `window_started_ms`, and a lock (`strikes` locks so far). Instants are
 * epoch milliseconds so one statement can compare and add them.
 */
export interface ThrottleCountersTable {
  key: string;
  hits: number;
  window_started_ms: number;
  strikes: Generated<number>;
  locked_until_ms: number | null;
  updated_ms: number;
}

export type Job = Selectable<JobsTable>;
export type Envelope = Selectable<EnvelopesTable>;

export interface Database {
  blobs: BlobsTable;
  settings: SettingsTable;
  provider_sessions: ProviderSessionsTable;
  seal_identities: SealIdentitiesTable;
  seal_revocations: SealRevocationsTable;
  seal_trust_anchors: SealTrustAnchorsTable;
  envelopes: EnvelopesTable;
  envelope_files: EnvelopeFilesTable;
  recipients: RecipientsTable;
  signing_codes: SigningCodesTable;
  envelope_events: EnvelopeEventsTable;
  jobs: JobsTable;
  mails: MailsTable;
  throttle_counters: ThrottleCountersTable;
  users: UsersTable;
  user_invitations: UserInvitationsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  parties: PartiesTable;
  party_contacts: PartyContactsTable;
  contracts: ContractsTable;
  contract_items: ContractItemsTable;
  amendments: AmendmentsTable;
  amendment_items: AmendmentItemsTable;
  periods: PeriodsTable;
  measurements: MeasurementsTable;
  measurement_lines: MeasurementLinesTable;
  advances: AdvancesTable;
  record_events: RecordEventsTable;
}

// Outbound webhooks (src/modules/webhooks): merged into Database above.
export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event names. */
  events: string;
  /** SecretBox-sealed HMAC key; never returned. */
  secret_sealed: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  envelope_id: string | null;
  /** The exact JSON body sent on every attempt (the signature covers it). */
  body: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  job_id: string | null;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** Per-project, per-process signature parameters: the settings JSON, versioned. */
export interface ProjectSignatureSettingsTable {
  project_id: string;
  process: "contract" | "amendment" | "period" | "measurement" | "advance";
  settings: string;
  version: Generated<number>;
  updated_at: string;
  updated_by: string | null;
}

/** Who holds which role in a project (contract manager, …); the project manager is projects.manager_user_id. */
export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

export interface Database {
  project_signature_settings: ProjectSignatureSettingsTable;
  project_members: ProjectMembersTable;
}
