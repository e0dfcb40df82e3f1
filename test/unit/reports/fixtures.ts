/** Report inputs for tests and the benchmark: realistic Brazilian data, accents included. */
import { centsToNumber, lineTotalCents } from "../../../src/modules/reports/decimal.js";
import type {
  AdvanceReportInput,
  AmendmentReportInput,
  ContractReportInput,
  MeasurementReportInput,
  PeriodReportInput,
  ReportBase,
  ReportContractItem,
} from "../../../src/modules/reports/types.js";

const descriptions = [
  "Concreto usinado fck 30 MPa – lançamento e adensamento",
  "Armação de aço CA-50 nº 10, corte, dobra e colocação",
  "Forma de madeira compensada para estruturas, 3 reaproveitamentos",
  "Alvenaria de vedação em bloco cerâmico 14×19×29 cm",
  "Escavação mecânica de vala em solo de 1ª categoria",
  "Impermeabilização com manta asfáltica 4 mm – lajes e calhas",
  "Instalação elétrica: eletroduto PVC rígido ¾\" com conexões",
  "Revestimento cerâmico de piso, argamassa colante AC-II",
];
const units = ["m³", "kg", "m²", "m²", "m³", "m²", "m", "m²"];

export function itemCode(i: number): string {
  return `IT-${String(i + 1).padStart(4, "0")}`;
}

/** n contract items with 4-decimal quantities and odd cent prices. */
export function contractItems(n: number): ReportContractItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `item-${i + 1}`,
    code: itemCode(i),
    description: descriptions[i % descriptions.length],
    unit: units[i % units.length],
    quantity: `${100 + ((i * 37) % 900)}.${String((i * 7919) % 10000).padStart(4, "0")}`,
    unitPriceCents: 1_999 + ((i * 104_729) % 250_000),
  }));
}

export function base(itemCount = 8): ReportBase {
  const items = contractItems(itemCount);
  const totalCents = centsToNumber(items.reduce((sum, it) => sum + lineTotalCents(it.quantity, it.unitPriceCents), 0n));
  return {
    company: { name: "Construtora Horizonte Paulista Ltda.", document: "11222333000181", address: "Rua da Consolação, 1.500 – São Paulo/SP" },
    project: { code: "OB-042", name: "Edifício Residencial São João – Torre B", address: "Av. Paulista, 1.000 – São Paulo/SP" },
    contract: {
      number: "CT-2026/001",
      kind: "Empreitada por preço unitário",
      object: "Execução da estrutura de concreto armado, alvenarias e impermeabilização da Torre B, conforme projeto executivo e memorial descritivo.",
      startDate: "2026-02-02",
      endDate: "2026-11-28",
      items,
      totalCents,
    },
    party: {
      kind: "supplier",
      name: "Fundações & Estruturas Ação Ltda.",
      document: "12345678000195",
      address: "Rod. Anhanguera, km 25 – Osasco/SP",
      contacts: [{ name: "Cláudio Gonçalves", email: "claudio@acao.com.br", role: "Representante legal", cpf: "52998224725" }],
    },
    signers: [
      { name: "José da Conceição Araújo", email: "jose@horizonte.com.br", cpf: "12345678909", action: "sign", role: "Gerente do contrato" },
      { name: "Cláudio Gonçalves", email: "claudio@acao.com.br", cpf: "52998224725", action: "sign_certificate", role: "Representante legal" },
      { name: "Maria Luíza Brandão", email: "maria@horizonte.com.br", cpf: "11144477735", action: "witness" },
      { name: "Ana Beatriz Observadora", email: "ana@horizonte.com.br", action: "observe" },
    ],
    issuedAt: "2026-11-28T15:00:00Z",
    place: "São Paulo",
  };
}

export function contractInput(itemCount = 8): ContractReportInput {
  return base(itemCount);
}

export function amendmentInput(): AmendmentReportInput {
  return {
    ...base(),
    amendment: {
      number: "02",
      kind: "value",
      valueDeltaCents: 1_234_567_890,
      newEndDate: "2027-03-31",
      description: "Acréscimo de serviços de impermeabilização na cobertura e prorrogação do prazo em 4 (quatro) meses – inclusão do item 9.1.",
      date: "2026-11-20",
      items: [
        { id: "new-1", code: "AD-0001", description: "Impermeabilização da cobertura com manta líquida", unit: "m²", quantity: "850.5", unitPriceCents: 8_990 },
      ],
    },
  };
}

export function periodInput(): PeriodReportInput {
  const b = base();
  return {
    ...b,
    period: {
      number: "07",
      startDate: "2026-08-01",
      endDate: "2026-08-31",
      status: "Encerrado",
      previousAccumulatedCents: 98_765_432,
      measurements: [
        { number: "07-A", date: "2026-08-15", status: "Aprovada", totalCents: 12_345_678 },
        { number: "07-B", date: "2026-08-31", status: "Aprovada", totalCents: 1_000_001 },
      ],
      lines: b.contract.items.slice(0, 5).map((item, i) => ({
        item: item.id,
        periodQuantity: `${10 + i}.25`,
        accumulatedQuantity: `${40 + i * 3}.5`,
      })),
    },
  };
}

/** A measurement with one line per contract item; totalCents derived exactly. */
export function measurementInput(itemCount = 8): MeasurementReportInput {
  const b = base(itemCount);
  const lines = b.contract.items.map((item, i) => {
    const previous = `${(i * 13) % 60}.${String((i * 331) % 10000).padStart(4, "0")}`;
    const current = `${5 + ((i * 17) % 30)}.${String((i * 577) % 10000).padStart(4, "0")}`;
    const scaled = (q: string) => BigInt(q.replace(".", ""));
    const acc = scaled(previous) + scaled(current);
    const accumulated = `${acc / 10000n}.${String(acc % 10000n).padStart(4, "0")}`;
    return { item: item.id, previousQuantity: previous, currentQuantity: current, accumulatedQuantity: accumulated };
  });
  const totalCents = centsToNumber(
    lines.reduce((sum, line, i) => sum + lineTotalCents(line.currentQuantity, b.contract.items[i].unitPriceCents), 0n),
  );
  return {
    ...b,
    measurement: {
      number: "12",
      period: { number: "07", startDate: "2026-08-01", endDate: "2026-08-31" },
      date: "2026-08-31",
      lines,
      totalCents,
    },
  };
}

export function advanceInput(): AdvanceReportInput {
  return {
    ...base(),
    advance: {
      number: "03",
      amountCents: 12_345_678,
      dueDate: "2026-12-15",
      description: "Adiantamento para aquisição de aço CA-50 e cimento – mobilização da 2ª etapa.",
      previousAdvancesCents: 50_000_000,
    },
  };
}
