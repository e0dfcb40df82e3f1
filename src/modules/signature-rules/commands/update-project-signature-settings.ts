import type { Actor, AppContext } from "../../../platform/context.js";
import { actorId, nowIso } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { authorize } from "../../auth/policies.js";
import { processes, type Process } from "../../envelopes/processes.js";
import { setProjectDocumentLanguage } from "../../envelopes/document-language.js";
import { getProjectSignatureSettings } from "../queries.js";
import {
  hasSignerRule, normalizeRule, updateProjectSignatureSettingsBody, type ProcessSettings, type ProjectSignatureSettings,
  type UpdateProjectSignatureSettingsInput,
} from "../schemas.js";

/**
 * Saves the signature settings of the processes the input names; the others
 * stay as they are, and so do the fields a process omits. Automatic mode
 * needs a rule that produces a signer (422 naming `processes.<p>.recipients`).
 * All named processes are written in one transaction, or none.
 */
export async function updateProjectSignatureSettings(
  ctx: AppContext,
  actor: Actor,
  projectId: string,
  input: UpdateProjectSignatureSettingsInput,
): Promise<ProjectSignatureSettings> {
  authorize(actor, "records:write");
  const body = updateProjectSignatureSettingsBody.parse(input);
  const current = await getProjectSignatureSettings(ctx, projectId);

  const changed: [Process, ProcessSettings][] = [];
  const fields: Record<string, string> = {};
  for (const process of processes) {
    const patch = body.processes?.[process];
    if (!patch) continue;
    const { recipients, criteria, ...rest } = patch;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const next: ProcessSettings = {
      ...current.processes[process],
      ...defined,
      ...(criteria ? { criteria: criteria.map((c) => ({ field: c.field, op: c.op, value: c.value as ProcessSettings["criteria"][number]["value"] })) } : {}),
      ...(recipients ? { recipients: recipients.map(normalizeRule) } : {}),
    };
    if (next.mode === "automatic" && !hasSignerRule(next.recipients)) {
      fields[`processes.${process}.recipients`] = "automatic mode needs at least one rule whose action is sign or sign_certificate";
    }
    changed.push([process, next]);
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError("unprocessable", `Automatic sending needs a signer: ${Object.keys(fields).join(", ")}`, fields);
  }

  const language = body.documentLanguage;
  if (changed.length > 0 || language) {
    const now = nowIso(ctx);
    const by = actorId(actor);
    await inTransaction(ctx, async (tx) => {
      if (language) await setProjectDocumentLanguage(tx, projectId, language, ctx.clock.now());
      for (const [process, settings] of changed) {
        const json = JSON.stringify(settings);
        await tx
          .insertInto("project_signature_settings")
          .values({ project_id: projectId, process, settings: json, version: 1, updated_at: now, updated_by: by })
          .onConflict((oc) =>
            oc.columns(["project_id", "process"]).doUpdateSet((eb) => ({
              settings: json,
              version: eb("project_signature_settings.version", "+", 1),
              updated_at: now,
              updated_by: by,
            })),
          )
          .execute();
      }
    });
    ctx.log.info({ by, projectId, processes: changed.map(([p]) => p), ...(language ? { documentLanguage: language } : {}) }, "project signature settings updated");
  }
  return getProjectSignatureSettings(ctx, projectId);
}
