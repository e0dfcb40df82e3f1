import type { z } from "zod";
import type { Actor, AppContext } from "../../platform/context.js";
import type { RecordKind } from "./lifecycles.js";
import * as s from "./schemas.js";
import { createAdvance, updateAdvance } from "./commands/save-advance.js";
import { createAmendment, updateAmendment } from "./commands/save-amendment.js";
import { createContract, updateContract } from "./commands/save-contract.js";
import { createMeasurement, updateMeasurement } from "./commands/save-measurement.js";
import { createParty, updateParty } from "./commands/save-party.js";
import { createPeriod, updatePeriod } from "./commands/save-period.js";
import { createProject, updateProject } from "./commands/save-project.js";

/** One row per record kind: its edge schemas and its create/update commands. */
export interface RecordKindDefinition {
  kind: RecordKind;
  create: z.ZodType;
  patch: z.ZodType;
  createCommand(ctx: AppContext, actor: Actor, input: unknown): Promise<any>;
  updateCommand(ctx: AppContext, actor: Actor, id: string, input: unknown): Promise<any>;
}

const def = (
  kind: RecordKind,
  create: z.ZodType,
  patch: z.ZodType,
  createCommand: (ctx: AppContext, actor: Actor, input: any) => Promise<any>,
  updateCommand: (ctx: AppContext, actor: Actor, id: string, input: any) => Promise<any>,
): RecordKindDefinition => ({ kind, create, patch, createCommand, updateCommand });

export const recordKinds: RecordKindDefinition[] = [
  def("projects", s.projectCreate, s.projectPatch, createProject, updateProject),
  def("parties", s.partyCreate, s.partyPatch, createParty, updateParty),
  def("contracts", s.contractCreate, s.contractPatch, createContract, updateContract),
  def("amendments", s.amendmentCreate, s.amendmentPatch, createAmendment, updateAmendment),
  def("periods", s.periodCreate, s.periodPatch, createPeriod, updatePeriod),
  def("measurements", s.measurementCreate, s.measurementPatch, createMeasurement, updateMeasurement),
  def("advances", s.advanceCreate, s.advancePatch, createAdvance, updateAdvance),
];
