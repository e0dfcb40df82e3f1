import type { Actor, AppContext } from "../../../platform/context.js";
import { actorId, nowIso } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { authorize } from "../../auth/policies.js";
import { presentSignatureSettings, readStoredSignatureSettings, settingKeys, type SettingName, type StoredSignatureSettings } from "../queries.js";
import { updateSignatureSettingsBody, type SignatureSettings, type UpdateSignatureSettingsInput } from "../schemas.js";

/**
 * Saves the global signature settings. What the input omits keeps its value;
 * the password is sealed before it reaches the database and is never echoed
 * or logged. Switching to TOTVS Sign needs a service user and password.
 */
export async function updateSignatureSettings(ctx: AppContext, actor: Actor, input: UpdateSignatureSettingsInput): Promise<SignatureSettings> {
  authorize(actor, "settings:write");
  const body = updateSignatureSettingsBody.parse(input);
  const current = await readStoredSignatureSettings(ctx);
  const tae = body.totvsSign ?? {};

  const next: StoredSignatureSettings = {
    provider: body.provider ?? current.provider,
    refreshStatusOnLoad: body.refreshStatusOnLoad ?? current.refreshStatusOnLoad,
    authUrl: tae.authUrl ?? current.authUrl,
    apiUrl: tae.apiUrl ?? current.apiUrl,
    webLoginUrl: tae.webLoginUrl ?? current.webLoginUrl,
    serviceUser: tae.serviceUser ?? current.serviceUser,
    servicePasswordSealed:
      tae.servicePassword === undefined ? current.servicePasswordSealed : tae.servicePassword === null ? null : ctx.secrets.seal(tae.servicePassword),
  };

  if (next.provider === "totvs-sign") {
    const fields: Record<string, string> = {};
    if (!next.serviceUser) fields["totvsSign.serviceUser"] = "is required to use TOTVS Sign";
    if (!next.servicePasswordSealed) fields["totvsSign.servicePassword"] = "is required to use TOTVS Sign";
    if (Object.keys(fields).length > 0) {
      throw new AppError("unprocessable", `TOTVS Sign needs a service user and password: ${Object.keys(fields).join(", ")}`, fields);
    }
  }

  const changed = (Object.keys(settingKeys) as SettingName[]).filter((name) => {
    const key = name === "servicePassword" ? "servicePasswordSealed" : name;
    return next[key] !== current[key];
  });
  if (changed.length > 0) {
    const now = nowIso(ctx);
    await inTransaction(ctx, async (tx) => {
      for (const name of changed) {
        const key = name === "servicePassword" ? "servicePasswordSealed" : name;
        const value = JSON.stringify(next[key]);
        await tx
          .insertInto("settings")
          .values({ key: settingKeys[name], value, updated_at: now })
          .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now }))
          .execute();
      }
    });
    // Names only: never a value (one of them may be the password).
    ctx.log.info({ by: actorId(actor), changed }, "signature settings updated");
  }
  return presentSignatureSettings(next);
}
