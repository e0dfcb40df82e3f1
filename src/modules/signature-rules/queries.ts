import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { AppError, notFound } from "../../platform/errors.js";
import { processes, recordKindOf, type Process } from "../envelopes/processes.js";
import type { RecordFacts } from "./criteria.js";
import { defaultProcessSettings, type ProcessSettings, type ProjectSignatureSettings } from "./schemas.js";

type Reader = Db | Tx;

/** Stored JSON over the defaults: a field added later reads as its default in old rows. */
function fromStored(process: Process, json: string): ProcessSettings {
  return { ...defaultProcessSettings(process), ...(JSON.parse(json) as Partial<ProcessSettings>) };
}

export async function assertProjectExists(db: Reader, projectId: string): Promise<void> {
  const row = await db.selectFrom("projects").select("id").where("id", "=", projectId).executeTakeFirst();
  if (!row) throw notFound("Project");
}

/** Every process's settings for a project, defaults where never configured. The project must exist (404). */
export async function getProjectSignatureSettings(ctx: { db: Reader }, projectId: string): Promise<ProjectSignatureSettings> {
  await assertProjectExists(ctx.db, projectId);
  const rows = await ctx.db.selectFrom("project_signature_settings").select(["process", "settings"]).where("project_id", "=", projectId).execute();
  const stored = new Map(rows.map((r) => [r.process, r.settings]));
  const out = {} as Record<Process, ProcessSettings>;
  for (const p of processes) out[p] = stored.has(p) ? fromStored(p, stored.get(p)!) : defaultProcessSettings(p);
  return { processes: out };
}

/**
 * The settings of one process in one project, for automatic sending and
 * gating: the defaults (disabled, manual) when never configured. Does not
 * check that the project exists.
 */
export async function getProcessSettings(ctx: { db: Reader }, projectId: string, process: Process): Promise<ProcessSettings> {
  const row = await ctx.db
    .selectFrom("project_signature_settings")
    .select("settings")
    .where("project_id", "=", projectId)
    .where("process", "=", process)
    .executeTakeFirst();
  return row ? fromStored(process, row.settings) : defaultProcessSettings(process);
}

/** The record's own amount, by process; a period has none. */
function ownAmount(process: Process, row: any): number | undefined {
  switch (process) {
    case "contract":
    case "measurement":
      return Number(row.total_cents);
    case "amendment":
      return Number(row.value_delta_cents);
    case "advance":
      return Number(row.amount_cents);
    case "period":
      return undefined;
  }
}

/**
 * The facts criteria are evaluated against, from the record of a process:
 * its own amount, its contract's total and kind, the party and the project.
 */
export async function recordFacts(ctx: { db: Reader }, process: Process, recordId: string): Promise<RecordFacts> {
  const kind = recordKindOf[process];
  const row: any = await ctx.db.selectFrom(kind as "contracts").selectAll().where("id", "=", recordId).executeTakeFirst();
  if (!row) throw new AppError("not_found", `${process} not found`);
  const contract: any =
    process === "contract" ? row : await ctx.db.selectFrom("contracts").selectAll().where("id", "=", row.contract_id).executeTakeFirstOrThrow();
  const facts: RecordFacts = {
    "contract.totalCents": Number(contract.total_cents),
    "contract.kind": contract.kind,
    partyId: contract.party_id,
    projectId: contract.project_id,
  };
  const amount = ownAmount(process, row);
  if (amount !== undefined) facts.totalCents = amount;
  return facts;
}

export interface ProjectMember {
  userId: string;
  role: string;
  name: string;
  email: string;
}

export async function listProjectMembers(ctx: { db: Reader }, projectId: string): Promise<ProjectMember[]> {
  await assertProjectExists(ctx.db, projectId);
  const rows = await ctx.db
    .selectFrom("project_members")
    .innerJoin("users", "users.id", "project_members.user_id")
    .select(["project_members.user_id", "project_members.role", "users.name", "users.email"])
    .where("project_members.project_id", "=", projectId)
    .orderBy("project_members.role")
    .orderBy("users.name")
    .orderBy("project_members.user_id")
    .execute();
  return rows.map((r) => ({ userId: r.user_id, role: r.role, name: r.name, email: r.email }));
}
