import { readSettings } from "../../platform/settings.js";
import type { AppContext } from "../../platform/context.js";
import { defaultSignerRoles, defaultTotvsSignUrls, signatureProviders, signerRoleActions, type SignatureSettings, type SignerRoleAction } from "./schemas.js";

/** One `settings` row per key; values are JSON text. The password row holds a SecretBox-sealed string. */
export const settingKeys = {
  provider: "signature.provider",
  refreshStatusOnLoad: "signature.refreshStatusOnLoad",
  authUrl: "signature.totvsSign.authUrl",
  apiUrl: "signature.totvsSign.apiUrl",
  webLoginUrl: "signature.totvsSign.webLoginUrl",
  serviceUser: "signature.totvsSign.serviceUser",
  servicePassword: "signature.totvsSign.servicePasswordSealed",
  signerRoles: "signature.totvsSign.signerRoles",
  companyCnpj: "signature.totvsSign.companyCnpj",
} as const;

export type SettingName = keyof typeof settingKeys;

/** The settings as stored: the password still sealed. Internal to this module and the provider factory. */
export interface StoredSignatureSettings {
  provider: SignatureSettings["provider"];
  refreshStatusOnLoad: boolean;
  authUrl: string;
  apiUrl: string;
  webLoginUrl: string;
  serviceUser: string;
  servicePasswordSealed: string | null;
  /** Only the actions whose role was changed from the default. */
  signerRoles: Partial<Record<SignerRoleAction, string>>;
  companyCnpj: string;
}

export const defaultStoredSettings: StoredSignatureSettings = {
  provider: "embedded",
  refreshStatusOnLoad: false,
  ...defaultTotvsSignUrls,
  serviceUser: "",
  servicePasswordSealed: null,
  signerRoles: {},
  companyCnpj: "",
};


export async function readStoredSignatureSettings(ctx: AppContext): Promise<StoredSignatureSettings> {
  const byKey = await readSettings(ctx.db, Object.values(settingKeys));
  const text = (name: SettingName, fallback: string) => {
    const v = byKey.get(settingKeys[name]);
    return typeof v === "string" ? v : fallback;
  };
  const provider = byKey.get(settingKeys.provider);
  const sealed = byKey.get(settingKeys.servicePassword);
  return {
    provider: signatureProviders.includes(provider as never) ? (provider as StoredSignatureSettings["provider"]) : defaultStoredSettings.provider,
    refreshStatusOnLoad: byKey.get(settingKeys.refreshStatusOnLoad) === true,
    authUrl: text("authUrl", defaultStoredSettings.authUrl),
    apiUrl: text("apiUrl", defaultStoredSettings.apiUrl),
    webLoginUrl: text("webLoginUrl", defaultStoredSettings.webLoginUrl),
    serviceUser: text("serviceUser", ""),
    servicePasswordSealed: typeof sealed === "string" && sealed !== "" ? sealed : null,
    signerRoles: rolesOf(byKey.get(settingKeys.signerRoles)),
    companyCnpj: text("companyCnpj", ""),
  };
}

function rolesOf(value: unknown): Partial<Record<SignerRoleAction, string>> {
  if (!value || typeof value !== "object") return {};
  const roles: Partial<Record<SignerRoleAction, string>> = {};
  for (const action of signerRoleActions) {
    const role = (value as Record<string, unknown>)[action];
    if (typeof role === "string" && role.trim()) roles[action] = role;
  }
  return roles;
}

/** What anyone with `settings:read` may see: an allow-list, the password reduced to "is it set". */
export function presentSignatureSettings(stored: StoredSignatureSettings): SignatureSettings {
  return {
    provider: stored.provider,
    refreshStatusOnLoad: stored.refreshStatusOnLoad,
    totvsSign: {
      authUrl: stored.authUrl,
      apiUrl: stored.apiUrl,
      webLoginUrl: stored.webLoginUrl,
      serviceUser: stored.serviceUser,
      servicePasswordSet: stored.servicePasswordSealed !== null,
      signerRoles: { ...defaultSignerRoles, ...stored.signerRoles },
      companyCnpj: stored.companyCnpj,
    },
  };
}

export async function getSignatureSettings(ctx: AppContext): Promise<SignatureSettings> {
  return presentSignatureSettings(await readStoredSignatureSettings(ctx));
}
