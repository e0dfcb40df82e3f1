import type { EnvelopeStatus } from "../../platform/db/schema.js";

export const webhookEvents = [
  "envelope.sent",
  "envelope.recipient_acted",
  "envelope.completed",
  "envelope.rejected",
  "envelope.cancelled",
  "envelope.expired",
  "envelope.failed",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** The webhook event an envelope status change raises, if any (partially_signed is covered by recipient_acted). */
export function eventForStatusChange(from: EnvelopeStatus, to: EnvelopeStatus): WebhookEvent | null {
  switch (to) {
    case "pending":
      return from === "queued" ? "envelope.sent" : null;
    case "completed":
    case "rejected":
    case "cancelled":
    case "expired":
    case "failed":
      return `envelope.${to}`;
    default:
      return null;
  }
}

/** Envelope history entries that are a recipient acting (by link or reported by a provider). */
export const recipientActEventTypes = new Set(["recipient.signed", "recipient.validated", "recipient.witnessed", "recipient.rejected"]);
