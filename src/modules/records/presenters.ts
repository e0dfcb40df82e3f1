import type {
  AdvancesTable, AmendmentsTable, ContractItemsTable, ContractsTable, MeasurementLinesTable, MeasurementsTable,
  PartiesTable, PartyContactsTable, PeriodsTable, ProjectsTable,
} from "../../platform/db/schema.js";
import { fromE4 } from "../../platform/validation/fields.js";

type Row<T> = Omit<T, "version"> & { version: number };
const meta = (r: { id: string; external_id: string | null; created_at: string; updated_at: string; version: number }) => ({
  id: r.id,
  externalId: r.external_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export const presentProject = (r: Row<ProjectsTable>) => ({
  ...meta(r),
  code: r.code,
  name: r.name,
  address: r.address,
  managerUserId: r.manager_user_id,
  status: r.status,
});

export const presentParty = (r: Row<PartiesTable>, contacts: PartyContactsTable[]) => ({
  ...meta(r),
  kind: r.kind,
  name: r.name,
  document: r.document,
  contacts: contacts.map((c) => ({ id: c.id, name: c.name, email: c.email, cpf: c.cpf, role: c.role })),
});

export const presentContractItem = (i: ContractItemsTable, amendedE4 = 0, measuredE4 = 0) => ({
  id: i.id,
  code: i.code,
  description: i.description,
  unit: i.unit,
  quantity: fromE4(i.quantity_e4),
  unitPriceCents: i.unit_price_cents,
  totalCents: i.total_cents,
  amendedQuantity: fromE4(i.quantity_e4 + amendedE4),
  measuredQuantity: fromE4(measuredE4),
});

export const presentContract = (
  r: Row<ContractsTable>,
  items: ReturnType<typeof presentContractItem>[] | undefined,
  amendedValueCents: number,
) => ({
  ...meta(r),
  projectId: r.project_id,
  partyId: r.party_id,
  number: r.number,
  kind: r.kind,
  object: r.object,
  startDate: r.start_date,
  endDate: r.end_date,
  status: r.status,
  totalCents: r.total_cents,
  /** The total once applied amendments' value changes are counted. */
  amendedTotalCents: r.total_cents + amendedValueCents,
  locked: r.locked_at !== null,
  ...(items ? { items } : {}),
});

export const presentAmendment = (r: Row<AmendmentsTable>, items: { contract_item_id: string; quantity_delta_e4: number }[] | undefined) => ({
  ...meta(r),
  contractId: r.contract_id,
  number: r.number,
  kind: r.kind,
  valueDeltaCents: r.value_delta_cents,
  newEndDate: r.new_end_date,
  description: r.description,
  status: r.status,
  ...(items ? { items: items.map((i) => ({ contractItemId: i.contract_item_id, quantityDelta: fromE4(i.quantity_delta_e4) })) } : {}),
});

export const presentPeriod = (r: Row<PeriodsTable>) => ({
  ...meta(r),
  contractId: r.contract_id,
  number: r.number,
  startDate: r.start_date,
  endDate: r.end_date,
  status: r.status,
});

export const presentMeasurement = (r: Row<MeasurementsTable>, lines: MeasurementLinesTable[] | undefined) => ({
  ...meta(r),
  contractId: r.contract_id,
  periodId: r.period_id,
  number: r.number,
  status: r.status,
  totalCents: r.total_cents,
  ...(lines ? { lines: lines.map((l) => ({ id: l.id, contractItemId: l.contract_item_id, quantity: fromE4(l.quantity_e4), totalCents: l.total_cents })) } : {}),
});

export const presentAdvance = (r: Row<AdvancesTable>) => ({
  ...meta(r),
  contractId: r.contract_id,
  number: r.number,
  amountCents: r.amount_cents,
  dueDate: r.due_date,
  status: r.status,
});
