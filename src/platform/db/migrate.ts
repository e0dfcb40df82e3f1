import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as foundation from "./migrations/001-foundation.js";
import * as envelopes from "./migrations/002-envelopes.js";
import * as projectSignatureSettings from "./migrations/003-project-signature-settings.js";
import * as mailSecrets from "./migrations/006-mail-secrets.js";
import * as webhooks from "./migrations/004-webhooks.js";
import * as monitorIndexes from "./migrations/005-monitor-indexes.js";
import * as throttleCounters from "./migrations/007-throttle-counters.js";
import * as totvsSignChannels from "./migrations/008-totvs-sign-channels.js";
import * as envelopeLocale from "./migrations/009-envelope-locale.js";
import * as providerFailureValues from "./migrations/012-provider-failure-values.js";
import * as sealEvidence from "./migrations/010-seal-evidence.js";
import * as recipientOpened from "./migrations/013a-recipient-opened.js";
import * as accountsAndInvitations from "./migrations/011-accounts-and-invitations.js";
import * as envelopeSearch from "./migrations/013b-envelope-search.js";
import * as sealRenewal from "./migrations/015-seal-renewal.js";

/**
 * Migrations are listed in code (not read from a folder) so they work the
 * same from source under tsx and in any bundling, in a fixed order.
 */
export function migrationsFor(dialect: "sqlite" | "postgres"): Record<string, Migration> {
  return {
    "001-foundation": foundation,
    // Binary columns differ by dialect (bytea | blob); the migration is told which.
    "002-envelopes": { up: (db) => envelopes.up(db, dialect), down: envelopes.down },
    "003-project-signature-settings": projectSignatureSettings,
    "004-webhooks": webhooks,
    "005-monitor-indexes": { up: (db) => monitorIndexes.up(db, dialect), down: monitorIndexes.down },
    "006-mail-secrets": mailSecrets,
    "007-throttle-counters": throttleCounters,
    "008-totvs-sign-channels": totvsSignChannels,
    "009-envelope-locale": envelopeLocale,
    "010-seal-evidence": sealEvidence,
    "011-accounts-and-invitations": accountsAndInvitations,
    "012-provider-failure-values": providerFailureValues,
    "013a-recipient-opened": recipientOpened,
    "013b-envelope-search": { up: (db) => envelopeSearch.up(db, dialect), down: envelopeSearch.down },
    "015-seal-renewal": sealRenewal,
  };
}

export async function migrateToLatest(db: Kysely<any>, dialect: "sqlite" | "postgres"): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableName: "obrasign_migrations", migrationLockTableName: "obrasign_migrations_lock",
    // Numbers are handed out per change and land in any order: a database that ran 010 still runs 008 when it arrives.
    allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
