import { isIP } from "node:net";
import { z } from "zod";
import { isValidCnpj, onlyDigits } from "../../platform/validation/documents.js";

export const signatureProviders = ["embedded", "totvs-sign"] as const;
export type SignatureProviderName = (typeof signatureProviders)[number];

/** The settings each provider choice cannot do without (the built-in provider needs none). */
export const requiredSettingsOf: Record<SignatureProviderName, readonly ("serviceUser" | "servicePassword")[]> = {
  embedded: [],
  "totvs-sign": ["serviceUser", "servicePassword"],
};

/** The production addresses quoted by the source description (DOMAIN.md point 6). */
export const defaultTotvsSignUrls = {
  authUrl: "https://totvssign.totvs.app/identityintegration",
  apiUrl: "https://totvssign.totvs.app",
  webLoginUrl: "https://totvssign.totvs.app/webapptotvssign/#/auth/login?external=true",
} as const;

/** 127.0.0.0/8, ::1 and localhost: plain http there never leaves the machine (emulators, tunnels). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}

/** Why `value` is not an acceptable TAE address, or null when it is. */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL (https://…)";
  }
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") return isLoopbackHost(url.hostname) ? null : "must use https (plain http only on loopback: 127.0.0.1, ::1, localhost)";
  return "must use https";
}

const urlField = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(2000, { message: "is too long" })
  .superRefine((value, issue) => {
    const problem = urlProblem(value);
    if (problem) issue.addIssue({ code: "custom", message: problem });
  });

/** TAE signs in by e-mail; empty means "no service user yet". */
const serviceUserField = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, { message: "is too long" })
  .refine((s) => s === "" || z.email().safeParse(s).success, { message: "must be an e-mail address (the TAE login)" });

/** The actions a TOTVS Sign recipient acts by, each sent with a `papelAssinante`. */
export const signerRoleActions = ["sign", "validate", "witness", "sign_certificate"] as const;
export type SignerRoleAction = (typeof signerRoleActions)[number];

/** `papelAssinante` values as TOTVS Sign lists them ("como assinante"); empty means the default. */
const signerRoleField = z.string().trim().max(100, { message: "is too long (at most 100 characters)" });

/** The licensed company's CNPJ (digits kept); empty clears it. */
const companyCnpjField = z
  .string()
  .trim()
  .refine((s) => s === "" || isValidCnpj(s), { message: "must be a valid CNPJ (14 digits with check digits)" })
  .transform((s) => onlyDigits(s));

/**
 * PUT body. Every field is optional: what is omitted keeps its value, so the
 * write-only password survives a GET → edit → PUT round trip. `null` clears
 * the password. `servicePasswordSet` is accepted (it comes back from GET) and ignored.
 */
export const updateSignatureSettingsBody = z.strictObject({
  provider: z.enum(signatureProviders, { message: `must be one of: ${signatureProviders.join(", ")}` }).optional(),
  refreshStatusOnLoad: z.boolean({ message: "must be true or false" }).optional(),
  totvsSign: z
    .strictObject({
      authUrl: urlField.optional(),
      apiUrl: urlField.optional(),
      webLoginUrl: urlField.optional(),
      serviceUser: serviceUserField.optional(),
      servicePassword: z.string().min(1, { message: "must not be empty (omit it to keep the current one)" }).max(512, { message: "is too long" }).nullable().optional(),
      servicePasswordSet: z.boolean().optional(),
      /** `papelAssinante` per action; an empty value goes back to the default. */
      signerRoles: z.strictObject(Object.fromEntries(signerRoleActions.map((a) => [a, signerRoleField.optional()])) as Record<SignerRoleAction, z.ZodOptional<typeof signerRoleField>>).optional(),
      companyCnpj: companyCnpjField.optional(),
    })
    .optional(),
});

export type UpdateSignatureSettingsInput = z.input<typeof updateSignatureSettingsBody>;

export const signatureSettingsResponse = z.object({
  provider: z.enum(signatureProviders),
  refreshStatusOnLoad: z.boolean(),
  totvsSign: z.object({
    authUrl: z.string(),
    apiUrl: z.string(),
    webLoginUrl: z.string(),
    serviceUser: z.string(),
    servicePasswordSet: z.boolean(),
    signerRoles: z.record(z.enum(signerRoleActions), z.string()),
    companyCnpj: z.string(),
  }),
});

/** `papelAssinante` defaults, in the style of TOTVS Sign's own list (§7 of TAE-API.md). */
export const defaultSignerRoles: Record<SignerRoleAction, string> = {
  sign: "como assinante",
  validate: "como validador",
  witness: "como testemunha",
  sign_certificate: "como assinante",
};

export type SignatureSettings = z.infer<typeof signatureSettingsResponse>;

export const connectionTestResponse = z.object({ ok: z.boolean(), message: z.string() });
