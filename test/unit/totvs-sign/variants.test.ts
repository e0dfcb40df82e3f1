/**
 * The adapter against each answer variant of TAE-API.md §7, switched on in
 * the emulator one at a time.
 */
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProviderError } from "../../../src/platform/providers/port.js";
import { startTaeEmulator, type TaeEmulator } from "../../tae-emulator/index.js";
import { providerFor, recipient, sendInput, serviceAuthor } from "./helpers.js";

let emu: TaeEmulator;
beforeEach(async () => {
  emu = await startTaeEmulator();
});
afterEach(async () => {
  await emu.close();
});

describe("status variants", () => {
  it("a cancelled document reading 5: cancel settles, status says cancelled, a retried send does not publish it again", async () => {
    emu.setVariants({ cancelledStatus: 5 });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    await provider.cancel(ref, serviceAuthor);
    assert.equal(emu.document(ref)!.status, 5);
    assert.equal((await provider.status(ref, serviceAuthor)).status, "cancelled");

    const publishes = emu.counters().publishes;
    const again = await provider.send(await sendInput({ existingRef: ref }));
    assert.deepEqual(again, { ref, status: "cancelled" });
    assert.equal(emu.counters().publishes, publishes, "not published again");
    assert.equal(emu.calls("publish").length, 1);
  });

  it("cancelled in the portal as 5 → cancelled; a real draft (5, nobody listed) is still published by a retried send", async () => {
    emu.setVariants({ cancelledStatus: 5 });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.cancelInPortal(Number(ref));
    assert.equal((await provider.status(ref, serviceAuthor)).status, "cancelled");

    // Upload only (the onReference of a first attempt that crashed), then a retry.
    const first = await sendInput({ onReference: async () => { throw new Error("crash after upload"); } });
    await assert.rejects(provider.send(first), /crash after upload/);
    const draft = emu.documents().at(-1)!;
    assert.equal(draft.status, 5);
    const retried = await provider.send(await sendInput({ existingRef: String(draft.id) }));
    assert.deepEqual(retried, { ref: String(draft.id) });
    assert.equal(emu.document(draft.id)!.status, 0, "the draft was published");
  });

  it("a re-opened document reads pending again, the rejection gone", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput({ recipients: [recipient("a@x.test"), recipient("b@x.test")] }));
    emu.sign(Number(ref), "a@x.test");
    emu.reject(Number(ref), "b@x.test", "Valor errado");
    assert.equal((await provider.status(ref, serviceAuthor)).status, "rejected");
    emu.reopen(Number(ref));
    const state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "partially_signed");
    assert.equal(state.rejectionReason, null);
    assert.deepEqual(state.recipients.map((r) => [r.email, r.status]).sort(), [["a@x.test", "signed"], ["b@x.test", "pending"]]);
  });

  it("dates with microseconds and no zone: acts and the login's expirationDate read as UTC", async () => {
    emu.setVariants({ dates: "microseconds" });
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    const at = new Date("2026-03-04T05:06:07.089Z");
    emu.sign(Number(ref), "maria@alfa.test", at);
    const state = await provider.status(ref, serviceAuthor);
    assert.equal(state.status, "completed");
    assert.equal(state.recipients[0].actedAt?.toISOString(), at.toISOString());
    const grant = await provider.loginUser(emu.serviceUser.email, emu.serviceUser.password);
    assert.ok(grant.expiresAt.getTime() > Date.now() + 11 * 3_600_000, "12 h from the microsecond expirationDate");
  });

  it("an unknown status code is a clear, non-retryable failure with its code", async () => {
    const { provider } = providerFor(emu);
    const { ref } = await provider.send(await sendInput());
    emu.setStatus(Number(ref), 6);
    await assert.rejects(provider.status(ref, serviceAuthor), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.retryable, false);
      assert.equal(error.code, "unknown_status");
      assert.deepEqual(error.values, { code: "6" });
      return true;
    });
  });
});
