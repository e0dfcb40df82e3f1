import type { AppContext } from "./context.js";
import type { Database } from "./db/schema.js";
import type { HookContributions } from "./hooks.js";
import type { RouteModule } from "./http/server.js";
import type { AnyJobDefinition } from "./jobs/registry.js";
import type { Schedule } from "./jobs/schedules.js";
import type { ProviderName, SignatureProvider } from "./providers/port.js";
import type { TaskDefinition } from "./workers/tasks.js";

/** A signature provider a module brings: built per context, from the stored settings when it needs them. */
export interface ProviderFactory {
  name: ProviderName;
  create(ctx: AppContext): SignatureProvider | Promise<SignatureProvider>;
}

/**
 * What a module brings to the application, declared in one place: app.ts
 * lists the modules and assembles these. A module's own code names only the
 * tables it owns (test/unit/architecture.test.ts checks it); others go
 * through its queries and commands.
 */
/** Tables outside Kysely's types: search structures the migrations keep up to date and raw SQL reads. */
export type RawTable = "recipient_directory" | "envelopes_name_fts";

export interface ModuleManifest {
  name: string;
  tables: readonly (keyof Database | RawTable)[];
  routes?: readonly RouteModule[];
  jobs?: readonly AnyJobDefinition[];
  schedules?: readonly Schedule[];
  hooks?: HookContributions;
  providers?: readonly ProviderFactory[];
  /** Tasks its code runs in the worker pool (`runTask`); app.ts's task list holds the same definitions. */
  tasks?: readonly TaskDefinition[];
}
