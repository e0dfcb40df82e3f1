import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Db, DbHandle } from "./db/connect.js";
import type { Logger } from "./log.js";
import type { BlobStore } from "./blobs/blob-store.js";
import type { SecretBox } from "./crypto/secrets.js";
import type { HookContributions } from "./hooks.js";
import type { AnyJobDefinition } from "./jobs/registry.js";
import type { ProviderDirectory } from "./providers/port.js";
import type { WorkerPool } from "./workers/pool.js";

/** What every command and query receives: the ports, never HTTP state. */
export interface AppContext {
  db: Db;
  dialect: DbHandle["dialect"];
  clock: Clock;
  config: Config;
  log: Logger;
  secrets: SecretBox;
  blobs: BlobStore;
  /** The signature providers (built-in, TOTVS Sign) behind the port; generic code never names one. */
  providers: ProviderDirectory;
  /** Every job definition by name, from the modules' manifests. */
  jobs: ReadonlyMap<string, AnyJobDefinition>;
  /** The modules' contributions to each other's extension points (see platform/hooks.ts). */
  hooks: HookContributions;
  /** The worker threads for CPU-heavy or untrusted work (platform/workers: `runTask(ctx, name, input)`). */
  workers: WorkerPool;
  /** Wakes the in-process worker after a commit that queued a job; a no-op without one. */
  notifyJobs(): void;
}

export type Role = "admin" | "manager" | "viewer";

/** Who acts: a signed-in user or API token holder, or the system itself (worker, CLI). */
export type Actor =
  | { kind: "user"; id: string; role: Role; email: string; name: string; ip?: string | null; /** The page language chosen at /account. */ locale?: "pt-BR" | "en" | null }
  | { kind: "system"; ip?: null };

export const systemActor: Actor = { kind: "system" };
export const actorId = (actor: Actor): string | null => (actor.kind === "user" ? actor.id : null);

export const nowIso = (ctx: { clock: Clock }): string => ctx.clock.now().toISOString();
