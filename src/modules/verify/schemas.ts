import { z } from "zod";

const signature = z.object({
  signer: z.string(),
  signedAt: z.string().nullable(),
  integrity: z.boolean(),
  trusted: z.boolean(),
  coversWholeDocument: z.boolean(),
  installationSeal: z.boolean(),
  problem: z.string().nullable(),
});

const envelopeSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  provider: z.string(),
  sentAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  originals: z.array(z.object({ name: z.string(), sha256: z.string(), pageCount: z.number().nullable() })),
  signers: z.array(z.object({ name: z.string(), email: z.string().describe("masked"), action: z.string(), status: z.string(), actedAt: z.string().nullable(), method: z.enum(["email_code", "account"]) })),
});

/** POST /api/verify: `valid` is true only when `verdict` is "valid". */
export const verifyResponse = z.object({
  verdict: z.enum(["valid", "untrusted", "invalid"]).describe("valid: intact and trusted (installation seal or trust anchor); untrusted: intact, unknown signer; invalid: altered or unsigned"),
  valid: z.boolean(),
  sha256: z.string(),
  signatures: z.array(signature),
  envelopeId: z.string().optional(),
  envelope: envelopeSummary.optional().describe("when the file's bytes are one of this installation's envelope files"),
}).passthrough();
