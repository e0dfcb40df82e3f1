import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { envelopeFiles, findEnvelopeRow, activeRecipients } from "./queries.js";

/**
 * What the public verification page may say about an envelope: the
 * document, its original's SHA-256, who acted, when and how, and the status.
 * E-mail addresses are masked: the page answers anyone who holds the file or
 * its QR link.
 */
export interface EnvelopeVerificationSummary {
  id: string;
  name: string;
  status: string;
  provider: string;
  sentAt: string | null;
  completedAt: string | null;
  originals: Array<{ name: string; sha256: string; pageCount: number | null }>;
  signers: Array<{ name: string; email: string; action: string; status: string; actedAt: string | null; method: "email_code" | "account" }>;
}

export async function envelopeVerificationSummary(db: Db | Tx, envelopeId: string): Promise<EnvelopeVerificationSummary | null> {
  const envelope = await findEnvelopeRow(db, envelopeId);
  if (!envelope || envelope.status === "draft") return null;
  const [originals, recipients] = await Promise.all([envelopeFiles(db, envelopeId, "original"), activeRecipients(db, envelopeId)]);
  return {
    id: envelope.id,
    name: envelope.name,
    status: envelope.status,
    provider: envelope.provider,
    sentAt: envelope.sent_at,
    completedAt: envelope.completed_at,
    originals: originals.map((f) => ({ name: f.name, sha256: f.sha256, pageCount: f.page_count })),
    signers: recipients
      .filter((r) => r.action !== "observe")
      .map((r) => ({ name: r.name, email: maskEmail(r.email), action: r.action, status: r.status, actedAt: r.acted_at, method: r.auth })),
  };
}

/** "maria.souza@construtora.com.br" → "ma***@construtora.com.br" */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}
