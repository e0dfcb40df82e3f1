import type { z } from "zod";
import { nowIso, type Actor, type AppContext } from "../../../platform/context.js";
import { AppError } from "../../../platform/errors.js";
import { inTransaction, uniqueOr } from "../../../platform/db/transaction.js";
import { newId } from "../../../platform/ids.js";
import { getRecord } from "../queries.js";
import { projectCreate, projectPatch } from "../schemas.js";
import { bumpVersion, loadForUpdate } from "./update-guard.js";
import { requireReference } from "./references.js";

const duplicateCode = (code: string) => new AppError("conflict", `A project with code ${code} already exists`, { code: "already in use" });

export async function createProject(ctx: AppContext, _actor: Actor, input: z.input<typeof projectCreate>) {
  const data = projectCreate.parse(input);
  const now = nowIso(ctx);
  const id = newId();
  await uniqueOr(() => duplicateCode(data.code), async () => {
    await inTransaction(ctx, async (tx) => {
      if (data.managerUserId) await requireReference(tx, "users", data.managerUserId, "managerUserId");
      await tx
        .insertInto("projects")
        .values({ id, external_id: data.externalId ?? null, code: data.code, name: data.name, address: data.address ?? null, manager_user_id: data.managerUserId ?? null, status: "active", created_at: now, updated_at: now })
        .execute();
    });
  });
  return getRecord(ctx, "projects", id);
}

export async function updateProject(ctx: AppContext, _actor: Actor, id: string, input: z.input<typeof projectPatch>) {
  const data = projectPatch.parse(input);
  await uniqueOr(() => duplicateCode(data.code ?? ""), async () => {
    await inTransaction(ctx, async (tx) => {
      const row = await loadForUpdate(ctx, tx, "projects", id, data);
      if (!row) return;
      if (data.managerUserId) await requireReference(tx, "users", data.managerUserId, "managerUserId");
      await tx
        .updateTable("projects")
        .set({
          ...bumpVersion(row, nowIso(ctx)),
          ...(data.code !== undefined ? { code: data.code } : {}),
          ...(data.name !== undefined ? { name: data.name } : {}),
          ...(data.address !== undefined ? { address: data.address } : {}),
          ...(data.managerUserId !== undefined ? { manager_user_id: data.managerUserId } : {}),
        })
        .where("id", "=", id)
        .execute();
    });
  });
  return getRecord(ctx, "projects", id);
}
