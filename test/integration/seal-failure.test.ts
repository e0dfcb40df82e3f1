import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ensureSealIdentity } from "../../src/modules/seal/identity-store.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { samplePdf } from "../support/pdfs.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test("when the signed file cannot be sealed, the envelope says so instead of waiting silently", async () => {
  // A seal key that no longer opens (say, OBRASIGN_SECRET_KEY changed without the key file).
  await ensureSealIdentity(h.runtime.ctx);
  await h.runtime.ctx.db.updateTable("seal_identities").set({ private_key_encrypted: "v1.AAAA.AAAA.AAAA" }).execute();
  const contract = await makeContract(h);
  const email = "sela@example.com";
  const created = await h.upload("/api/envelopes", [
    { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Sem selo", recipients: [{ name: "Sela", email, action: "sign" }] }) },
    { name: "file", filename: "a.pdf", bytes: await samplePdf() },
  ]);
  await h.drain();
  const outbox = async () => (await h.call("GET", `/api/outbox?to=${email}`)).body.items;
  const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec((await outbox())[0].text)![1];
  await h.call("POST", `/api/signing/${token}/code`, undefined, null);
  await h.drain();
  const code = /\b(\d{6})\b/.exec((await outbox()).find((m: any) => /código/i.test(m.subject)).text)![1];
  assert.equal((await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: "Sela" } }, null)).status, 200);
  for (let attempt = 0; attempt < 6; attempt++) {
    await h.drain();
    h.clock.advance(10 * 60_000);
  }
  const envelope = (await h.call("GET", `/api/envelopes/${created.body.id}`)).body;
  assert.equal(envelope.status, "partially_signed", "every signature is kept");
  assert.match(envelope.failureReason, /could not be sealed/);
  assert.ok(envelope.events.some((e: any) => e.type === "envelope.seal_failed"));
});
