import { companyNameKey, writeSetting } from "../../platform/settings.js";
import { systemActor, type AppContext } from "../../platform/context.js";
import { cnpjFromBase, cpfFromBase } from "../../platform/validation/documents.js";
import { allowedMoves, type RecordKind } from "./lifecycles.js";
import { getRecord, getRow } from "./queries.js";
import { recordKinds } from "./registry.js";
import { transitionRecord } from "./commands/transition-record.js";
import { upsertRecord } from "./commands/upsert-record.js";

/**
 * The demo company: a residential building and a road duplication, their
 * suppliers and a customer, three contracts in several states. Everything is
 * keyed by external id, so loading it again changes nothing.
 */
async function put(ctx: AppContext, kind: RecordKind, externalId: string, body: Record<string, unknown>) {
  const def = recordKinds.find((d) => d.kind === kind)!;
  return (await upsertRecord(ctx, systemActor, def, externalId, body)).record;
}

/** Walks a record forward to `target` along the given path, from wherever it is now. */
async function advanceTo(ctx: AppContext, kind: RecordKind, id: string, path: string[]) {
  for (const step of path) {
    const row = await getRow(ctx.db, kind, id);
    if (row.status === path[path.length - 1]) return;
    if (allowedMoves(kind, row.status).includes(step)) await transitionRecord(ctx, systemActor, kind, id, step);
  }
}

export async function loadDemo(ctx: AppContext) {
  // The company the reports name as contracting party; kept if an admin already set one.
  await writeSetting(ctx.db, companyNameKey, "Construtora Horizonte Ltda", ctx.clock.now(), { ifAbsent: true });

  const residential = await put(ctx, "projects", "demo-project-residencial", {
    code: "OBR-001", name: "Residencial Jardim das Palmeiras", address: "Rua das Palmeiras, 250 — Jardim Botânico, Campinas/SP",
  });
  const highway = await put(ctx, "projects", "demo-project-rodovia", {
    code: "OBR-002", name: "Duplicação da Rodovia SP-101 — Lote 2", address: "SP-101, km 12 ao km 27 — Monte Mor/SP",
  });

  const concreto = await put(ctx, "parties", "demo-party-concreto", {
    kind: "supplier", name: "Concreto Forte Engenharia Ltda", document: cnpjFromBase("112223330001"),
    contacts: [
      { name: "Marcos Antônio Ribeiro", email: "marcos.ribeiro@concretoforte.example", cpf: cpfFromBase("529982247"), role: "legal_representative" },
      { name: "Juliana Sampaio", email: "juliana.sampaio@concretoforte.example", cpf: cpfFromBase("111444777"), role: "witness" },
    ],
  });
  const eletrica = await put(ctx, "parties", "demo-party-eletrica", {
    kind: "supplier", name: "Elétrica Paulista Instalações Ltda", document: cnpjFromBase("458796120001"),
    contacts: [{ name: "Renata Lopes Carvalho", email: "renata@eletricapaulista.example", cpf: cpfFromBase("390533447"), role: "legal_representative" }],
  });
  const cliente = await put(ctx, "parties", "demo-party-valeverde", {
    kind: "customer", name: "Incorporadora Vale Verde S.A.", document: cnpjFromBase("073451890001"),
    contacts: [{ name: "Paulo Henrique Souza", email: "paulo.souza@valeverde.example", cpf: cpfFromBase("853513468"), role: "legal_representative" }],
  });

  const estrutura = await put(ctx, "contracts", "demo-contract-estrutura", {
    projectId: residential.id, partyId: concreto.id, number: "CT-2026/001", kind: "empreitada",
    object: "Execução da estrutura de concreto armado das torres A e B", startDate: "2026-03-02", endDate: "2027-02-26",
    items: [
      { code: "03.01", description: "Concreto usinado fck 30 MPa, lançado e adensado", unit: "m³", quantity: 1850, unitPriceCents: 62_450 },
      { code: "03.02", description: "Armadura de aço CA-50, corte, dobra e montagem", unit: "kg", quantity: 148_000, unitPriceCents: 1_189 },
      { code: "03.03", description: "Fôrma de madeira compensada plastificada", unit: "m²", quantity: 9_600, unitPriceCents: 8_735 },
    ],
  });
  await advanceTo(ctx, "contracts", estrutura.id, ["approved", "active"]);

  await put(ctx, "contracts", "demo-contract-eletrica", {
    projectId: residential.id, partyId: eletrica.id, number: "CT-2026/002", kind: "empreitada",
    object: "Instalações elétricas e de telecomunicações das torres A e B", startDate: "2026-06-01", endDate: "2027-05-31",
    items: [
      { code: "08.01", description: "Eletroduto PVC flexível 25 mm", unit: "m", quantity: 12_500, unitPriceCents: 685 },
      { code: "08.02", description: "Quadro de distribuição de embutir, 24 disjuntores", unit: "un", quantity: 192, unitPriceCents: 48_900 },
    ],
  }).then((c) => advanceTo(ctx, "contracts", c.id, ["approved"]));

  await put(ctx, "contracts", "demo-contract-rodovia", {
    projectId: highway.id, partyId: cliente.id, number: "CT-2026/010", kind: "fornecimento",
    object: "Terraplenagem e pavimentação asfáltica da pista nova, km 12 ao km 27", startDate: "2026-09-01", endDate: "2027-12-20",
    items: [
      { code: "T-01", description: "Escavação, carga e transporte de material de 1ª categoria", unit: "m³", quantity: 85_000, unitPriceCents: 1_975 },
      { code: "P-04", description: "Concreto betuminoso usinado a quente (CBUQ), faixa C", unit: "t", quantity: 21_400, unitPriceCents: 52_300 },
    ],
  });

  const contract = await getRecord(ctx, "contracts", estrutura.id);
  const concrete = contract.items.find((i: { code: string }) => i.code === "03.01");
  const steel = contract.items.find((i: { code: string }) => i.code === "03.02");

  const amendment = await put(ctx, "amendments", "demo-amendment-1", {
    contractId: estrutura.id, number: "1", kind: "value", valueDeltaCents: 18_735_000,
    description: "Acréscimo de concreto para as fundações da torre B após sondagem complementar",
    items: [{ contractItemId: concrete.id, quantityDelta: 300 }],
  });
  await advanceTo(ctx, "amendments", amendment.id, ["approved"]);

  const march = await put(ctx, "periods", "demo-period-1", { contractId: estrutura.id, number: 1, startDate: "2026-03-02", endDate: "2026-03-31" });
  await put(ctx, "periods", "demo-period-2", { contractId: estrutura.id, number: 2, startDate: "2026-04-01", endDate: "2026-04-30" });
  const first = await put(ctx, "measurements", "demo-measurement-1", {
    contractId: estrutura.id, periodId: march.id, number: 1,
    lines: [{ contractItemId: concrete.id, quantity: 212.5 }, { contractItemId: steel.id, quantity: 16_840 }],
  });
  await advanceTo(ctx, "measurements", first.id, ["approved"]);
  await advanceTo(ctx, "periods", march.id, ["closed"]);

  const advance = await put(ctx, "advances", "demo-advance-1", { contractId: estrutura.id, number: "ADT-01", amountCents: 15_000_000, dueDate: "2026-03-15" });
  await advanceTo(ctx, "advances", advance.id, ["approved"]);

  return { projects: 2, parties: 3, contracts: 3 };
}
