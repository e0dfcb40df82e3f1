import { z } from "zod";
import { emailField } from "../../../../platform/validation/fields.js";

export const connectTaeAccountBody = z.strictObject({
  email: emailField,
  password: z.string().min(1, { message: "is required" }).max(512, { message: "is too long" }),
});
export type ConnectTaeAccountInput = z.input<typeof connectTaeAccountBody>;

export const taeAccountStatusResponse = z.object({
  provider: z.enum(["embedded", "totvs-sign"]),
  connected: z.boolean(),
  accountEmail: z.string().nullable(),
  expiresAt: z.string().nullable(),
  account: z.object({
    email: z.string(),
    /** null when it could not be checked (TAE not configured or unreachable). */
    exists: z.boolean().nullable(),
    message: z.string().nullable(),
  }),
  webLoginUrl: z.string(),
});
export type TaeAccountStatus = z.infer<typeof taeAccountStatusResponse>;

export const createTaeAccountResponse = z.object({ email: z.string(), exists: z.boolean(), created: z.boolean() });
