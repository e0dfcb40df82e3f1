import Bowser from "bowser";
import type { AppContext } from "../../../../platform/context.js";
import { inTransaction } from "../../../../platform/db/transaction.js";
import type { EnvelopesTable, RecipientsTable } from "../../../../platform/db/schema.js";
import { recordEnvelopeEvent } from "../../../envelopes/events.js";
import { markRecipientOpened } from "../../../envelopes/recipients.js";

/** "Android 14 · Chrome 120 · mobile": what the history shows of the device, from its user agent. */
export function describeDevice(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent.slice(0, 500));
  const part = (name?: string, version?: string) => (name ? [name, version?.split(".")[0]].filter(Boolean).join(" ") : "");
  const described = [part(parsed.os.name, parsed.os.versionName ?? parsed.os.version), part(parsed.browser.name, parsed.browser.version), parsed.platform.type ?? ""].filter(Boolean).join(" · ");
  return described || null;
}

/**
 * The first time a recipient opens their link, the history gets an "aberto"
 * entry with the time, IP and device. Later openings (a reload, a new link
 * after a resend) add nothing: the first one is the fact the sender needs.
 */
export async function noteOpened(ctx: AppContext, envelope: Pick<EnvelopesTable, "id">, recipient: Pick<RecipientsTable, "id" | "name" | "email" | "opened_at">, meta: { ip: string | null; userAgent: string | null }) {
  if (recipient.opened_at) return;
  await inTransaction(ctx, async (tx) => {
    const now = ctx.clock.now().toISOString();
    if (!(await markRecipientOpened(tx, recipient.id, now))) return;
    await recordEnvelopeEvent(ctx, tx, envelope.id, "recipient.opened", { label: `${recipient.name} <${recipient.email}>`, ip: meta.ip, userAgent: meta.userAgent }, {
      recipientId: recipient.id, email: recipient.email, device: describeDevice(meta.userAgent),
    });
  });
}
