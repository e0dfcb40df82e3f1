import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as foundation from "./migrations/001-foundation.js";

/**
 * Migrations are listed in code (not read from a folder) so they work the
 * same from source under tsx and in any bundling, in a fixed order.
 */
export const migrations: Record<string, Migration> = {
  "001-foundation": foundation,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: "obrasign_migrations", migrationLockTableName: "obrasign_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
