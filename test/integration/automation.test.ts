import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract, makeParty, makeProject, moveTo } from "../support/factories.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const signerRule = { source: "party_contact", role: "legal_representative", action: "sign" };

async function configure(projectId: string, process: string, settings: Record<string, unknown>) {
  const res = await h.call("PUT", `/api/projects/${projectId}/signature-settings`, { processes: { [process]: settings } }, "manager");
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** An active contract of a project whose contract total is `cents`, and an open period. */
async function activeContract(cents = 20_000_000, projectId?: string) {
  const project = projectId ? { id: projectId } : await makeProject(h);
  const party = await makeParty(h);
  const contract = await makeContract(h, {
    projectId: project.id, partyId: party.id,
    items: [{ code: "01", description: "Serviço", unit: "vb", quantity: 1, unitPriceCents: cents }],
  });
  await moveTo(h, "contracts", contract.id, "approved", "active");
  const period = (await h.call("POST", "/api/periods", { contractId: contract.id, startDate: "2026-01-01", endDate: "2026-01-31" })).body;
  return { project, party, contract, period };
}

const envelopesOf = async (recordId: string) => (await h.call("GET", `/api/envelopes?recordId=${recordId}`)).body.items;

describe("automatic sending", () => {
  test("a measurement approved on a contract above R$ 100.000,00 goes out by itself, once", async () => {
    const { project, party, contract, period } = await activeContract(20_000_000);
    await configure(project.id, "measurement", {
      enabled: true, mode: "automatic", trigger: "measurement.approved",
      criteria: [{ field: "contract.totalCents", op: "gt", value: 10_000_000 }], recipients: [signerRule], expiresInDays: 10,
    });
    const m = (await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 0.25 }] })).body;
    await moveTo(h, "measurements", m.id, "approved");
    await h.drain();
    const envelopes = await envelopesOf(m.id);
    assert.equal(envelopes.length, 1);
    const envelope = envelopes[0];
    assert.equal(envelope.status, "pending");
    assert.equal(envelope.process, "measurement");
    assert.equal(envelope.authorId, null, "sent as the service user");
    assert.deepEqual(envelope.recipients.map((r: any) => r.email), [party.contacts[0].email]);
    assert.match(envelope.name, /Boletim de medição/);
    const mails = (await h.call("GET", `/api/outbox?to=${party.contacts[0].email}`)).body.items;
    assert.ok(mails.some((mail: any) => /\/sign\/sig_/.test(mail.text)), "the bulletin reached the signer");
    // Running the automation again (a retried job) makes no second envelope.
    const { autoSendRecord } = await import("../../src/modules/signature-rules/automation/auto-send.js");
    const again = await autoSendRecord(h.runtime.ctx, "measurement", m.id, "measurement.approved");
    assert.equal(again.created, false);
    assert.equal((await envelopesOf(m.id)).length, 1);
  });

  test("criteria that do not match send nothing", async () => {
    const { project, contract, period } = await activeContract(5_000_000);
    await configure(project.id, "measurement", {
      enabled: true, mode: "automatic", trigger: "measurement.approved", criteria: [{ field: "contract.totalCents", op: "gte", value: 10_000_000 }], recipients: [signerRule],
    });
    const m = (await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 0.5 }] })).body;
    await moveTo(h, "measurements", m.id, "approved");
    await h.drain();
    assert.equal((await envelopesOf(m.id)).length, 0);
  });

  test("manual mode and disabled processes send nothing", async () => {
    const { project, contract } = await activeContract();
    await configure(project.id, "advance", { enabled: true, mode: "manual", trigger: "advance.approved", recipients: [signerRule] });
    const adv = (await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 100_000, dueDate: "2026-02-01" })).body;
    await moveTo(h, "advances", adv.id, "approved");
    await h.drain();
    assert.equal((await envelopesOf(adv.id)).length, 0);
  });

  test("every process's trigger, with criteria on kind, party and amount", async () => {
    const { project, party, contract, period } = await activeContract(30_000_000);
    const common = { enabled: true, mode: "automatic", recipients: [signerRule] };
    await configure(project.id, "amendment", { ...common, trigger: "amendment.approved", criteria: [{ field: "totalCents", op: "gt", value: 0 }] });
    await configure(project.id, "period", { ...common, trigger: "period.closed", criteria: [{ field: "partyId", op: "in", value: [party.id] }] });
    await configure(project.id, "advance", { ...common, trigger: "advance.approved", criteria: [{ field: "contract.kind", op: "eq", value: "empreitada" }] });
    const amendment = (await h.call("POST", "/api/amendments", { contractId: contract.id, kind: "value", valueDeltaCents: 1_000_000, description: "Acréscimo" })).body;
    await moveTo(h, "amendments", amendment.id, "approved");
    await moveTo(h, "periods", period.id, "closed");
    const adv = (await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 500_000, dueDate: "2026-02-01" })).body;
    await moveTo(h, "advances", adv.id, "approved");
    await h.drain();
    for (const [id, process] of [[amendment.id, "amendment"], [period.id, "period"], [adv.id, "advance"]]) {
      const envelopes = await envelopesOf(id);
      assert.equal(envelopes.length, 1, process);
      assert.equal(envelopes[0].process, process);
      assert.equal(envelopes[0].status, "pending", `${process}: ${envelopes[0].failureReason}`);
    }
    // A contract approved on a project where contracts go out automatically.
    const project2 = await makeProject(h);
    await configure(project2.id, "contract", { ...common, trigger: "contract.approved" });
    const c2 = await makeContract(h, { projectId: project2.id, partyId: party.id });
    await moveTo(h, "contracts", c2.id, "approved");
    await h.drain();
    assert.equal((await envelopesOf(c2.id))[0]?.status, "pending");
  });

  test("a rule that cannot run leaves a visible failed envelope with the reason", async () => {
    const { project, contract } = await activeContract();
    await configure(project.id, "advance", { enabled: true, mode: "automatic", trigger: "advance.approved", recipients: [{ source: "party_contact", role: "nobody-has-this-role", action: "sign" }] });
    const adv = (await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 100_000, dueDate: "2026-02-01" })).body;
    await moveTo(h, "advances", adv.id, "approved");
    await h.drain();
    const envelopes = await envelopesOf(adv.id);
    assert.equal(envelopes.length, 1);
    assert.equal(envelopes[0].status, "failed");
    assert.match(envelopes[0].failureReason, /recipients/);
  });
});

describe("gating: block dependent processes", () => {
  async function signAll(envelopeId: string) {
    const envelope = (await h.call("GET", `/api/envelopes/${envelopeId}`)).body;
    for (const r of envelope.recipients) {
      const mail = (await h.call("GET", `/api/outbox?to=${r.email}`)).body.items.find((m: any) => m.envelopeId === envelopeId && /\/sign\/sig_/.test(m.text));
      const token = /\/sign\/(sig_[A-Za-z0-9_-]+)/.exec(mail.text)![1];
      await h.call("POST", `/api/signing/${token}/code`, undefined, null);
      // Read the code from the kept mail (no SMTP in this harness).
      const codeMail = (await h.call("GET", `/api/outbox?to=${r.email}`)).body.items.find((m: any) => m.envelopeId === envelopeId && /código/i.test(m.subject));
      const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
      const res = await h.call("POST", `/api/signing/${token}/sign`, { code, signature: { type: "typed", value: r.name } }, null);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await h.drain();
  }

  test("each dependent move waits for the signatures; the signed contract is locked", async () => {
    const { project, contract, period } = await activeContract();
    const gated = { enabled: true, mode: "automatic", recipients: [signerRule], blockDependentProcesses: true };
    for (const [process, trigger] of [["contract", "contract.approved"], ["amendment", "amendment.approved"], ["period", "period.closed"], ["measurement", "measurement.approved"], ["advance", "advance.approved"]]) {
      await configure(project.id, process!, { ...gated, trigger });
    }
    const m = (await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 0.1 }] })).body;
    const amendment = (await h.call("POST", "/api/amendments", { contractId: contract.id, kind: "value", valueDeltaCents: 10_000, description: "Acréscimo" })).body;
    const adv = (await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 10_000, dueDate: "2026-02-01" })).body;
    await moveTo(h, "measurements", m.id, "approved");
    await moveTo(h, "amendments", amendment.id, "approved");
    await moveTo(h, "advances", adv.id, "approved");
    await moveTo(h, "periods", period.id, "closed");
    await h.drain();
    const blocked: [string, string, string][] = [["measurements", m.id, "released"], ["amendments", amendment.id, "applied"], ["advances", adv.id, "paid"], ["periods", period.id, "released"]];
    for (const [kind, id, to] of blocked) {
      const res = await h.call("POST", `/api/${kind}/${id}/transitions`, { to });
      assert.equal(res.status, 409, `${kind} → ${to} must wait`);
      assert.match(res.body.error.message, /signature envelope is completed/);
    }
    // A Portuguese reader reads the refusal in Portuguese.
    const [kind, id, to] = blocked[0]!;
    const pt = await h.app.inject({ method: "POST", url: `/api/${kind}/${id}/transitions`, payload: { to }, headers: { authorization: `Bearer ${h.tokens.admin}`, "accept-language": "pt-BR" } });
    assert.match(pt.json().error.message, /só pode ser liberada .* envelope de assinatura for finalizado/);
    for (const [, id] of blocked) await signAll((await envelopesOf(id))[0].id);
    for (const [kind, id, to] of blocked) {
      const res = await h.call("POST", `/api/${kind}/${id}/transitions`, { to });
      assert.equal(res.status, 200, `${kind} → ${to} after signing: ${JSON.stringify(res.body)}`);
    }

    // A new contract: cannot be activated before its envelope completes, then is locked.
    const c2 = await makeContract(h, { projectId: project.id });
    await moveTo(h, "contracts", c2.id, "approved");
    await h.drain();
    assert.equal((await h.call("POST", `/api/contracts/${c2.id}/transitions`, { to: "active" })).status, 409);
    await signAll((await envelopesOf(c2.id))[0].id);
    assert.equal((await h.call("GET", `/api/contracts/${c2.id}`)).body.locked, true);
    assert.equal((await h.call("POST", `/api/contracts/${c2.id}/transitions`, { to: "active" })).status, 200);
  });

  test("without gating the same moves go ahead unsigned", async () => {
    const { contract, period } = await activeContract();
    const m = (await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 0.1 }] })).body;
    await moveTo(h, "measurements", m.id, "approved");
    assert.equal((await h.call("POST", `/api/measurements/${m.id}/transitions`, { to: "released" })).status, 200);
  });
});
