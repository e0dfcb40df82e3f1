import { createHttpServer } from "../../src/app.js";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { authApiRoutes } from "../../src/modules/auth/routes.js";
import { authPages } from "../../src/modules/auth/pages.js";
import { recordRoutes } from "../../src/modules/records/routes.js";
import { createUser } from "../../src/modules/auth/commands/create-user.js";
import { defaultRecipients } from "../../src/modules/envelopes/default-recipients.js";
import { resolveRecord } from "../../src/modules/envelopes/record-ref.js";
import {
  getProcessSettings, matchesCriteria, projectSignatureSettingsPages, projectSignatureSettingsRoutes, recordFacts,
} from "../../src/modules/signature-rules/index.js";
import { startHarness, type Harness, type Role } from "../support/harness.js";
import { makeContract, makeParty, makeProject, moveTo, validCpf } from "../support/factories.js";

let h: Harness;
let app: FastifyInstance;

async function call(method: string, url: string, body?: unknown, as: Role | null = "admin") {
  const raw = await app.inject({ method: method as "GET", url, headers: { "accept-language": "en", ...(as ? { authorization: `Bearer ${h.tokens[as]}` } : {}) }, ...(body !== undefined ? { payload: body as object } : {}) });
  let parsed: any = raw.body;
  try { parsed = raw.body ? JSON.parse(raw.body) : null; } catch { /* HTML */ }
  return { status: raw.statusCode, body: parsed, raw };
}

before(async () => {
  h = await startHarness();
  app = await createHttpServer(h.runtime.ctx);
});
after(async () => {
  await app?.close();
  await h?.close();
});

const defaults = (process: string, trigger: string, report: string) => ({
  enabled: false, mode: "manual", trigger, criteria: [], report, recipients: [], signingOrder: false, expiresInDays: 30,
  reminderEveryDays: 3, subject: null, message: null, allowRejection: true, blockDependentProcesses: false,
});

describe("project signature settings API", () => {
  test("defaults for a project never configured", async () => {
    const project = await makeProject(h);
    const res = await call("GET", `/api/projects/${project.id}/signature-settings`, undefined, "viewer");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      documentLanguage: "pt-BR",
      processes: {
        contract: defaults("contract", "contract.approved", "contract-standard"),
        amendment: defaults("amendment", "amendment.approved", "amendment-standard"),
        period: defaults("period", "period.closed", "period-standard"),
        measurement: defaults("measurement", "measurement.approved", "measurement-standard"),
        advance: defaults("advance", "advance.approved", "advance-standard"),
      },
    });
    assert.equal((await call("GET", `/api/projects/01900000-0000-7000-8000-000000000000/signature-settings`)).status, 404);
    assert.equal((await call("GET", `/api/projects/${project.id}/signature-settings`, undefined, null)).status, 401);
  });

  test("round trip: a subset of processes, others unchanged; GET → PUT is stable", async () => {
    const project = await makeProject(h);
    const measurement = {
      enabled: true, mode: "automatic", trigger: "measurement.approved",
      criteria: [
        { field: "contract.totalCents", op: "gt", value: 10_000_000 },
        { field: "contract.kind", op: "in", value: ["empreitada", "fornecimento"] },
      ],
      report: "measurement-standard",
      recipients: [
        { source: "party_contact", role: "legal_representative", action: "sign", order: 1 },
        { source: "project_user", role: "manager", action: "sign", order: 2 },
        { source: "email", name: "Fiscal da Obra", email: "Fiscal@Example.com", cpf: validCpf(3), action: "validate" },
      ],
      signingOrder: true, expiresInDays: 15, reminderEveryDays: null, subject: "Boletim de medição", message: "Por favor, assine.",
      allowRejection: false, blockDependentProcesses: true,
    };
    const put = await call("PUT", `/api/projects/${project.id}/signature-settings`, { processes: { measurement } }, "manager");
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const expected = { ...measurement, recipients: [measurement.recipients[0], measurement.recipients[1], { ...measurement.recipients[2], email: "fiscal@example.com" }] };
    assert.deepEqual(put.body.processes.measurement, expected);
    assert.deepEqual(put.body.processes.contract, defaults("contract", "contract.approved", "contract-standard"));

    // A second PUT of one field of another process leaves measurement alone.
    const second = await call("PUT", `/api/projects/${project.id}/signature-settings`, { processes: { contract: { enabled: true, trigger: "contract.active" } } });
    assert.equal(second.status, 200);
    assert.equal(second.body.processes.contract.enabled, true);
    assert.equal(second.body.processes.contract.trigger, "contract.active");
    assert.equal(second.body.processes.contract.mode, "manual");
    assert.deepEqual(second.body.processes.measurement, expected);

    const got = await call("GET", `/api/projects/${project.id}/signature-settings`, undefined, "viewer");
    assert.deepEqual(got.body, second.body);
    const again = await call("PUT", `/api/projects/${project.id}/signature-settings`, got.body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, got.body);

    const row = await h.runtime.ctx.db.selectFrom("project_signature_settings").selectAll().where("project_id", "=", project.id).where("process", "=", "measurement").executeTakeFirstOrThrow();
    assert.equal(Number(row.version), 2);
    assert.equal(row.updated_by, h.users.admin.id);
    assert.deepEqual(await getProcessSettings(h.runtime.ctx, project.id, "measurement"), expected);
    assert.deepEqual((await getProcessSettings(h.runtime.ctx, project.id, "advance")).trigger, "advance.approved");
  });

  test("validation errors name the field path", async () => {
    const project = await makeProject(h);
    const url = `/api/projects/${project.id}/signature-settings`;
    const bad = async (processes: unknown) => {
      const res = await call("PUT", url, { processes });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "validation");
      return res.body.error.fields as Record<string, string>;
    };
    assert.ok((await bad({ measurement: { criteria: [{ field: "totalCents", op: "gte", value: "100" }] } }))["processes.measurement.criteria.0.value"]);
    assert.ok((await bad({ measurement: { criteria: [{ field: "totalCents", op: "in", value: 100 }] } }))["processes.measurement.criteria.0.value"]);
    assert.ok((await bad({ contract: { criteria: [{ field: "contract.kind", op: "gt", value: "x" }] } }))["processes.contract.criteria.0.op"]);
    assert.ok((await bad({ contract: { criteria: [{ field: "colour", op: "eq", value: "x" }] } }))["processes.contract.criteria.0.field"]);
    assert.ok((await bad({ advance: { criteria: [{ field: "partyId", op: "eq", value: "acme" }] } }))["processes.advance.criteria.0.value"]);
    assert.ok((await bad({ period: { criteria: [{ field: "totalCents", op: "gt", value: 1 }] } }))["processes.period.criteria.0.field"]);
    assert.ok((await bad({ contract: { trigger: "contract.draft" } }))["processes.contract.trigger"], "not reached by a transition");
    assert.ok((await bad({ contract: { trigger: "measurement.approved" } }))["processes.contract.trigger"], "not a related kind");
    assert.ok((await bad({ contract: { trigger: "contract.paid" } }))["processes.contract.trigger"]);
    assert.ok((await bad({ contract: { report: "measurement-standard" } }))["processes.contract.report"]);
    assert.ok((await bad({ contract: { expiresInDays: 0 } }))["processes.contract.expiresInDays"]);
    assert.ok((await bad({ contract: { expiresInDays: 366 } }))["processes.contract.expiresInDays"]);
    assert.ok((await bad({ contract: { reminderEveryDays: 61 } }))["processes.contract.reminderEveryDays"]);
    assert.ok((await bad({ contract: { mode: "sometimes" } }))["processes.contract.mode"]);
    assert.ok((await bad({ contract: { enabled: "yes" } }))["processes.contract.enabled"]);
    assert.equal((await bad({ contract: { colour: "blue" } }))["processes.contract.colour"], "unknown field");
    assert.equal((await bad({ invoice: {} }))["processes.invoice"], "unknown field");
    const rules = await bad({
      contract: {
        recipients: [
          { source: "email", name: "X", email: "not-an-email", action: "sign" },
          { source: "project_user", role: "janitor", action: "sign" },
          { source: "party_contact", role: "legal_representative", action: "dance" },
          { source: "email", name: "Y", email: "y@example.com", cpf: "111.111.111-12", action: "sign", order: 0 },
        ],
      },
    });
    assert.ok(rules["processes.contract.recipients.0.email"], JSON.stringify(rules));
    assert.ok(rules["processes.contract.recipients.1.role"], JSON.stringify(rules));
    assert.ok(rules["processes.contract.recipients.2.action"], JSON.stringify(rules));
    assert.ok(rules["processes.contract.recipients.3.cpf"], JSON.stringify(rules));
    assert.ok(rules["processes.contract.recipients.3.order"], JSON.stringify(rules));
    const source = await bad({ contract: { recipients: [{ source: "fax", action: "sign" }] } });
    assert.ok(Object.keys(source).some((k) => k.startsWith("processes.contract.recipients.0")), JSON.stringify(source));
    // Nothing was written.
    assert.equal((await call("GET", url)).body.processes.contract.enabled, false);
  });

  test("automatic without a rule producing a signer is refused (422 naming the recipients), nothing half-written", async () => {
    const project = await makeProject(h);
    const url = `/api/projects/${project.id}/signature-settings`;
    const none = await call("PUT", url, { processes: { contract: { enabled: true }, advance: { mode: "automatic" } } });
    assert.equal(none.status, 422);
    assert.equal(none.body.error.code, "unprocessable");
    assert.deepEqual(Object.keys(none.body.error.fields), ["processes.advance.recipients"]);
    const observers = await call("PUT", url, { processes: { advance: { mode: "automatic", recipients: [{ source: "email", name: "O", email: "o@example.com", action: "observe" }] } } });
    assert.equal(observers.status, 422);
    assert.ok(observers.body.error.fields["processes.advance.recipients"]);
    const got = await call("GET", url);
    assert.equal(got.body.processes.contract.enabled, false, "the valid process in the refused PUT was not saved");
    assert.equal(got.body.processes.advance.mode, "manual");
    const ok = await call("PUT", url, { processes: { advance: { mode: "automatic", recipients: [{ source: "email", name: "S", email: "s@example.com", action: "sign_certificate" }] } } });
    assert.equal(ok.status, 200);
    // Removing the last signer of an automatic process is refused too.
    const strip = await call("PUT", url, { processes: { advance: { recipients: [] } } });
    assert.equal(strip.status, 422);
  });

  test("a viewer may read but not change; a manager may change", async () => {
    const project = await makeProject(h);
    const url = `/api/projects/${project.id}/signature-settings`;
    const res = await call("PUT", url, { processes: { contract: { enabled: true } } }, "viewer");
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "forbidden");
    const invalid = await call("PUT", url, { processes: { contract: { enabled: "nope" } } }, "viewer");
    assert.equal(invalid.status, 403, "forbidden before invalid");
    assert.equal((await call("PUT", url, { processes: { contract: { enabled: true } } }, "manager")).status, 200);
    assert.equal((await call("PUT", `/api/projects/${project.id}/members`, { members: [] }, "viewer")).status, 403);
  });

  test("the API is in the OpenAPI document", async () => {
    const doc = await call("GET", "/openapi.json");
    assert.ok(doc.body.paths["/api/projects/{id}/signature-settings"].put);
    assert.ok(doc.body.paths["/api/projects/{id}/members"].get);
  });
});

describe("recordFacts", () => {
  test("facts per process, and criteria over them", async () => {
    const contract = await makeContract(h);
    const ctx = h.runtime.ctx;
    const facts = await recordFacts(ctx, "contract", contract.id);
    assert.deepEqual(facts, { totalCents: contract.totalCents, "contract.totalCents": contract.totalCents, "contract.kind": "empreitada", partyId: contract.partyId, projectId: contract.projectId });
    await moveTo(h, "contracts", contract.id, "approved", "active");
    const amendment = (await h.call("POST", "/api/amendments", { contractId: contract.id, number: "A-1", kind: "value", valueDeltaCents: -50_000, description: "Redução" })).body;
    assert.equal((await recordFacts(ctx, "amendment", amendment.id)).totalCents, -50_000);
    const advance = (await h.call("POST", "/api/advances", { contractId: contract.id, number: "AD-1", amountCents: 123_456, dueDate: "2026-03-01" })).body;
    const advanceFacts = await recordFacts(ctx, "advance", advance.id);
    assert.equal(advanceFacts.totalCents, 123_456);
    assert.equal(advanceFacts["contract.totalCents"], contract.totalCents);
    const period = (await h.call("POST", "/api/periods", { contractId: contract.id, startDate: "2026-01-05", endDate: "2026-01-31" })).body;
    const periodFacts = await recordFacts(ctx, "period", period.id);
    assert.equal("totalCents" in periodFacts, false);
    const measurement = (await h.call("POST", "/api/measurements", { contractId: contract.id, periodId: period.id, lines: [{ contractItemId: (await h.call("GET", `/api/contracts/${contract.id}`)).body.items[0].id, quantity: 10 }] })).body;
    const measurementFacts = await recordFacts(ctx, "measurement", measurement.id);
    assert.equal(measurementFacts.totalCents, 450_000);
    assert.equal(matchesCriteria([{ field: "contract.totalCents", op: "gt", value: 1_000_000 }, { field: "totalCents", op: "lt", value: 500_000 }], measurementFacts), true);
    assert.equal(matchesCriteria([{ field: "partyId", op: "not_in", value: [contract.partyId] }], measurementFacts), false);
  });
});

describe("default recipients", () => {
  test("from party contacts by role, the project manager, members, fixed e-mails; deduped by e-mail, order kept", async () => {
    const ctx = h.runtime.ctx;
    const coordinator = await createUser(ctx, { email: `coord.${Date.now()}@obrasign.test`, name: "Carla Coordenadora", role: "manager", password: "coord-password-1" });
    const engineer = await createUser(ctx, { email: `eng.${Date.now()}@obrasign.test`, name: "Eduardo Engenheiro", role: "viewer", password: "eng-password-1" });
    const project = await makeProject(h, { managerUserId: h.users.manager.id });
    const party = await makeParty(h, {
      contacts: [
        { name: "Ana Souza", email: "ana@fornecedor.example", cpf: validCpf(1), role: "legal_representative" },
        { name: "Bruno Lima", email: "bruno@fornecedor.example", role: "Legal_Representative" },
        { name: "Célia Reis", email: "celia@fornecedor.example", role: "witness" },
        { name: "Duda Sem Papel", email: "duda@fornecedor.example" },
      ],
    });
    const contract = await makeContract(h, { projectId: project.id, partyId: party.id });

    const members = await call("PUT", `/api/projects/${project.id}/members`, {
      members: [{ userId: coordinator.id, role: "contract_manager" }, { userId: engineer.id, role: "site_engineer" }, { userId: h.users.manager.id, role: "contract_manager" }],
    }, "manager");
    assert.equal(members.status, 200, JSON.stringify(members.body));
    assert.equal(members.body.members.length, 3);
    // By role, then user name: not the order they were given in.
    assert.deepEqual(members.body.members.map((m: { role: string; name: string }) => [m.role, m.name]), [
      ["contract_manager", "Carla Coordenadora"], ["contract_manager", "Test manager"], ["site_engineer", "Eduardo Engenheiro"],
    ]);
    const listed = await call("GET", `/api/projects/${project.id}/members`, undefined, "viewer");
    assert.deepEqual(listed.body, members.body);
    const unknownUser = await call("PUT", `/api/projects/${project.id}/members`, { members: [{ userId: "01900000-0000-7000-8000-000000000009", role: "legal" }] });
    assert.equal(unknownUser.status, 422);
    assert.ok(unknownUser.body.error.fields["members.0.userId"]);
    const managerRole = await call("PUT", `/api/projects/${project.id}/members`, { members: [{ userId: engineer.id, role: "manager" }] });
    assert.equal(managerRole.status, 400);
    assert.ok(managerRole.body.error.fields["members.0.role"]);

    const put = await call("PUT", `/api/projects/${project.id}/signature-settings`, {
      processes: {
        contract: {
          signingOrder: true,
          recipients: [
            { source: "party_contact", role: "legal_representative", action: "sign", order: 1 },
            { source: "project_user", role: "manager", action: "sign", order: 2 },
            { source: "project_user", role: "contract_manager", action: "validate", order: 3 },
            { source: "party_contact", role: "witness", action: "witness" },
            { source: "party_contact", role: "nobody_has_this", action: "sign" },
            { source: "email", name: "Ana de novo", email: "ANA@fornecedor.example", action: "observe" },
            { source: "email", name: "Fiscal", email: "fiscal@example.com", cpf: validCpf(7), action: "observe" },
          ],
        },
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const record = await resolveRecord(ctx.db, "contract", contract.id);
    const recipients = await defaultRecipients(ctx, "contract", record);
    assert.deepEqual(recipients, [
      { name: "Ana Souza", email: "ana@fornecedor.example", action: "sign", order: 1, cpf: validCpf(1), auth: "email_code", notifyBy: "email" },
      { name: "Bruno Lima", email: "bruno@fornecedor.example", action: "sign", order: 1, auth: "email_code", notifyBy: "email" },
      { name: "Test manager", email: "manager@obrasign.test", action: "sign", order: 2, auth: "email_code", notifyBy: "email" },
      { name: coordinator.name, email: coordinator.email, action: "validate", order: 3, auth: "email_code", notifyBy: "email" },
      { name: "Célia Reis", email: "celia@fornecedor.example", action: "witness", order: null, auth: "email_code", notifyBy: "email" },
      { name: "Fiscal", email: "fiscal@example.com", action: "observe", order: null, cpf: validCpf(7), auth: "email_code", notifyBy: "email" },
    ]);

    // The same rules serve every process of the contract: a measurement's recipients come from its contract's party.
    await moveTo(h, "contracts", contract.id, "approved", "active");
    await call("PUT", `/api/projects/${project.id}/signature-settings`, {
      processes: { advance: { recipients: [{ source: "party_contact", role: "witness", action: "sign" }, { source: "project_user", role: "site_engineer", action: "observe" }] } },
    });
    const advance = (await h.call("POST", "/api/advances", { contractId: contract.id, number: "AD-9", amountCents: 1_000, dueDate: "2026-03-01" })).body;
    const forAdvance = await defaultRecipients(ctx, "advance", await resolveRecord(ctx.db, "advance", advance.id));
    assert.deepEqual(forAdvance.map((r) => [r.email, r.action]), [["celia@fornecedor.example", "sign"], [engineer.email, "observe"]]);

    // A process without rules has no defaults.
    const period = (await h.call("POST", "/api/periods", { contractId: contract.id, startDate: "2026-01-05", endDate: "2026-01-31" })).body;
    assert.deepEqual(await defaultRecipients(ctx, "period", await resolveRecord(ctx.db, "period", period.id)), []);
  });
});

describe("the Assinatura Eletrônica page", () => {
  const page = (method: "GET" | "POST", url: string, form?: Record<string, string>, as: Role | null = "manager", headers: Record<string, string> = {}) =>
    app.inject({
      method, url,
      headers: { ...(as ? { authorization: `Bearer ${h.tokens[as]}` } : {}), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...headers },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });

  /** Every control in the form has a <label for> (or sits inside a <label>). */
  function assertLabelled(html: string) {
    const form = html.slice(html.indexOf("<form"), html.lastIndexOf("</form>"));
    const ids = [...form.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|checkbox)")[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(ids.length > 50, `found ${ids.length} controls`);
    for (const id of ids) assert.ok(form.includes(`for="${id}"`), `no label for #${id}`);
    const boxes = [...form.matchAll(/<input type="checkbox"[^>]*>/g)].length;
    const labelledBoxes = [...form.matchAll(/<label class="pss-check"[^>]*>\s*<input type="checkbox"/g)].length;
    assert.equal(labelledBoxes, boxes, "every checkbox sits inside its label");
  }

  const measurementForm = (over: Record<string, string> = {}) => ({
    "measurement.present": "1",
    "measurement.enabled": "on",
    "measurement.mode": "automatic",
    "measurement.trigger": "measurement.approved",
    "measurement.report": "measurement-standard",
    "measurement.criteria.0.field": "contract.totalCents",
    "measurement.criteria.0.op": "gt",
    "measurement.criteria.0.value": "R$ 100.000,00",
    "measurement.criteria.1.field": "contract.kind",
    "measurement.criteria.1.op": "in",
    "measurement.criteria.1.value": "empreitada; fornecimento",
    "measurement.criteria.2.field": "",
    "measurement.criteria.2.op": "gte",
    "measurement.criteria.2.value": "",
    "measurement.recipients.0.source": "party_contact",
    "measurement.recipients.0.role": "legal_representative",
    "measurement.recipients.0.name": "", "measurement.recipients.0.email": "", "measurement.recipients.0.cpf": "",
    "measurement.recipients.0.action": "sign",
    "measurement.recipients.0.order": "1",
    "measurement.recipients.1.source": "email",
    "measurement.recipients.1.role": "",
    "measurement.recipients.1.name": "Fiscal",
    "measurement.recipients.1.email": "fiscal@example.com",
    "measurement.recipients.1.cpf": "",
    "measurement.recipients.1.action": "observe",
    "measurement.recipients.1.order": "",
    "measurement.recipients.2.source": "project_user",
    "measurement.recipients.2.role": "manager",
    "measurement.recipients.2.action": "validate",
    "measurement.recipients.2.remove": "1",
    "measurement.recipients.3.source": "", "measurement.recipients.3.role": "", "measurement.recipients.3.action": "sign",
    "measurement.signingOrder": "on",
    "measurement.expiresInDays": "10",
    "measurement.reminderEveryDays": "",
    "measurement.subject": "Boletim",
    "measurement.message": "",
    "measurement.blockDependentProcesses": "on",
    ...over,
  });

  test("renders every process with labelled controls, pt-BR first, English by choice; read-only for a viewer", async () => {
    const project = await makeProject(h, { code: "PG-1" });
    const res = await page("GET", `/projects/${project.id}/signature-settings`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /text\/html/);
    assert.match(res.body, /Assinatura Eletrônica/);
    for (const label of ["Contrato", "Aditivo", "Período de contrato", "Medição", "Adiantamento de contrato", "Bloquear processos dependentes de assinatura", "Aprovação da medição (measurement.approved)"]) {
      assert.ok(res.body.includes(label), label);
    }
    assert.match(res.body, /<form method="post" action="\/projects\/[^"]+\/signature-settings"/);
    assert.match(res.body, /hx-post=/);
    assertLabelled(res.body);

    const en = await page("GET", `/projects/${project.id}/signature-settings`, undefined, "manager", { cookie: "lang=en" });
    assert.match(en.body, /Electronic signature/);
    assert.match(en.body, /Block processes that depend on the signature/);
    const browser = await page("GET", `/projects/${project.id}/signature-settings`, undefined, "manager", { "accept-language": "en-US,en;q=0.9" });
    assert.match(browser.body, /Electronic signature/);

    const viewer = await page("GET", `/projects/${project.id}/signature-settings`, undefined, "viewer");
    assert.equal(viewer.statusCode, 200);
    assert.match(viewer.body, /<fieldset class="pss-all" disabled>/);
    assert.doesNotMatch(viewer.body, /name="add"/);

    const anonymous = await page("GET", `/projects/${project.id}/signature-settings`, undefined, null);
    assert.equal(anonymous.statusCode, 302);
    assert.match(anonymous.headers.location as string, /^\/login\?next=/);
  });

  test("a form POST saves (amounts in reais, lists, removed and blank rows dropped) and the page shows it", async () => {
    const project = await makeProject(h);
    const url = `/projects/${project.id}/signature-settings`;
    const res = await page("POST", url, measurementForm());
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    assert.equal(res.headers.location, `${url}?saved=1`);
    const api = await call("GET", `/api/projects/${project.id}/signature-settings`);
    assert.deepEqual(api.body.processes.measurement, {
      enabled: true, mode: "automatic", trigger: "measurement.approved",
      criteria: [{ field: "contract.totalCents", op: "gt", value: 10_000_000 }, { field: "contract.kind", op: "in", value: ["empreitada", "fornecimento"] }],
      report: "measurement-standard",
      recipients: [
        { source: "party_contact", role: "legal_representative", action: "sign", order: 1 },
        { source: "email", name: "Fiscal", email: "fiscal@example.com", action: "observe" },
      ],
      signingOrder: true, expiresInDays: 10, reminderEveryDays: null, subject: "Boletim", message: null, allowRejection: false, blockDependentProcesses: true,
    });
    assert.deepEqual(api.body.processes.contract, defaults("contract", "contract.approved", "contract-standard"), "sections not posted are unchanged");
    const shown = await page("GET", `${url}?saved=1`);
    assert.match(shown.body, /Parâmetros salvos/);
    assert.match(shown.body, /value="100\.000,00"/);
    assert.match(shown.body, /value="empreitada; fornecimento"/);
  });

  test("errors come back next to their fields, nothing saved", async () => {
    const project = await makeProject(h);
    const url = `/projects/${project.id}/signature-settings`;
    const bad = await page("POST", url, measurementForm({ "measurement.criteria.0.value": "cem mil", "measurement.expiresInDays": "400", "measurement.recipients.1.email": "fiscal" }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Corrija os campos indicados/);
    assert.match(bad.body, /id="measurement-criteria-0-value"[^>]*aria-invalid="true"[^>]*aria-describedby="measurement-criteria-0-value-error"/);
    assert.match(bad.body, /id="measurement-criteria-0-value-error" class="pss-error">informe um valor em reais/);
    assert.match(bad.body, /id="measurement-expiresInDays-error"/);
    assert.match(bad.body, /id="measurement-recipients-1-email-error"/);
    assert.match(bad.body, /value="cem mil"/, "what was typed comes back");
    assert.equal((await call("GET", `/api/projects/${project.id}/signature-settings`)).body.processes.measurement.enabled, false);

    const noSigner = await page("POST", url, measurementForm({ "measurement.recipients.0.action": "witness" }));
    assert.equal(noSigner.statusCode, 422);
    assert.match(noSigner.body, /id="measurement-recipients-error" class="pss-error" role="alert">automatic mode needs/);
  });

  test("adding a row re-renders without saving (plain POST and htmx); a viewer may not post", async () => {
    const project = await makeProject(h);
    const url = `/projects/${project.id}/signature-settings`;
    const added = await page("POST", url, { ...measurementForm(), add: "measurement.recipients" });
    assert.equal(added.statusCode, 200);
    // Rows 0, 1 and the blank 3 stay (2 was marked "remove"), then a new blank one.
    assert.match(added.body, /name="measurement\.recipients\.3\.source"/, "posted rows (blank included) plus a new one");
    assert.doesNotMatch(added.body, /name="measurement\.recipients\.4\.source"/);
    assert.match(added.body, /name="measurement\.recipients\.1\.email"[^>]*value="fiscal@example.com"/);
    assert.match(added.body, /name="contract\.recipients\.0\.source"/, "other sections keep their blank row");
    assert.equal((await call("GET", `/api/projects/${project.id}/signature-settings`)).body.processes.measurement.enabled, false);
    const viaHtmx = await page("POST", url, { ...measurementForm(), add: "measurement.criteria" }, "manager", { "hx-request": "true" });
    assert.equal(viaHtmx.statusCode, 200);
    assert.match(viaHtmx.body, /id="measurement-criteria-block"/);
    assert.match(viaHtmx.body, /name="measurement\.criteria\.3\.field"/);

    const viewer = await page("POST", url, measurementForm(), "viewer");
    assert.equal(viewer.statusCode, 403);
    assert.equal((await call("GET", `/api/projects/${project.id}/signature-settings`)).body.processes.measurement.enabled, false);
  });
});
