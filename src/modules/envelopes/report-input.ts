/**
 * Turns one record of a process into the report renderer's input, and renders
 * it. Read-only: everything comes through the records module's reads, so the
 * PDF shows what the database holds at this moment.
 *
 *   const { bytes, fileName } = await renderProcessReport(ctx, "measurement", id, signers);
 *
 * Decisions worth knowing (see the report to the caller):
 * - The contract block is the contract as signed: its own items and quantities,
 *   its stored `totalCents` (= Σ lineTotalCents(item), as the records module derives it).
 *   Applied amendments are not folded in, because the renderer checks the
 *   contract total against its item lines and value amendments have no lines.
 * - Measurement "previous" = Σ of the item in the contract's other measurements
 *   with a smaller id (UUIDv7, so created earlier), whatever their status.
 * - Period "accumulated" counts the measurements of periods numbered up to this one.
 * - Advance "previous advances" = the contract's advances with a smaller id, any status.
 */
import type { AppContext } from "../../platform/context.js";
import { companyNameKey, readSetting } from "../../platform/settings.js";
import { AppError } from "../../platform/errors.js";
import { getRow } from "../records/queries.js";
import {
  advancedCentsBefore, amendmentItemsOf, contractItemIdsOf, contractItemsOf, measuredCentsBeforePeriod, measurementLinesOf,
  measurementsOfPeriod, partyContactsOf, quantitiesMeasuredBefore, quantitiesMeasuredBeforePeriod, quantitiesMeasuredInPeriod,
} from "../records/reads.js";
import {
  type Locale,
  type RenderOptions,
  type ReportBase,
  type ReportContractItem,
  type ReportInputs,
  type ReportProcess,
  type ReportSigner,
  reportProcesses,
} from "../reports/index.js";
import { labels } from "../reports/labels.js";
import { runTask } from "../../platform/workers/index.js";
import { safeFileName } from "./files.js";
import { e4ToDecimal, statusLabel } from "./report/values.js";

export interface ReportSignerInput {
  name: string;
  email: string;
  cpf?: string | null;
  action: ReportSigner["action"];
  role?: string | null;
}

export interface BuildReportOptions {
  /** Language of the words the input carries (statuses); the PDF's own labels follow `renderProcessReport`'s locale. */
  locale?: Locale;
  /** Issue date printed on the report; defaults to the context clock's now (byte-identical PDFs under a fixed clock). */
  issuedAt?: string;
}

export interface RenderedProcessReport {
  bytes: Uint8Array;
  fileName: string;
  projectId: string;
  /** e.g. "Boletim de medição nº 3 - CT-2026-001" (the file name without its extension and unsafe characters). */
  title: string;
}

const recordKind = {
  contract: "contracts",
  amendment: "amendments",
  period: "periods",
  measurement: "measurements",
  advance: "advances",
} as const satisfies Record<ReportProcess, string>;

const DEFAULT_COMPANY_NAME = "obrasign";

function requireProcess(process: unknown): asserts process is ReportProcess {
  if (typeof process !== "string" || !(reportProcesses as readonly string[]).includes(process)) {
    throw new AppError("validation", `process: unknown process ${JSON.stringify(process)}`, {
      process: `one of ${reportProcesses.join(", ")}`,
    });
  }
}

/** The report input of one record of `process`. Throws AppError("not_found") when the record does not exist. */
export async function buildReportInput<P extends ReportProcess>(
  ctx: AppContext,
  process: P,
  recordId: string,
  signers: ReportSignerInput[],
  options: BuildReportOptions = {},
): Promise<ReportInputs[P]> {
  requireProcess(process);
  return (await loadReport(ctx, process, recordId, signers, options)).input as ReportInputs[P];
}

/** Builds the input of one record's report and renders it to PDF. */
export async function renderProcessReport(
  ctx: AppContext,
  process: ReportProcess,
  recordId: string,
  signers: ReportSignerInput[],
  options: RenderOptions & { issuedAt?: string } = {},
): Promise<RenderedProcessReport> {
  requireProcess(process);
  const locale = options.locale ?? "pt-BR";
  const { input, projectId, title } = await loadReport(ctx, process, recordId, signers, { locale, issuedAt: options.issuedAt });
  // Laid out and printed in the worker pool: the event loop keeps serving while a bulletin renders.
  const bytes = await runTask(ctx, "reports.render", { process, input, options: { locale, template: options.template } });
  return { bytes, fileName: safeFileName(title), projectId, title };
}

interface Loaded {
  input: ReportInputs[ReportProcess];
  projectId: string;
  title: string;
}

async function loadReport(
  ctx: AppContext,
  process: ReportProcess,
  recordId: string,
  signers: ReportSignerInput[],
  options: BuildReportOptions,
): Promise<Loaded> {
  const locale = options.locale ?? "pt-BR";
  if (typeof recordId !== "string" || recordId.length === 0) {
    throw new AppError("validation", "recordId: is required", { recordId: "is required" });
  }
  const record = await getRow(ctx.db, recordKind[process], recordId);
  const contractRow = process === "contract" ? record : await getRow(ctx.db, "contracts", record.contract_id);
  const base = await loadBase(ctx, contractRow, signers, options);
  const l = labels[locale];
  const heading = (number: string | number) => `${l.titles[process]} ${l.numberSign} ${number} - ${contractRow.number}`;

  switch (process) {
    case "contract":
      return { input: base, projectId: contractRow.project_id, title: `${l.titles.contract} - ${contractRow.number}` };
    case "amendment":
      return { input: { ...base, amendment: await loadAmendment(ctx, record, base.contract.items) }, projectId: contractRow.project_id, title: heading(record.number) };
    case "period":
      return { input: { ...base, period: await loadPeriod(ctx, record, locale) }, projectId: contractRow.project_id, title: heading(record.number) };
    case "measurement":
      return { input: { ...base, measurement: await loadMeasurement(ctx, record) }, projectId: contractRow.project_id, title: heading(record.number) };
    case "advance":
      return { input: { ...base, advance: await loadAdvance(ctx, record) }, projectId: contractRow.project_id, title: heading(record.number) };
  }
}

/** Company, project, contract with items, party with contacts, signers: what every report shares. */
async function loadBase(ctx: AppContext, contract: any, signers: ReportSignerInput[], options: BuildReportOptions): Promise<ReportBase> {
  const [project, party, contacts, items, companyName] = await Promise.all([
    getRow(ctx.db, "projects", contract.project_id),
    getRow(ctx.db, "parties", contract.party_id),
    partyContactsOf(ctx.db, contract.party_id),
    contractItemsOf(ctx.db, contract.id),
    loadCompanyName(ctx),
  ]);
  const reportItems: ReportContractItem[] = items.map((i) => ({
    id: i.id,
    code: i.code,
    description: i.description,
    unit: i.unit,
    quantity: e4ToDecimal(i.quantity_e4),
    unitPriceCents: Number(i.unit_price_cents),
  }));
  return {
    company: { name: companyName },
    project: { code: project.code, name: project.name, ...(project.address ? { address: project.address } : {}) },
    contract: {
      number: contract.number,
      kind: contract.kind,
      object: contract.object,
      startDate: contract.start_date,
      endDate: contract.end_date,
      items: reportItems,
      // Stored as Σ lineTotalCents(item) by the records module, which is what the renderer recomputes:
      // a mismatch is a data fault and the renderer refuses it (unprocessable) instead of printing it.
      totalCents: Number(contract.total_cents),
    },
    party: {
      kind: party.kind,
      name: party.name,
      document: party.document,
      contacts: contacts.map((c) => ({ name: c.name, email: c.email, ...(c.cpf ? { cpf: c.cpf } : {}), ...(c.role ? { role: c.role } : {}) })),
    },
    signers: signers.map((s) => ({
      name: s.name,
      email: s.email,
      action: s.action,
      ...(s.cpf ? { cpf: s.cpf } : {}),
      ...(s.role ? { role: s.role } : {}),
    })),
    issuedAt: options.issuedAt ?? ctx.clock.now().toISOString(),
  };
}

/** The installation's company name: settings `company.name` (a JSON string) when set, else "obrasign". */
async function loadCompanyName(ctx: AppContext): Promise<string> {
  const value = await readSetting(ctx.db, companyNameKey);
  return typeof value === "string" && value.trim() ? value.trim() : DEFAULT_COMPANY_NAME;
}

async function loadAmendment(ctx: AppContext, amendment: any, contractItems: ReportContractItem[]): Promise<ReportInputs["amendment"]["amendment"]> {
  const rows = await amendmentItemsOf(ctx.db, amendment.id);
  const byId = new Map(contractItems.map((i) => [i.id, i]));
  const items = rows
    .map((r) => ({ row: r, item: byId.get(r.contract_item_id) }))
    .filter((x): x is { row: (typeof rows)[number]; item: ReportContractItem } => x.item !== undefined)
    // In the contract's item order, not the insertion order.
    .sort((a, b) => contractItems.indexOf(a.item) - contractItems.indexOf(b.item))
    .map(({ row, item }) => ({ ...item, quantity: e4ToDecimal(row.quantity_delta_e4) }));
  return {
    number: String(amendment.number),
    kind: amendment.kind,
    valueDeltaCents: Number(amendment.value_delta_cents),
    newEndDate: amendment.new_end_date ?? null,
    description: amendment.description,
    date: amendment.created_at,
    ...(items.length > 0 ? { items } : {}),
  };
}

async function loadPeriod(ctx: AppContext, period: any, locale: Locale): Promise<ReportInputs["period"]["period"]> {
  const measurements = await measurementsOfPeriod(ctx.db, period.id);
  // Earlier periods of the same contract: their measured value, and their quantities for the accumulated column.
  const previousCents = await measuredCentsBeforePeriod(ctx.db, period);
  const [periodQ, beforeQ, itemIds] = await Promise.all([
    quantitiesMeasuredInPeriod(ctx.db, period),
    quantitiesMeasuredBeforePeriod(ctx.db, period),
    contractItemIdsOf(ctx.db, period.contract_id),
  ]);
  const lines = itemIds
    .filter((id) => periodQ.has(id) || beforeQ.has(id))
    .map((id) => {
      const now = periodQ.get(id) ?? 0n;
      return { item: id, periodQuantity: e4ToDecimal(now), accumulatedQuantity: e4ToDecimal(now + (beforeQ.get(id) ?? 0n)) };
    });
  return {
    number: String(period.number),
    startDate: period.start_date,
    endDate: period.end_date,
    status: statusLabel(locale, "periods", period.status),
    measurements: measurements.map((m) => ({
      number: String(m.number),
      date: m.created_at,
      status: statusLabel(locale, "measurements", m.status),
      totalCents: Number(m.total_cents),
    })),
    ...(lines.length > 0 ? { lines } : {}),
    previousAccumulatedCents: previousCents,
  };
}

async function loadMeasurement(ctx: AppContext, measurement: any): Promise<ReportInputs["measurement"]["measurement"]> {
  const [period, lines] = await Promise.all([
    getRow(ctx.db, "periods", measurement.period_id),
    measurementLinesOf(ctx.db, measurement.id),
  ]);
  // Earlier = the contract's other measurements with a smaller id (UUIDv7: created before this one).
  const previous = await quantitiesMeasuredBefore(ctx.db, measurement, lines.map((l) => l.contract_item_id));
  return {
    number: String(measurement.number),
    period: { number: String(period.number), startDate: period.start_date, endDate: period.end_date },
    date: measurement.created_at,
    lines: lines.map((line) => {
      const before = previous.get(line.contract_item_id) ?? 0n;
      const current = BigInt(line.quantity_e4);
      return {
        item: line.contract_item_id,
        previousQuantity: e4ToDecimal(before),
        currentQuantity: e4ToDecimal(current),
        accumulatedQuantity: e4ToDecimal(before + current),
      };
    }),
    // Stored as Σ lineTotalCents(line) at the contract's prices, as the renderer recomputes it.
    totalCents: Number(measurement.total_cents),
  };
}

async function loadAdvance(ctx: AppContext, advance: any): Promise<ReportInputs["advance"]["advance"]> {
  const previousCents = await advancedCentsBefore(ctx.db, advance);
  return {
    number: String(advance.number),
    amountCents: Number(advance.amount_cents),
    dueDate: advance.due_date,
    previousAdvancesCents: previousCents,
  };
}
