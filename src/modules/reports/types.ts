/**
 * Input of the PDF reports: plain data that the caller (the signature module)
 * assembles from the records. Nothing here touches a database.
 *
 * Conventions:
 * - money is integer cents (`number` that is a safe integer, or `bigint`);
 * - dates are ISO strings: `YYYY-MM-DD` (printed as is, no time zone shift) or
 *   a full ISO timestamp (printed in America/Sao_Paulo);
 * - quantities are decimal strings ("12.5") or numbers with at most 4 decimals;
 * - CPF/CNPJ are digits (punctuation is tolerated and ignored).
 */

export type Locale = "pt-BR" | "en";

export const reportProcesses = ["contract", "amendment", "period", "measurement", "advance"] as const;
export type ReportProcess = (typeof reportProcesses)[number];

/** A decimal quantity: "12.3456", "12,5", 12.5 or 12n. */
export type Quantity = string | number | bigint;
/** Integer cents. */
export type Cents = number | bigint;
/** `YYYY-MM-DD` or a full ISO timestamp. */
export type IsoDate = string;

export interface ReportCompany {
  /** The installation / company name shown at the top of every page. */
  name: string;
  /** CNPJ of the company, digits. */
  document?: string;
  address?: string;
}

export interface ReportProject {
  code: string;
  name: string;
  address?: string;
}

export interface ReportContractItem {
  /** Record id of the contract item; measurement and period lines point to it. */
  id: string;
  code: string;
  description: string;
  unit: string;
  quantity: Quantity;
  unitPriceCents: Cents;
}

export interface ReportContract {
  number: string;
  /** Free text kind, e.g. "Empreitada global" or "Prestação de serviços". */
  kind: string;
  object: string;
  startDate: IsoDate;
  endDate: IsoDate;
  items: ReportContractItem[];
  /** Must equal the sum of the items' totals (quantity × unit price, rounded half-up per item). */
  totalCents: Cents;
}

export interface ReportContact {
  name: string;
  email?: string;
  cpf?: string;
  role?: string;
}

export interface ReportParty {
  kind: "supplier" | "customer";
  name: string;
  /** CPF (11 digits) or CNPJ (14 digits, numeric or the new alphanumeric form). */
  document: string;
  address?: string;
  contacts?: ReportContact[];
}

export type SignerAction = "sign" | "validate" | "witness" | "observe" | "sign_certificate";

export interface ReportSigner {
  name: string;
  email: string;
  cpf?: string;
  action: SignerAction;
  /** Optional function shown under the name, e.g. "Gerente do contrato". */
  role?: string;
}

/** What every report shares. */
export interface ReportBase {
  company: ReportCompany;
  project: ReportProject;
  contract: ReportContract;
  party: ReportParty;
  signers: ReportSigner[];
  /** Issue date printed on the report; defaults to now. Pass it to get byte-identical output for the same input. */
  issuedAt?: IsoDate;
  /** Optional place printed before the issue date ("São Paulo, 28/11/2026"). */
  place?: string;
}

export type ContractReportInput = ReportBase;

export interface ReportAmendment {
  number: string;
  kind: "value" | "term" | "scope";
  /** Change of the contract value; 0 for a pure term amendment. */
  valueDeltaCents: Cents;
  /** New contract end date, when the term changes. */
  newEndDate?: IsoDate | null;
  description: string;
  date?: IsoDate;
  /** Items added or changed by a scope/value amendment (quantity = the change). */
  items?: ReportContractItem[];
}

export interface AmendmentReportInput extends ReportBase {
  amendment: ReportAmendment;
}

export interface ReportPeriodMeasurement {
  number: string;
  date?: IsoDate;
  status?: string;
  totalCents: Cents;
}

export interface ReportPeriodLine {
  /** Contract item id (`ReportContractItem.id`). */
  item: string;
  /** Quantity measured in this period. */
  periodQuantity: Quantity;
  /** Quantity measured from the start of the contract to the end of this period. */
  accumulatedQuantity: Quantity;
}

export interface ReportPeriod {
  number: string;
  startDate: IsoDate;
  endDate: IsoDate;
  status?: string;
  /** The measurements of this period; the period total is their sum. */
  measurements: ReportPeriodMeasurement[];
  /** Per item quantities of the period (optional; without them the contract items are listed). */
  lines?: ReportPeriodLine[];
  /** Value measured in earlier periods (for the accumulated and balance figures). */
  previousAccumulatedCents?: Cents;
}

export interface PeriodReportInput extends ReportBase {
  period: ReportPeriod;
}

export interface ReportMeasurementLine {
  /** Contract item id (`ReportContractItem.id`). */
  item: string;
  previousQuantity: Quantity;
  currentQuantity: Quantity;
  accumulatedQuantity: Quantity;
}

export interface ReportMeasurement {
  number: string;
  period: { number: string; startDate: IsoDate; endDate: IsoDate };
  date?: IsoDate;
  lines: ReportMeasurementLine[];
  /** Must equal the sum of currentQuantity × unit price per line, each rounded half-up to cents. */
  totalCents: Cents;
}

export interface MeasurementReportInput extends ReportBase {
  measurement: ReportMeasurement;
}

export interface ReportAdvance {
  number: string;
  amountCents: Cents;
  dueDate: IsoDate;
  description?: string;
  /** Advances already granted on this contract before this one. */
  previousAdvancesCents?: Cents;
}

export interface AdvanceReportInput extends ReportBase {
  advance: ReportAdvance;
}

export interface ReportInputs {
  contract: ContractReportInput;
  amendment: AmendmentReportInput;
  period: PeriodReportInput;
  measurement: MeasurementReportInput;
  advance: AdvanceReportInput;
}

export interface RenderOptions {
  locale?: Locale;
  /** Template name from `reportTemplates[process]`; defaults to the first one. */
  template?: string;
}
