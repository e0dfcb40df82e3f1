import { createHash, randomBytes } from "node:crypto";

/**
 * Bearer secrets (API tokens, sessions, signing links): 256 random bits,
 * shown once, stored as SHA-256. A fast hash suffices because the secret
 * itself has full entropy; nothing to brute-force.
 */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
