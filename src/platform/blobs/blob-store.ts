import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";

/**
 * Files (PDFs) addressed by SHA-256: writing the same bytes twice stores
 * them once, and a write may happen before the transaction that refers to
 * it (an orphan blob is harmless; a missing one is not).
 *
 * Every read checks the bytes against their address. A file changed on disk
 * (or a row edited in the database) is never served, signed or sealed: the
 * reader gets a BlobUnavailable, and the mismatch is logged as an error.
 */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /** The stored bytes; throws BlobUnavailable when they are missing or no longer match `sha256`. */
  get(sha256: string): Promise<Uint8Array>;
}

export const sha256Of = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A stored file that cannot be used: gone (404), or its bytes changed since it was stored (409). Never retried. */
export class BlobUnavailable extends AppError {
  readonly retryable = false;
  constructor(
    readonly reason: "missing" | "corrupt",
    readonly sha256: string,
  ) {
    super(
      reason === "missing" ? "not_found" : "conflict",
      reason === "missing"
        ? `The stored file ${sha256.slice(0, 12)}… is missing from the file store`
        : `The stored file ${sha256.slice(0, 12)}… no longer matches its SHA-256: it was changed after it was stored and will not be served, signed or sealed`,
      undefined,
      {
        "pt-BR": reason === "missing"
          ? `O arquivo armazenado ${sha256.slice(0, 12)}… não está no repositório de arquivos`
          : `O arquivo armazenado ${sha256.slice(0, 12)}… não corresponde mais ao seu SHA-256: foi alterado depois de guardado e não será exibido, assinado nem selado`,
      },
    );
  }
}

const isAddress = (sha256: string) => /^[0-9a-f]{64}$/.test(sha256);

function checked(sha256: string, bytes: Uint8Array, actual: string, log?: Logger): Uint8Array {
  if (actual === sha256) return bytes;
  log?.error({ sha256, actual, size: bytes.length }, "stored file does not match its SHA-256; refusing to use it");
  throw new BlobUnavailable("corrupt", sha256);
}

/** A folder under the data dir, two levels of fan-out. Used with SQLite (one machine). */
export function folderBlobStore(root: string, log?: Logger): BlobStore {
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
      if (!isAddress(sha256)) throw new BlobUnavailable("missing", sha256);
      // Hashed while it is read: one pass over the file, no second copy.
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of createReadStream(pathOf(sha256))) {
          hash.update(chunk as Buffer);
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          log?.error({ sha256 }, "stored file is missing");
          throw new BlobUnavailable("missing", sha256);
        }
        throw error;
      }
      const bytes = new Uint8Array(Buffer.concat(chunks));
      return checked(sha256, bytes, hash.digest("hex"), log);
    },
  };
}

/** Inside PostgreSQL, so that every node of a cluster sees every file. */
export function databaseBlobStore(db: Db, log?: Logger): BlobStore {
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
      if (!isAddress(sha256)) throw new BlobUnavailable("missing", sha256);
      const row = await db.selectFrom("blobs").select("content").where("sha256", "=", sha256).executeTakeFirst();
      if (!row?.content) {
        log?.error({ sha256 }, "stored file is missing");
        throw new BlobUnavailable("missing", sha256);
      }
      const bytes = new Uint8Array(row.content);
      return checked(sha256, bytes, sha256Of(bytes), log);
    },
  };
}
