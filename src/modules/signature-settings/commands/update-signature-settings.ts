import { writeSetting } from "../../../platform/settings.js";
import type { Actor, AppContext } from "../../../platform/context.js";
import { actorId } from "../../../platform/context.js";
import { inTransaction } from "../../../platform/db/transaction.js";
import { AppError } from "../../../platform/errors.js";
import { hostProblem } from "../../../platform/net/address-guard.js";
import { authorize } from "../../auth/policies.js";
import { presentSignatureSettings, readStoredSignatureSettings, settingKeys, type SettingName, type StoredSignatureSettings } from "../queries.js";
import { defaultSignerRoles, requiredSettingsOf, signerRoleActions, updateSignatureSettingsBody, type SignerRoleAction, type SignatureSettings, type UpdateSignatureSettingsInput } from "../schemas.js";

/** A role given replaces the stored one; an empty one, or the default itself, goes back to the default. */
function mergeRoles(current: StoredSignatureSettings["signerRoles"], given: Partial<Record<SignerRoleAction, string | undefined>>) {
  const roles = { ...current };
  for (const action of signerRoleActions) {
    const role = given[action];
    if (role === undefined) continue;
    if (role === "" || role === defaultSignerRoles[action]) delete roles[action];
    else roles[action] = role;
  }
  return roles;
}

const urlFields = ["authUrl", "apiUrl", "webLoginUrl"] as const;

/**
 * The TAE addresses the server calls must be https on a host outside the
 * installation's network, unless OBRASIGN_PROVIDERS_ALLOW_PRIVATE says
 * otherwise (tests, emulators). Only addresses being changed are checked: a
 * name that does not resolve right now must not block saving the rest.
 * The browser opens `webLoginUrl`, not the server, but it is held to the same rule.
 */
async function addressProblems(ctx: AppContext, given: Partial<Record<(typeof urlFields)[number], string>>, current: StoredSignatureSettings) {
  if (ctx.config.providersAllowPrivate) return {};
  const problems: Record<string, string> = {};
  for (const name of urlFields) {
    const value = given[name];
    if (value === undefined || value === current[name]) continue;
    const problem = new URL(value).protocol !== "https:" ? "must use https" : await hostProblem(value, false);
    if (problem) problems[`totvsSign.${name}`] = problem;
  }
  return problems;
}

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
  const refused = await addressProblems(ctx, tae, current);
  if (Object.keys(refused).length > 0) {
    throw new AppError("validation", `The TOTVS Sign addresses are refused: ${Object.entries(refused).map(([f, p]) => `${f} ${p}`).join("; ")}`, refused);
  }

  const next: StoredSignatureSettings = {
    provider: body.provider ?? current.provider,
    refreshStatusOnLoad: body.refreshStatusOnLoad ?? current.refreshStatusOnLoad,
    authUrl: tae.authUrl ?? current.authUrl,
    apiUrl: tae.apiUrl ?? current.apiUrl,
    webLoginUrl: tae.webLoginUrl ?? current.webLoginUrl,
    serviceUser: tae.serviceUser ?? current.serviceUser,
    servicePasswordSealed:
      tae.servicePassword === undefined ? current.servicePasswordSealed : tae.servicePassword === null ? null : ctx.secrets.seal(tae.servicePassword),
    signerRoles: tae.signerRoles ? mergeRoles(current.signerRoles, tae.signerRoles) : current.signerRoles,
    companyCnpj: tae.companyCnpj ?? current.companyCnpj,
  };

  const missing = requiredSettingsOf[next.provider].filter((name) => !(name === "servicePassword" ? next.servicePasswordSealed : next[name]));
  if (missing.length > 0) {
    const fields = Object.fromEntries(missing.map((name) => [`totvsSign.${name}`, "is required to use TOTVS Sign"]));
    throw new AppError("unprocessable", `TOTVS Sign needs a service user and password: ${Object.keys(fields).join(", ")}`, fields);
  }

  const changed = (Object.keys(settingKeys) as SettingName[]).filter((name) => {
    const key = name === "servicePassword" ? "servicePasswordSealed" : name;
    return JSON.stringify(next[key]) !== JSON.stringify(current[key]);
  });
  if (changed.length > 0) {
    const at = ctx.clock.now();
    await inTransaction(ctx, async (tx) => {
      for (const name of changed) {
        const key = name === "servicePassword" ? "servicePasswordSealed" : name;
        await writeSetting(tx, settingKeys[name], next[key], at);
      }
    });
    // Names only: never a value (one of them may be the password).
    ctx.log.info({ by: actorId(actor), changed }, "signature settings updated");
  }
  return presentSignatureSettings(next);
}
