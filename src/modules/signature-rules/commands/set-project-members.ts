import type { Actor, AppContext } from "../../../platform/context.js";
import { nowIso } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { authorize } from "../../auth/policies.js";
import { activeUsersByIds } from "../../auth/queries.js";
import { assertProjectExists, listProjectMembers, type ProjectMember } from "../queries.js";
import { putProjectMembersBody, type PutProjectMembersInput } from "../schemas.js";

/** Replaces the project's members (user + role pairs); unknown users are refused with 422 naming them. */
export async function setProjectMembers(ctx: AppContext, actor: Actor, projectId: string, input: PutProjectMembersInput): Promise<ProjectMember[]> {
  authorize(actor, "records:write");
  const { members } = putProjectMembersBody.parse(input);
  await assertProjectExists(ctx.db, projectId);
  const ids = [...new Set(members.map((m) => m.userId))];
  const known = new Set((await activeUsersByIds(ctx.db, ids)).map((u) => u.id));
  const fields: Record<string, string> = {};
  members.forEach((m, i) => {
    if (!known.has(m.userId)) fields[`members.${i}.userId`] = "no active user with this id";
  });
  if (Object.keys(fields).length > 0) throw new AppError("unprocessable", `Unknown users: ${Object.keys(fields).join(", ")}`, fields);

  const now = nowIso(ctx);
  await inTransaction(ctx, async (tx) => {
    await tx.deleteFrom("project_members").where("project_id", "=", projectId).execute();
    if (members.length > 0) {
      await tx
        .insertInto("project_members")
        .values(members.map((m) => ({ project_id: projectId, user_id: m.userId, role: m.role, created_at: now })))
        .execute();
    }
  });
  return listProjectMembers(ctx, projectId);
}
