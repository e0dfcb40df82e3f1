import type { AppContext } from "../../platform/context.js";
import type { Db } from "../../platform/db/connect.js";
import type { Tx } from "../../platform/db/transaction.js";
import { AppError, notFound } from "../../platform/errors.js";
import { usersByIds } from "../auth/queries.js";
import { getRow } from "../records/queries.js";
import { findRecordRow, projectExists } from "../records/reads.js";
import { processes, recordKindOf, type Process } from "../envelopes/processes.js";
import { projectDocumentLanguage } from "../envelopes/document-language.js";
import type { RecordFacts } from "./criteria.js";
import { defaultProcessSettings, type ProcessSettings, type ProjectSignatureSettings } from "./schemas.js";

type Reader = Db | Tx;

/** Stored JSON over the defaults: a field added later reads as its default in old rows. */
function fromStored(process: Process, json: string): ProcessSettings {
  return { ...defaultProcessSettings(process), ...(JSON.parse(json) as Partial<ProcessSettings>) };
}

export async function assertProjectExists(db: Reader, projectId: string): Promise<void> {
  if (!(await projectExists(db, projectId))) throw notFound("Project");
}

/** Every process's settings for a project, defaults where never configured. The project must exist (404). */
export async function getProjectSignatureSettings(ctx: { db: Reader }, projectId: string): Promise<ProjectSignatureSettings> {
  await assertProjectExists(ctx.db, projectId);
  const rows = await ctx.db.selectFrom("project_signature_settings").select(["process", "settings"]).where("project_id", "=", projectId).execute();
  const stored = new Map(rows.map((r) => [r.process, r.settings]));
  const out = {} as Record<Process, ProcessSettings>;
  for (const p of processes) out[p] = stored.has(p) ? fromStored(p, stored.get(p)!) : defaultProcessSettings(p);
  return { processes: out, documentLanguage: await projectDocumentLanguage(ctx.db, projectId) };
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
  const row: any = await findRecordRow(ctx.db, kind, recordId);
  if (!row) throw new AppError("not_found", `${process} not found`);
  const contract: any = process === "contract" ? row : await getRow(ctx.db, "contracts", row.contract_id);
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
  // By role, then user name and id: roles in the database's order, users in auth's (both its collation).
  const rows = await ctx.db.selectFrom("project_members").select(["user_id", "role"]).where("project_id", "=", projectId).orderBy("role").execute();
  const users = await usersByIds(ctx.db, [...new Set(rows.map((r) => r.user_id))]);
  const members: ProjectMember[] = [];
  for (const role of new Set(rows.map((r) => r.role))) {
    const holders = new Set(rows.filter((r) => r.role === role).map((r) => r.user_id));
    for (const u of users) if (holders.has(u.id)) members.push({ userId: u.id, role, name: u.name, email: u.email });
  }
  return members;
}
