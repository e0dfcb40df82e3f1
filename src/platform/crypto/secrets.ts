import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";

/**
 * Secrets at rest (provider passwords and tokens, seal private keys) are
 * sealed with AES-256-GCM under a key from OBRASIGN_SECRET_KEY, or else from
 * a key file created in the data folder on first start. Several nodes sharing
 * one PostgreSQL must share OBRASIGN_SECRET_KEY.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** HMAC-SHA256 under a key derived from the secret key: for short secrets (codes) kept at rest. */
  mac(data: string): string;
}

const keyFileName = "secret.key";

export function loadSecretKey(config: Pick<Config, "secretKey" | "dataDir">): Buffer {
  if (config.secretKey) return createHash("sha256").update(config.secretKey).digest();
  const path = join(config.dataDir, keyFileName);
  if (!existsSync(path)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  chmodSync(path, 0o600);
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64");
}

export function createSecretBox(key: Buffer): SecretBox {
  const macKey = createHash("sha256").update("obrasign-mac").update(key).digest();
  return {
    mac: (data) => createHmac("sha256", macKey).update(data).digest("hex"),
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Not a sealed secret");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
