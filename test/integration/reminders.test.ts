import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { remindPendingRecipients } from "../../src/modules/providers/embedded/commands/remind-recipients.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const mailsTo = async (email: string) => (await h.call("GET", `/api/outbox?to=${email}`)).body.items;

test("pending recipients are reminded every reminderEveryDays, in signing order, until they act", async () => {
  const contract = await makeContract(h);
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Lembretes", reminderEveryDays: 2, recipients: [
      { name: "Primeiro", email: "lembra-1@example.com", action: "sign", order: 1 },
      { name: "Segundo", email: "lembra-2@example.com", action: "sign", order: 2 },
    ] }) },
    { name: "file", filename: "a.pdf", bytes: await samplePdf() },
  ]);
  assert.equal(created.status, 201);
  await h.drain();
  assert.equal((await mailsTo("lembra-1@example.com")).length, 1);
  h.clock.advance(1 * 86_400_000);
  assert.equal(await remindPendingRecipients(h.runtime.ctx), 0, "not yet");
  h.clock.advance(1.1 * 86_400_000);
  assert.equal(await remindPendingRecipients(h.runtime.ctx), 1);
  assert.equal(await remindPendingRecipients(h.runtime.ctx), 0, "once per interval");
  await h.drain();
  const mails = await mailsTo("lembra-1@example.com");
  assert.equal(mails.length, 2);
  assert.match(mails[0].subject, /Lembrete/);
  assert.equal((await mailsTo("lembra-2@example.com")).length, 0, "the second signer's turn has not come");
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mails[0].text)![1];
  assert.equal((await h.call("GET", `/api/signing/${token}`, undefined, null)).status, 200, "the reminder's link works");
  const env = await h.call("GET", `/api/envelopes/${created.body.id}`);
  assert.ok(env.body.events.some((e: any) => e.type === "recipient.reminded"));
  // A cancelled envelope reminds nobody.
  await h.call("DELETE", `/api/envelopes/${created.body.id}`);
  h.clock.advance(3 * 86_400_000);
  assert.equal(await remindPendingRecipients(h.runtime.ctx), 0);
});
