import { z } from "zod";

const signature = z.object({
  signer: z.string(),
  signedAt: z.string().nullable(),
  integrity: z.boolean(),
  trusted: z.boolean(),
  coversWholeDocument: z.boolean(),
  installationSeal: z.boolean(),
  problem: z.string().nullable(),
  kind: z.enum(["signature", "document-timestamp"]).describe("document-timestamp: an ETSI.RFC3161 document timestamp (PAdES B-LTA)"),
  timestamp: z
    .object({ time: z.string().nullable(), authority: z.string().nullable(), valid: z.boolean(), trusted: z.boolean(), problem: z.string().optional() })
    .nullable()
    .describe("the RFC 3161 signature time-stamp (or the document timestamp's token): the TSA's time and name"),
  revocation: z
    .object({ status: z.enum(["good", "revoked", "unknown"]), revokedAt: z.string().optional(), reason: z.string().optional() })
    .nullable()
    .describe("the signer certificate's status in the file's DSS CRLs and the installation's current CRL"),
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
  level: z.enum(["B-B", "B-T", "B-LT", "B-LTA"]).nullable().describe("the PAdES baseline level reached (ETSI EN 319 142-1); null without an intact signature"),
  levelReasons: z.array(z.string()).describe("why the next level up is not reached"),
  sha256: z.string(),
  signatures: z.array(signature),
  envelopeId: z.string().optional(),
  envelope: envelopeSummary.optional().describe("when the file's bytes are one of this installation's envelope files"),
}).passthrough();
