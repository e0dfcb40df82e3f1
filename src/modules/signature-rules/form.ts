/**
 * The page's form and the API shape, both ways. The form is flat
 * (`measurement.criteria.0.value`), amounts are in reais as people type
 * them, lists are separated by semicolons. Rows marked "remove" and blank
 * rows are dropped before saving, so error paths from the API
 * (`processes.measurement.criteria.0.value`) name the rows as re-rendered.
 */
import { numberFormat } from "../../platform/i18n/formatters.js";
import type { Locale } from "../../platform/i18n/index.js";
import { processes, type Process } from "../envelopes/processes.js";
import { fieldTypes, type CriterionField } from "./criteria.js";
import type { ProjectSettingsMessages } from "./messages.js";
import type { ProcessSettings, ProjectSignatureSettings, UpdateProjectSignatureSettingsInput } from "./schemas.js";

export interface CriterionRow { field: string; op: string; value: string }
export interface RuleRow { source: string; role: string; name: string; email: string; cpf: string; action: string; order: string }
export interface ProcessForm {
  enabled: boolean;
  mode: string;
  trigger: string;
  report: string;
  criteria: CriterionRow[];
  recipients: RuleRow[];
  signingOrder: boolean;
  expiresInDays: string;
  reminderEveryDays: string;
  subject: string;
  message: string;
  allowRejection: boolean;
  blockDependentProcesses: boolean;
}
export type SettingsForm = Record<Process, ProcessForm>;

export const blankCriterion = (): CriterionRow => ({ field: "", op: "gte", value: "" });
export const blankRule = (): RuleRow => ({ source: "", role: "", name: "", email: "", cpf: "", action: "sign", order: "" });

/** 12345678 → "123.456,78" (pt-BR) / "123,456.78" (en). */
const twoDecimals: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2 };

export function formatReais(cents: number, locale: Locale): string {
  return numberFormat(locale === "en" ? "en-US" : "pt-BR", twoDecimals).format(cents / 100);
}

/** "R$ 100.000,00" → 10000000; null when it is not an amount. Thousands separators optional. */
export function parseReais(text: string, locale: Locale): number | null {
  let s = text.replace(/R\$|\s|\u00a0/g, "");
  const [thousands, decimal] = locale === "en" ? [",", "."] : [".", ","];
  s = s.split(thousands).join("");
  if (decimal === ",") s = s.replace(",", ".");
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) return null;
  return match[1] ? -cents : cents;
}

const isList = (op: string) => op === "in" || op === "not_in";

function valueToText(field: CriterionField, value: unknown, locale: Locale): string {
  const one = (v: unknown) => (fieldTypes[field] === "cents" && typeof v === "number" ? formatReais(v, locale) : String(v));
  return Array.isArray(value) ? value.map(one).join("; ") : value === undefined || value === null ? "" : one(value);
}

export function formOf(settings: ProjectSignatureSettings, locale: Locale): SettingsForm {
  const out = {} as SettingsForm;
  for (const p of processes) {
    const s: ProcessSettings = settings.processes[p];
    out[p] = {
      enabled: s.enabled,
      mode: s.mode,
      trigger: s.trigger,
      report: s.report,
      criteria: s.criteria.map((c) => ({ field: c.field, op: c.op, value: valueToText(c.field, c.value, locale) })),
      recipients: s.recipients.map((r) => ({
        source: r.source,
        role: r.source === "email" ? "" : r.role,
        name: r.source === "email" ? r.name : "",
        email: r.source === "email" ? r.email : "",
        cpf: r.source === "email" ? (r.cpf ?? "") : "",
        action: r.action,
        order: r.order ? String(r.order) : "",
      })),
      signingOrder: s.signingOrder,
      expiresInDays: String(s.expiresInDays),
      reminderEveryDays: s.reminderEveryDays === null ? "" : String(s.reminderEveryDays),
      subject: s.subject ?? "",
      message: s.message ?? "",
      allowRejection: s.allowRejection,
      blockDependentProcesses: s.blockDependentProcesses,
    };
  }
  return out;
}

/** The posted rows of a list (`measurement.criteria.N.*`), in index order, without the ones marked "remove". */
function postedRows<T>(body: Record<string, unknown>, prefix: string, keys: (keyof T)[]): { row: T; removed: boolean }[] {
  const indexes = new Set<number>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d{1,3})\\.`);
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => ({
      row: Object.fromEntries(keys.map((k) => [k, text(body, `${prefix}.${i}.${String(k)}`)])) as T,
      removed: body[`${prefix}.${i}.remove`] !== undefined,
    }));
}

function text(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "";
}
const checked = (body: Record<string, unknown>, name: string) => body[name] !== undefined;

const criterionBlank = (c: CriterionRow) => c.field === "" && c.value.trim() === "";
const ruleBlank = (r: RuleRow) => r.source === "" && [r.role, r.name, r.email, r.cpf, r.order].every((v) => v.trim() === "");

/**
 * The form as posted, for the processes it carries (a hidden `<p>.present`:
 * unchecked boxes send nothing, so a missing section must not read as "all off").
 * With `keepBlank`, blank rows stay (adding a row), else they go (saving).
 */
export function formFromBody(body: Record<string, unknown>, keepBlank: boolean): Partial<SettingsForm> {
  const out: Partial<SettingsForm> = {};
  for (const p of processes) {
    if (!checked(body, `${p}.present`)) continue;
    const criteria = postedRows<CriterionRow>(body, `${p}.criteria`, ["field", "op", "value"]).filter((r) => !r.removed).map((r) => r.row);
    const recipients = postedRows<RuleRow>(body, `${p}.recipients`, ["source", "role", "name", "email", "cpf", "action", "order"]).filter((r) => !r.removed).map((r) => r.row);
    out[p] = {
      enabled: checked(body, `${p}.enabled`),
      mode: text(body, `${p}.mode`),
      trigger: text(body, `${p}.trigger`),
      report: text(body, `${p}.report`),
      criteria: keepBlank ? criteria : criteria.filter((c) => !criterionBlank(c)),
      recipients: keepBlank ? recipients : recipients.filter((r) => !ruleBlank(r)),
      signingOrder: checked(body, `${p}.signingOrder`),
      expiresInDays: text(body, `${p}.expiresInDays`),
      reminderEveryDays: text(body, `${p}.reminderEveryDays`),
      subject: text(body, `${p}.subject`),
      message: text(body, `${p}.message`),
      allowRejection: checked(body, `${p}.allowRejection`),
      blockDependentProcesses: checked(body, `${p}.blockDependentProcesses`),
    };
  }
  return out;
}

/**
 * The API input for a (compacted) form, and the errors found while
 * converting (amounts and numbers that are not), keyed by form name.
 */
export function inputOfForm(form: Partial<SettingsForm>, locale: Locale, m: ProjectSettingsMessages): { input: UpdateProjectSignatureSettingsInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const whole = (value: string, key: string, message: string, blank: null | undefined): number | string | null | undefined => {
    const v = value.trim();
    if (v === "") return blank;
    if (/^\d{1,6}$/.test(v)) return Number(v);
    errors[key] = message;
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const p of processes) {
    const f = form[p];
    if (!f) continue;
    const criteria = f.criteria.map((c, i) => {
      const key = `${p}.criteria.${i}.value`;
      const type = fieldTypes[c.field as CriterionField];
      const one = (s: string): unknown => {
        if (type !== "cents") return s.trim();
        const cents = parseReais(s, locale);
        if (cents === null) errors[key] = m.moneyInvalid;
        return cents ?? s;
      };
      const value = c.value.trim() === "" ? undefined : isList(c.op) ? c.value.split(";").map((s) => s.trim()).filter(Boolean).map(one) : one(c.value);
      return { field: c.field, op: c.op, value };
    });
    const recipients = f.recipients.map((r, i) => {
      const order = whole(r.order, `${p}.recipients.${i}.order`, m.numberInvalid, undefined);
      const common = { action: r.action, ...(order !== undefined ? { order } : {}) };
      if (r.source === "email") return { source: "email", name: r.name, email: r.email, ...(r.cpf.trim() ? { cpf: r.cpf } : {}), ...common };
      return { source: r.source, role: r.role, ...common };
    });
    out[p] = {
      enabled: f.enabled,
      mode: f.mode,
      trigger: f.trigger,
      criteria,
      report: f.report,
      recipients,
      signingOrder: f.signingOrder,
      expiresInDays: whole(f.expiresInDays, `${p}.expiresInDays`, m.daysInvalid, undefined) ?? (errors[`${p}.expiresInDays`] = m.daysInvalid, ""),
      reminderEveryDays: whole(f.reminderEveryDays, `${p}.reminderEveryDays`, m.daysInvalid, null),
      subject: f.subject,
      message: f.message,
      allowRejection: f.allowRejection,
      blockDependentProcesses: f.blockDependentProcesses,
    };
  }
  return { input: { processes: out } as UpdateProjectSignatureSettingsInput, errors };
}
