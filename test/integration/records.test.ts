import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeActiveContractWithPeriod, makeContract, makeParty, makeProject, moveTo, validCnpj, validCpf } from "../support/factories.js";

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

describe("projects", () => {
  test("create, get, list, patch, close", async () => {
    const created = await h.call("POST", "/api/projects", { code: "OBR-100", name: "Residencial Ipê", address: "Av. Brasil, 100", managerUserId: h.users.manager.id });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, "active");
    assert.equal(created.body.managerUserId, h.users.manager.id);
    const got = await h.call("GET", `/api/projects/${created.body.id}`, undefined, "viewer");
    assert.equal(got.status, 200);
    assert.equal(got.body.name, "Residencial Ipê");
    const patched = await h.call("PATCH", `/api/projects/${created.body.id}`, { name: "Residencial Ipê Amarelo" }, "manager");
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, "Residencial Ipê Amarelo");
    assert.equal(patched.body.version, 2);
    const listed = await h.call("GET", "/api/projects?q=ipê", undefined, "viewer");
    assert.ok(listed.body.items.some((p: any) => p.id === created.body.id));
    const closed = await h.call("POST", `/api/projects/${created.body.id}/transitions`, { to: "closed" });
    assert.equal(closed.body.status, "closed");
    const refused = await h.call("PATCH", `/api/projects/${created.body.id}`, { name: "Outro" });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /closed/);
  });

  test("duplicate code is a conflict naming the field", async () => {
    await makeProject(h, { code: "DUP-1" });
    const res = await h.call("POST", "/api/projects", { code: "DUP-1", name: "x" });
    assert.equal(res.status, 409);
    assert.ok(res.body.error.fields.code);
  });

  test("unknown manager is refused with 422 naming managerUserId", async () => {
    const res = await h.call("POST", "/api/projects", { code: "X-1", name: "x", managerUserId: "01a00000-0000-7000-8000-000000000000" });
    assert.equal(res.status, 422);
    assert.ok(res.body.error.fields.managerUserId);
  });
});

describe("parties", () => {
  test("create with contacts, CPF/CNPJ normalized, patch contacts", async () => {
    const cnpj = validCnpj(3);
    const formatted = `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;
    const res = await h.call("POST", "/api/parties", {
      kind: "customer", name: "Incorporadora Sol", document: formatted,
      contacts: [{ name: "José", email: "Jose@Example.com", cpf: validCpf(1), role: "legal_representative" }],
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.document, cnpj);
    assert.equal(res.body.contacts[0].email, "jose@example.com");
    const patched = await h.call("PATCH", `/api/parties/${res.body.id}`, { contacts: [{ name: "Maria", email: "maria@example.com" }] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.contacts.map((c: any) => c.name), ["Maria"]);
  });

  test("invalid documents, e-mails and unknown fields are named", async () => {
    const badDoc = await h.call("POST", "/api/parties", { kind: "supplier", name: "X", document: "11.222.333/0001-00" });
    assert.equal(badDoc.status, 400);
    assert.match(badDoc.body.error.fields.document, /CNPJ/);
    const badCpf = await h.call("POST", "/api/parties", { kind: "supplier", name: "X", document: validCnpj(), contacts: [{ name: "A", email: "a@example.com", cpf: "123.456.789-00" }] });
    assert.equal(badCpf.status, 400);
    assert.ok(badCpf.body.error.fields["contacts.0.cpf"]);
    const badEmail = await h.call("POST", "/api/parties", { kind: "supplier", name: "X", document: validCnpj(), contacts: [{ name: "A", email: "not-an-email" }] });
    assert.ok(badEmail.body.error.fields["contacts.0.email"]);
    const unknown = await h.call("POST", "/api/parties", { kind: "supplier", name: "X", document: validCnpj(), nickname: "y" });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.fields.nickname, "unknown field");
    const dupContacts = await h.call("POST", "/api/parties", { kind: "supplier", name: "X", document: validCnpj(), contacts: [{ name: "A", email: "a@example.com" }, { name: "B", email: "A@example.com" }] });
    assert.ok(dupContacts.body.error.fields["contacts.1.email"]);
  });
});

describe("contracts", () => {
  test("total is Σ quantity × unit price in exact cents", async () => {
    const contract = await makeContract(h);
    // 100 × 450,00 = 45.000,00; 1000,5 × 11,99 = 11.995,995 → 11.996,00 (half-up)
    assert.equal(contract.totalCents, 4_500_000 + 1_199_600);
    assert.equal(contract.items.length, 2);
    assert.equal(contract.items[1].totalCents, 1_199_600);
    const floatTrap = await makeContract(h, { items: [{ code: "A", description: "x", unit: "un", quantity: 0.1, unitPriceCents: 3 }, { code: "B", description: "y", unit: "un", quantity: 0.2, unitPriceCents: 3 }] });
    assert.equal(floatTrap.totalCents, 1); // 0,3 + 0,6 cents → 0 + 1, never 0.8999
  });

  test("validation: dates in order, money integer ≥ 0, four decimals, unique item codes", async () => {
    const project = await makeProject(h);
    const party = await makeParty(h);
    const base = { projectId: project.id, partyId: party.id, number: "CT-V", kind: "empreitada", object: "x", startDate: "2026-05-10", endDate: "2026-05-01" };
    const dates = await h.call("POST", "/api/contracts", base);
    assert.equal(dates.status, 400);
    assert.ok(dates.body.error.fields.endDate);
    const money = await h.call("POST", "/api/contracts", { ...base, endDate: "2026-06-01", items: [{ code: "1", description: "x", unit: "un", quantity: 1, unitPriceCents: -5 }] });
    assert.ok(money.body.error.fields["items.0.unitPriceCents"]);
    const fraction = await h.call("POST", "/api/contracts", { ...base, endDate: "2026-06-01", items: [{ code: "1", description: "x", unit: "un", quantity: 1, unitPriceCents: 10.5 }] });
    assert.ok(fraction.body.error.fields["items.0.unitPriceCents"]);
    const decimals = await h.call("POST", "/api/contracts", { ...base, endDate: "2026-06-01", items: [{ code: "1", description: "x", unit: "un", quantity: 1.00001, unitPriceCents: 10 }] });
    assert.ok(decimals.body.error.fields["items.0.quantity"]);
    const codes = await h.call("POST", "/api/contracts", { ...base, endDate: "2026-06-01", items: [{ code: "1", description: "x", unit: "un", quantity: 1, unitPriceCents: 10 }, { code: "1", description: "y", unit: "un", quantity: 1, unitPriceCents: 10 }] });
    assert.ok(codes.body.error.fields["items.1.code"]);
    const badDate = await h.call("POST", "/api/contracts", { ...base, startDate: "2026-02-30", endDate: "2026-06-01" });
    assert.ok(badDate.body.error.fields.startDate);
    const missingParty = await h.call("POST", "/api/contracts", { ...base, endDate: "2026-06-01", partyId: "01a00000-0000-7000-8000-000000000000" });
    assert.equal(missingParty.status, 422);
    assert.ok(missingParty.body.error.fields.partyId);
    const count = await h.call("GET", `/api/contracts?projectId=${project.id}`);
    assert.equal(count.body.items.length, 0, "nothing half-written");
  });

  test("patch items recomputes the total and keeps ids by code; only in draft", async () => {
    const contract = await makeContract(h);
    const res = await h.call("PATCH", `/api/contracts/${contract.id}`, {
      items: [{ code: "01", description: "Concreto fck 30", unit: "m³", quantity: 200, unitPriceCents: 45_000 }],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.totalCents, 9_000_000);
    assert.equal(res.body.items[0].id, contract.items[0].id);
    await moveTo(h, "contracts", contract.id, "approved");
    const refused = await h.call("PATCH", `/api/contracts/${contract.id}`, { object: "Outro objeto" });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /approved/);
    const same = await h.call("PATCH", `/api/contracts/${contract.id}`, { object: contract.object });
    assert.equal(same.status, 200, "a patch that changes nothing is accepted in any state");
  });

  test("every allowed and refused transition", async () => {
    const allowed: Record<string, string[]> = {
      draft: ["approved", "cancelled"], approved: ["active", "cancelled"], active: ["closed", "cancelled"], closed: ["cancelled"], cancelled: [],
    };
    const paths: Record<string, string[]> = { draft: [], approved: ["approved"], active: ["approved", "active"], closed: ["approved", "active", "closed"], cancelled: ["cancelled"] };
    for (const [from, path] of Object.entries(paths)) {
      for (const to of Object.keys(allowed)) {
        const contract = await makeContract(h);
        if (path.length) await moveTo(h, "contracts", contract.id, ...path);
        const res = await h.call("POST", `/api/contracts/${contract.id}/transitions`, { to });
        if (allowed[from]!.includes(to)) {
          assert.equal(res.status, 200, `${from} → ${to}`);
          assert.equal(res.body.status, to);
        } else {
          assert.equal(res.status, 409, `${from} → ${to} must be refused`);
          assert.equal(res.body.error.code, "invalid_transition");
          assert.ok(res.body.error.message.includes(from) && res.body.error.message.includes(to), res.body.error.message);
        }
      }
    }
    const contract = await makeContract(h);
    const unknown = await h.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "flying" });
    assert.equal(unknown.status, 400);
    assert.ok(unknown.body.error.fields.to);
  });

  test("list filters and cursor pagination", async () => {
    const project = await makeProject(h);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await makeContract(h, { projectId: project.id })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await h.call("GET", `/api/contracts?projectId=${project.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, undefined, "viewer");
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    await moveTo(h, "contracts", ids[0]!, "approved");
    const approved = await h.call("GET", `/api/contracts?projectId=${project.id}&status=approved`);
    assert.deepEqual(approved.body.items.map((c: any) => c.id), [ids[0]]);
  });
});

describe("periods, measurements, amendments, advances", () => {
  test("measurement totals and over-measurement refused naming the item", async () => {
    const { contract, period } = await makeActiveContractWithPeriod(h);
    const [concrete, steel] = contract.items;
    const m1 = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: concrete.id, quantity: 60 }, { contractItemId: steel.id, quantity: 0.5 }] });
    assert.equal(m1.status, 201);
    assert.equal(m1.body.totalCents, 60 * 45_000 + 600); // 0,5 × 11,99 = 5,995 → 6,00
    assert.equal(m1.body.number, 1);
    const over = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: concrete.id, quantity: 40.0001 }] });
    assert.equal(over.status, 422);
    assert.match(over.body.error.message, /01/);
    assert.ok(over.body.error.fields["lines.0.quantity"]);
    const exact = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: concrete.id, quantity: 40 }] });
    assert.equal(exact.status, 201);
    // A scope amendment adds 10 m³ once applied.
    const amendment = await h.call("POST", "/api/amendments", { contractId: contract.id, kind: "scope", valueDeltaCents: 450_000, description: "Mais concreto", items: [{ contractItemId: concrete.id, quantityDelta: 10 }] });
    assert.equal(amendment.status, 201);
    const stillOver = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: concrete.id, quantity: 5 }] });
    assert.equal(stillOver.status, 422, "a draft amendment adds nothing yet");
    await moveTo(h, "amendments", amendment.body.id, "approved", "applied");
    const afterAmendment = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: concrete.id, quantity: 10 }] });
    assert.equal(afterAmendment.status, 201);
    const detail = await h.call("GET", `/api/contracts/${contract.id}`);
    assert.equal(detail.body.amendedTotalCents, contract.totalCents + 450_000);
    assert.equal(detail.body.items[0].measuredQuantity, 110);
    assert.equal(detail.body.items[0].amendedQuantity, 110);
  });

  test("measurement patch re-checks limits excluding itself; lifecycle and editability", async () => {
    const { contract, period } = await makeActiveContractWithPeriod(h);
    const item = contract.items[0];
    const m = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: item.id, quantity: 100 }] });
    const patched = await h.call("PATCH", `/api/measurements/${m.body.id}`, { lines: [{ contractItemId: item.id, quantity: 90 }] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.totalCents, 90 * 45_000);
    for (const [to, status] of [["released", 409], ["approved", 200], ["approved", 409], ["draft", 409], ["released", 200]] as const) {
      const res = await h.call("POST", `/api/measurements/${m.body.id}/transitions`, { to });
      assert.equal(res.status, status, `measurement → ${to}`);
    }
    const locked = await h.call("PATCH", `/api/measurements/${m.body.id}`, { lines: [{ contractItemId: item.id, quantity: 1 }] });
    assert.equal(locked.status, 409);
  });

  test("a closed period takes no measurement; a period of another contract is refused", async () => {
    const { contract, period } = await makeActiveContractWithPeriod(h);
    const other = await makeActiveContractWithPeriod(h);
    const wrong = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: other.period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 1 }] });
    assert.equal(wrong.status, 422);
    assert.ok(wrong.body.error.fields.periodId);
    for (const [to, status] of [["released", 409], ["closed", 200], ["open", 409], ["released", 200]] as const) {
      const res = await h.call("POST", `/api/periods/${period.id}/transitions`, { to });
      assert.equal(res.status, status, `period → ${to}`);
    }
    const closed = await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: contract.items[0].id, quantity: 1 }] });
    assert.equal(closed.status, 409);
    const second = await h.call("POST", "/api/periods", { contractId: contract.id, startDate: "2026-02-01", endDate: "2026-02-28" });
    assert.equal(second.body.number, 2);
    const badDates = await h.call("PATCH", `/api/periods/${second.body.id}`, { endDate: "2026-01-01" });
    assert.equal(badDates.status, 400);
    assert.ok(badDates.body.error.fields.endDate);
  });

  test("term amendment applied moves the contract's end date; lifecycle", async () => {
    const { contract } = await makeActiveContractWithPeriod(h);
    const missing = await h.call("POST", "/api/amendments", { contractId: contract.id, kind: "term", description: "Prorrogação" });
    assert.equal(missing.status, 400);
    assert.ok(missing.body.error.fields.newEndDate);
    const a = await h.call("POST", "/api/amendments", { contractId: contract.id, kind: "term", newEndDate: "2027-06-30", description: "Prorrogação de prazo" });
    assert.equal(a.status, 201);
    assert.equal(a.body.number, "1");
    assert.equal((await h.call("POST", `/api/amendments/${a.body.id}/transitions`, { to: "applied" })).status, 409);
    await moveTo(h, "amendments", a.body.id, "approved", "applied");
    const c = await h.call("GET", `/api/contracts/${contract.id}`);
    assert.equal(c.body.endDate, "2027-06-30");
    const edit = await h.call("PATCH", `/api/amendments/${a.body.id}`, { description: "Outro" });
    assert.equal(edit.status, 409);
  });

  test("advances: amount > 0, lifecycle requested → approved → paid", async () => {
    const { contract } = await makeActiveContractWithPeriod(h);
    const zero = await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 0, dueDate: "2026-03-01" });
    assert.equal(zero.status, 400);
    assert.ok(zero.body.error.fields.amountCents);
    const adv = await h.call("POST", "/api/advances", { contractId: contract.id, amountCents: 1_500_000, dueDate: "2026-03-01" });
    assert.equal(adv.status, 201);
    assert.equal(adv.body.status, "requested");
    const patched = await h.call("PATCH", `/api/advances/${adv.body.id}`, { amountCents: 2_000_000 });
    assert.equal(patched.body.amountCents, 2_000_000);
    assert.equal((await h.call("POST", `/api/advances/${adv.body.id}/transitions`, { to: "paid" })).status, 409);
    await moveTo(h, "advances", adv.body.id, "approved", "paid");
    const list = await h.call("GET", `/api/advances?contractId=${contract.id}&status=paid`, undefined, "viewer");
    assert.equal(list.body.items.length, 1);
    const byProject = await h.call("GET", `/api/advances?projectId=${contract.projectId}`, undefined, "viewer");
    assert.equal(byProject.body.items.length, 1);
  });
});

describe("upsert by externalId", () => {
  test("first PUT creates (201), the same PUT again changes nothing (200, same version)", async () => {
    const project = await makeProject(h);
    const party = await makeParty(h);
    const body = {
      projectId: project.id, partyId: party.id, number: "ERP-77", kind: "empreitada", object: "Fundações",
      startDate: "2026-01-01", endDate: "2026-06-30", items: [{ code: "F1", description: "Estaca", unit: "m", quantity: 120, unitPriceCents: 9_900 }],
    };
    const first = await h.call("PUT", "/api/contracts/external/erp-contract-77", body);
    assert.equal(first.status, 201);
    assert.equal(first.body.externalId, "erp-contract-77");
    const second = await h.call("PUT", "/api/contracts/external/erp-contract-77", body);
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.version, first.body.version);
    const changed = await h.call("PUT", "/api/contracts/external/erp-contract-77", { ...body, object: "Fundações e blocos" });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.object, "Fundações e blocos");
    assert.equal(changed.body.items[0].id, first.body.items[0].id);
    const list = await h.call("GET", `/api/contracts?projectId=${project.id}`);
    assert.equal(list.body.items.length, 1);
    const bad = await h.call("PUT", "/api/contracts/external/erp-contract-78", { ...body, number: "" });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.number);
  });

  test("every kind upserts", async () => {
    const p = await h.call("PUT", "/api/projects/external/erp-p1", { code: "ERP-P1", name: "Obra ERP" });
    assert.equal(p.status, 201);
    assert.equal((await h.call("PUT", "/api/projects/external/erp-p1", { code: "ERP-P1", name: "Obra ERP" })).status, 200);
    const party = await h.call("PUT", "/api/parties/external/erp-f1", { kind: "supplier", name: "Fornecedor ERP", document: validCnpj(7) });
    assert.equal(party.status, 201);
    const c = await makeContract(h, { projectId: p.body.id, partyId: party.body.id });
    await moveTo(h, "contracts", c.id, "approved", "active");
    for (const [kind, body] of [
      ["periods", { contractId: c.id, startDate: "2026-01-01", endDate: "2026-01-31" }],
      ["advances", { contractId: c.id, amountCents: 100, dueDate: "2026-02-01" }],
      ["amendments", { contractId: c.id, kind: "value", valueDeltaCents: -100, description: "Supressão" }],
    ] as const) {
      assert.equal((await h.call("PUT", `/api/${kind}/external/erp-${kind}-1`, body)).status, 201, kind);
      assert.equal((await h.call("PUT", `/api/${kind}/external/erp-${kind}-1`, body)).status, 200, kind);
    }
    const period = await h.call("GET", `/api/periods?contractId=${c.id}`);
    const m = { contractId: c.id, periodId: period.body.items[0].id, lines: [{ contractItemId: c.items[0].id, quantity: 3 }] };
    assert.equal((await h.call("PUT", "/api/measurements/external/erp-m-1", m)).status, 201);
    const again = await h.call("PUT", "/api/measurements/external/erp-m-1", m);
    assert.equal(again.status, 200);
    assert.equal(again.body.version, 1);
  });
});

test("the demo loads twice without duplicates", async () => {
  const { loadDemo } = await import("../../src/modules/records/demo.js");
  await loadDemo(h.runtime.ctx);
  const before = await h.call("GET", "/api/contracts?limit=200");
  await loadDemo(h.runtime.ctx);
  const after = await h.call("GET", "/api/contracts?limit=200");
  assert.equal(after.body.items.length, before.body.items.length);
  const demo = after.body.items.filter((c: any) => c.externalId?.startsWith("demo-"));
  assert.equal(demo.length, 3);
  assert.deepEqual(demo.map((c: any) => c.status).sort(), ["active", "approved", "draft"]);
});
