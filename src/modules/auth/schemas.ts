import { z } from "zod";

export const roleSchema = z.enum(["admin", "manager", "viewer"]);
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ message: "must be a valid e-mail address" }));
export const passwordSchema = z.string().min(8, "must have at least 8 characters").max(200);

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1, "is required").max(200),
  role: roleSchema,
  password: passwordSchema.optional(),
});

export const updateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: roleSchema.optional(),
  password: passwordSchema.optional(),
  disabled: z.boolean().optional(),
});

export const createTokenBody = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(100).optional(),
});
