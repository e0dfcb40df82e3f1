import { eligibleNow } from "./eligibility.js";
import type { Locale } from "../../platform/i18n/index.js";
import { providerFailureText } from "../../platform/providers/failure-messages.js";
import type { EnvelopeEventsTable, EnvelopeFilesTable, EnvelopesTable, RecipientsTable } from "../../platform/db/schema.js";

type Envelope = Omit<EnvelopesTable, "version"> & { version: number };

export const presentRecipient = (r: RecipientsTable, turnNow = false) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  cpf: r.cpf,
  action: r.action,
  order: r.sign_order,
  auth: r.auth,
  phone: r.phone,
  notifyBy: r.notify_channel,
  internationalId: r.international_id,
  status: r.status,
  actedAt: r.acted_at,
  rejectionReason: r.rejection_reason,
  invitedAt: r.invited_at,
  openedAt: r.opened_at,
  /** Whether this recipient may act now (their turn in the signing order has come): only they can be notified again. */
  turnNow,
});

export const presentEvent = (e: EnvelopeEventsTable) => ({
  id: e.id,
  type: e.type,
  actor: e.actor_label,
  actorId: e.actor_id,
  ip: e.ip,
  at: e.created_at,
  data: e.data ? JSON.parse(e.data) : null,
});

export const presentFile = (f: EnvelopeFilesTable) => ({ kind: f.kind, position: f.position, name: f.name, sha256: f.sha256, size: f.size, pageCount: f.page_count });

export const presentEnvelope = (
  e: Envelope,
  recipients: RecipientsTable[],
  extra: { events?: EnvelopeEventsTable[]; files?: EnvelopeFilesTable[] } = {},
) => {
  const active = recipients.filter((r) => !r.removed_at);
  const actors = active.filter((r) => r.action !== "observe");
  const open = ["pending", "partially_signed"].includes(e.status);
  const turn = new Set(open ? eligibleNow(e, active).map((r) => r.id) : []);
  return {
    id: e.id,
    projectId: e.project_id,
    process: e.process,
    recordId: e.record_id,
    name: e.name,
    contractNumber: e.contract_number,
    partyName: e.party_name,
    status: e.status,
    provider: e.provider,
    providerRef: e.provider_ref,
    authorId: e.author_id,
    author: e.author_label,
    source: e.source,
    /** The language of the documents and of the recipients' mails. */
    language: e.locale ?? "pt-BR",
    signingOrder: e.signing_order === 1,
    allowRejection: e.allow_rejection === 1,
    expiresAt: e.expires_at,
    failureReason: e.failure_reason,
    /** A provider failure's code and values: `failureReason` is its message in the reader's language (see localizeFailures). */
    failureCode: e.failure_code,
    failureValues: parseValues(e.failure_values),
    /** The last refresh that failed for good (kept until one succeeds). */
    checkFailure: e.check_failure ? { reason: e.check_failure, code: e.check_failure_code, values: parseValues(e.check_failure_values) } : null,
    rejectionReason: e.rejection_reason,
    createdAt: e.created_at,
    sentAt: e.sent_at,
    completedAt: e.completed_at,
    lastCheckedAt: e.last_checked_at,
    acted: actors.filter((r) => r.status !== "pending").length,
    total: actors.length,
    recipients: active.map((r) => presentRecipient(r, turn.has(r.id))),
    ...(extra.files ? { files: extra.files.map(presentFile) } : {}),
    ...(extra.events ? { events: extra.events.map(presentEvent) } : {}),
  };
};

function parseValues(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

type Presented = ReturnType<typeof presentEnvelope>;

/** The stored provider failures told in the reader's language (the stored text stays for codes this version does not know). */
export function localizeFailures<T extends Pick<Presented, "failureCode" | "failureValues" | "failureReason" | "checkFailure">>(envelope: T, locale: Locale): T {
  const failure = providerFailureText(envelope.failureCode, envelope.failureValues);
  const check = envelope.checkFailure ? providerFailureText(envelope.checkFailure.code, envelope.checkFailure.values) : null;
  return {
    ...envelope,
    ...(failure ? { failureReason: failure[locale] } : {}),
    ...(check && envelope.checkFailure ? { checkFailure: { ...envelope.checkFailure, reason: check[locale] } } : {}),
  };
}
