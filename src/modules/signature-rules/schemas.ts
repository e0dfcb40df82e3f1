import { z } from "zod";
import { documentLanguages, type DocumentLanguage } from "../envelopes/document-language.js";
import { cpfOrCnpjField, emailField } from "../../platform/validation/fields.js";
import { lifecycles, type RecordKind } from "../records/lifecycles.js";
import { recipientActions } from "../../platform/providers/port.js";
import { defaultTemplate, reportTemplates } from "../reports/templates.js";
import { processes, recordKindOf, type Process } from "../envelopes/processes.js";
import { criterionFields, criterionOps, criterionProblem, type Criterion } from "./criteria.js";

/** Roles a project user may hold. `manager` is the project's managerUserId; the others are assigned as members. */
export const projectMemberRoles = ["contract_manager", "site_engineer", "financial", "legal"] as const;
export type ProjectMemberRole = (typeof projectMemberRoles)[number];
export const projectUserRoles = ["manager", ...projectMemberRoles] as const;
export type ProjectUserRole = (typeof projectUserRoles)[number];

export const sendModes = ["manual", "automatic"] as const;

/**
 * The record kinds whose transitions may trigger a process: its own, and
 * the records above it (the contract; for a measurement also its period).
 */
export const triggerKinds: Record<Process, readonly Process[]> = {
  contract: ["contract"],
  amendment: ["amendment", "contract"],
  period: ["period", "contract"],
  measurement: ["measurement", "period", "contract"],
  advance: ["advance", "contract"],
};

/** The status each process's record reaches for its default trigger (DOMAIN.md). */
export const defaultTriggerStatus: Record<Process, string> = {
  contract: "approved",
  amendment: "approved",
  period: "closed",
  measurement: "approved",
  advance: "approved",
};

/** Statuses reached by a transition (every status but the initial one). */
export function reachableStatuses(kind: RecordKind): string[] {
  const lifecycle = lifecycles[kind];
  if (!lifecycle) return [];
  return Object.keys(lifecycle.transitions).filter((s) => s !== lifecycle.initial);
}

/** Every acceptable trigger of a process, own kind first: `measurement.approved`, … */
export function triggersOf(process: Process): string[] {
  return triggerKinds[process].flatMap((kind) => reachableStatuses(recordKindOf[kind]).map((status) => `${kind}.${status}`));
}

/** `measurement.approved` → { process: "measurement", status: "approved" }; null when not of this shape. */
export function parseTrigger(trigger: string): { process: Process; status: string } | null {
  const match = /^([a-z]+)\.([a-z_]+)$/.exec(trigger);
  if (!match || !(processes as readonly string[]).includes(match[1]!)) return null;
  return { process: match[1] as Process, status: match[2]! };
}

const orderField = z.number({ message: "must be a whole number from 1 to 100" }).int({ message: "must be a whole number from 1 to 100" }).min(1, { message: "must be 1 or more" }).max(100, { message: "must be 100 or less" });
const ruleCommon = {
  action: z.enum(recipientActions, { message: `must be one of ${recipientActions.join(", ")}` }),
  order: orderField.nullable().optional(),
};

export const recipientRule = z.discriminatedUnion(
  "source",
  [
    z.strictObject({ source: z.literal("party_contact"), role: z.string().trim().min(1, { message: "is required" }).max(100, { message: "is too long" }), ...ruleCommon }),
    z.strictObject({ source: z.literal("project_user"), role: z.enum(projectUserRoles, { message: `must be one of ${projectUserRoles.join(", ")}` }), ...ruleCommon }),
    z.strictObject({
      source: z.literal("email"),
      name: z.string().trim().min(1, { message: "is required" }).max(200, { message: "is too long" }),
      email: emailField,
      cpf: cpfOrCnpjField.nullable().optional(),
      ...ruleCommon,
    }),
  ],
  { message: "source must be one of party_contact, project_user, email" },
);
export type RecipientRuleInput = z.input<typeof recipientRule>;
export type RecipientRule =
  | { source: "party_contact"; role: string; action: (typeof recipientActions)[number]; order?: number }
  | { source: "project_user"; role: ProjectUserRole; action: (typeof recipientActions)[number]; order?: number }
  | { source: "email"; name: string; email: string; cpf?: string; action: (typeof recipientActions)[number]; order?: number };

export const criterionSchema = z
  .strictObject({
    field: z.enum(criterionFields, { message: `must be one of ${criterionFields.join(", ")}` }),
    op: z.enum(criterionOps, { message: `must be one of ${criterionOps.join(", ")}` }),
    value: z.unknown(),
  })
  .superRefine((c, issue) => {
    const problem = criterionProblem(c.field, c.op, c.value);
    if (problem) issue.addIssue({ code: "custom", path: [problem.at], message: problem.message });
  });

const nullableText = (max: number) =>
  z
    .string({ message: "must be a text or null" })
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .nullable()
    .transform((s) => (s === null || s === "" ? null : s));

const bool = z.boolean({ message: "must be true or false" });

/** The settings of one process, every field optional: what a PUT omits keeps its value. */
export function processSettingsPatch(process: Process) {
  const triggers = triggersOf(process);
  const templates = reportTemplates[process];
  return z
    .strictObject({
      enabled: bool.optional(),
      mode: z.enum(sendModes, { message: "must be manual or automatic" }).optional(),
      trigger: z
        .string({ message: "must be a text" })
        .refine((t) => triggers.includes(t), { message: `must be one of ${triggers.join(", ")}` })
        .optional(),
      criteria: z.array(criterionSchema, { message: "must be a list" }).max(20, { message: "may have at most 20 criteria" }).optional(),
      report: z
        .string({ message: "must be a text" })
        .refine((r) => templates.includes(r), { message: `must be one of ${templates.join(", ")}` })
        .optional(),
      recipients: z.array(recipientRule, { message: "must be a list" }).max(50, { message: "may have at most 50 rules" }).optional(),
      signingOrder: bool.optional(),
      expiresInDays: z.number({ message: "must be a whole number of days" }).int({ message: "must be a whole number of days" }).min(1, { message: "must be from 1 to 365" }).max(365, { message: "must be from 1 to 365" }).optional(),
      reminderEveryDays: z.number({ message: "must be a whole number of days or null" }).int({ message: "must be a whole number of days" }).min(1, { message: "must be from 1 to 60, or null" }).max(60, { message: "must be from 1 to 60, or null" }).nullable().optional(),
      subject: nullableText(200).optional(),
      message: nullableText(4000).optional(),
      allowRejection: bool.optional(),
      blockDependentProcesses: bool.optional(),
    })
    .superRefine((value, issue) => {
      // A period has no amount of its own: `totalCents` would never hold.
      if (process === "period") {
        value.criteria?.forEach((c, i) => {
          if (c.field === "totalCents") issue.addIssue({ code: "custom", path: ["criteria", i, "field"], message: "a period has no amount of its own: use contract.totalCents" });
        });
      }
    });
}

export const updateProjectSignatureSettingsBody = z.strictObject({
  processes: z.strictObject(Object.fromEntries(processes.map((p) => [p, processSettingsPatch(p).optional()])) as { [P in Process]: z.ZodOptional<ReturnType<typeof processSettingsPatch>> }).optional(),
  /** The language of the project's envelopes when the sender does not choose (automatic sends always take it). */
  documentLanguage: z.enum(documentLanguages, { message: `must be one of ${documentLanguages.join(", ")}` }).optional(),
});
export type UpdateProjectSignatureSettingsInput = z.input<typeof updateProjectSignatureSettingsBody>;

/** The full settings of one process, as stored and as the API answers. */
export interface ProcessSettings {
  enabled: boolean;
  mode: (typeof sendModes)[number];
  trigger: string;
  criteria: Criterion[];
  report: string;
  recipients: RecipientRule[];
  signingOrder: boolean;
  expiresInDays: number;
  reminderEveryDays: number | null;
  subject: string | null;
  message: string | null;
  allowRejection: boolean;
  blockDependentProcesses: boolean;
}

export type ProjectSignatureSettings = { processes: Record<Process, ProcessSettings>; documentLanguage: DocumentLanguage };

export function defaultProcessSettings(process: Process): ProcessSettings {
  return {
    enabled: false,
    mode: "manual",
    trigger: `${process}.${defaultTriggerStatus[process]}`,
    criteria: [],
    report: defaultTemplate(process),
    recipients: [],
    signingOrder: false,
    expiresInDays: 30,
    reminderEveryDays: 3,
    subject: null,
    message: null,
    allowRejection: true,
    blockDependentProcesses: false,
  };
}

/** A rule as stored and presented: optional keys absent rather than null. */
export function normalizeRule(rule: z.output<typeof recipientRule>): RecipientRule {
  const order = rule.order ?? undefined;
  switch (rule.source) {
    case "party_contact":
    case "project_user":
      return { source: rule.source, role: rule.role, action: rule.action, ...(order ? { order } : {}) } as RecipientRule;
    case "email":
      return { source: "email", name: rule.name, email: rule.email, ...(rule.cpf ? { cpf: rule.cpf } : {}), action: rule.action, ...(order ? { order } : {}) };
  }
}

export const signerActions: ReadonlySet<string> = new Set(["sign", "sign_certificate"]);
export const hasSignerRule = (rules: readonly RecipientRule[]) => rules.some((r) => signerActions.has(r.action));

const processSettingsResponse = z.object({
  enabled: z.boolean(),
  mode: z.enum(sendModes),
  trigger: z.string(),
  criteria: z.array(z.object({ field: z.enum(criterionFields), op: z.enum(criterionOps), value: z.unknown() })),
  report: z.string(),
  recipients: z.array(z.record(z.string(), z.unknown())),
  signingOrder: z.boolean(),
  expiresInDays: z.number(),
  reminderEveryDays: z.number().nullable(),
  subject: z.string().nullable(),
  message: z.string().nullable(),
  allowRejection: z.boolean(),
  blockDependentProcesses: z.boolean(),
});
export const projectSignatureSettingsResponse = z.object({
  processes: z.object(Object.fromEntries(processes.map((p) => [p, processSettingsResponse])) as Record<Process, typeof processSettingsResponse>),
  documentLanguage: z.enum(documentLanguages),
});

// Members

export const putProjectMembersBody = z.strictObject({
  members: z
    .array(
      z.strictObject({
        userId: z.string().uuid({ message: "must be an id" }),
        role: z.enum(projectMemberRoles, { message: `must be one of ${projectMemberRoles.join(", ")} (the project manager is the project's managerUserId)` }),
      }),
      { message: "must be a list" },
    )
    .max(200, { message: "may have at most 200 members" })
    .superRefine((members, issue) => {
      const seen = new Set<string>();
      members.forEach((m, i) => {
        const key = `${m.userId}/${m.role}`;
        if (seen.has(key)) issue.addIssue({ code: "custom", path: [i, "role"], message: "this user already has this role in the list" });
        seen.add(key);
      });
    }),
});
export type PutProjectMembersInput = z.input<typeof putProjectMembersBody>;

export const projectMembersResponse = z.object({
  members: z.array(z.object({ userId: z.string(), role: z.string(), name: z.string(), email: z.string() })),
});
