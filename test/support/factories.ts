import { cnpjFromBase, cpfFromBase } from "../../src/platform/validation/documents.js";
import type { Harness } from "./harness.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const validCpf = (n = 0) => cpfFromBase(String(529982247 + n).padStart(9, "0").slice(0, 9));
export const validCnpj = (n = 0) => cnpjFromBase(String(112223330001 + n * 10000).padStart(12, "0").slice(0, 12));

async function ok(h: Harness, method: string, url: string, body: unknown) {
  const res = await h.call(method, url, body, "admin");
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const makeProject = (h: Harness, over: Record<string, unknown> = {}) =>
  ok(h, "POST", "/api/projects", { code: `P-${unique()}`, name: "Edifício Aurora", address: "Rua A, 1 — São Paulo/SP", ...over });

export const makeParty = (h: Harness, over: Record<string, unknown> = {}) =>
  ok(h, "POST", "/api/parties", {
    kind: "supplier", name: "Construtora Exemplo Ltda", document: validCnpj(),
    contacts: [{ name: "Ana Souza", email: `ana.${unique()}@example.com`, cpf: validCpf(), role: "legal_representative" }],
    ...over,
  });

export async function makeContract(h: Harness, over: Record<string, unknown> = {}) {
  const projectId = (over.projectId as string) ?? (await makeProject(h)).id;
  const partyId = (over.partyId as string) ?? (await makeParty(h)).id;
  return ok(h, "POST", "/api/contracts", {
    projectId, partyId, number: `CT-${unique()}`, kind: "empreitada", object: "Estrutura de concreto",
    startDate: "2026-01-05", endDate: "2026-12-18",
    items: [
      { code: "01", description: "Concreto fck 30", unit: "m³", quantity: 100, unitPriceCents: 45_000 },
      { code: "02", description: "Aço CA-50", unit: "kg", quantity: 1000.5, unitPriceCents: 1_199 },
    ],
    ...over,
  });
}

export async function moveTo(h: Harness, kind: string, id: string, ...steps: string[]) {
  let last;
  for (const to of steps) last = await ok(h, "POST", `/api/${kind}/${id}/transitions`, { to });
  return last;
}

export async function makeActiveContractWithPeriod(h: Harness) {
  const contract = await makeContract(h);
  await moveTo(h, "contracts", contract.id, "approved", "active");
  const period = await ok(h, "POST", "/api/periods", { contractId: contract.id, startDate: "2026-01-05", endDate: "2026-01-31" });
  return { contract, period };
}
