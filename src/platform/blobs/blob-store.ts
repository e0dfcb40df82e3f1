import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../db/connect.js";

/**
 * Files (PDFs) addressed by SHA-256: writing the same bytes twice stores
 * them once, and a write may happen before the transaction that refers to
 * it (an orphan blob is harmless; a missing one is not).
 */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array>;
}

export const sha256Of = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A folder under the data dir, two levels of fan-out. Used with SQLite (one machine). */
export function folderBlobStore(root: string): BlobStore {
  const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const path = pathOf(sha256);
      if (!existsSync(path)) {
        mkdirSync(join(root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
        // Write then rename: a reader never sees half a file.
        const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
        writeFileSync(temp, bytes);
        renameSync(temp, path);
      }
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("Bad blob address");
      return new Uint8Array(readFileSync(pathOf(sha256)));
    },
  };
}

/** Inside PostgreSQL, so that every node of a cluster sees every file. */
export function databaseBlobStore(db: Db): BlobStore {
  return {
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      await db
        .insertInto("blobs")
        .values({ sha256, size: bytes.length, content: Buffer.from(bytes), created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column("sha256").doNothing())
        .execute();
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      const row = await db.selectFrom("blobs").select("content").where("sha256", "=", sha256).executeTakeFirst();
      if (!row?.content) throw new Error(`Blob ${sha256} not found`);
      return new Uint8Array(row.content);
    },
  };
}
