import "./platform/validation/zod-setup.js";
import type { FastifyInstance } from "fastify";
import { join } from "node:path";
import { databaseBlobStore, folderBlobStore } from "./platform/blobs/blob-store.js";
import { createSecretBox, loadSecretKey } from "./platform/crypto/secrets.js";
import { systemClock, type Clock } from "./platform/clock.js";
import type { Config } from "./platform/config.js";
import type { AppContext } from "./platform/context.js";
import { connectDatabase, type DbHandle } from "./platform/db/connect.js";
import { migrateToLatest } from "./platform/db/migrate.js";
import { buildServer } from "./platform/http/server.js";
import { createLogger, type Logger } from "./platform/log.js";
import { authPages } from "./modules/auth/pages.js";
import { authApiRoutes } from "./modules/auth/routes.js";
import { recordRoutes } from "./modules/records/routes.js";
import { outboxRoutes } from "./modules/outbox/routes.js";
import { envelopeRoutes } from "./modules/envelopes/routes.js";
import { signatureSettingsPages, signatureSettingsRoutes } from "./modules/signature-settings/index.js";
import { projectSignatureSettingsPages, projectSignatureSettingsRoutes, registerDefaultRecipients } from "./modules/signature-rules/index.js";
import { refreshRoutes } from "./modules/envelopes/refresh/index.js";
import { sendWizardPages, webPages } from "./modules/web/index.js";
import { monitorPages } from "./modules/monitor/index.js";
import { registerAutomaticSending } from "./modules/signature-rules/automation/auto-send.js";
import { registerGating } from "./modules/signature-rules/automation/gating.js";
import { registerWebhookListeners, totvsSignInboundRoutes, webhookRoutes } from "./modules/webhooks/index.js";
import { signingRoutes } from "./modules/providers/embedded/routes.js";
import { sealRoutes } from "./modules/seal/routes.js";
import { verifyRoutes } from "./modules/verify/routes.js";
import { startWorker } from "./platform/jobs/worker.js";
import { startSchedules } from "./platform/jobs/schedules.js";
// Job definitions register themselves on import: every process that may run a job loads them all.
import "./platform/mail/outbox.js";
import "./modules/envelopes/jobs/send-envelope.js";
import "./modules/providers/embedded/jobs.js";
import "./modules/envelopes/refresh/job.js";

export interface Runtime {
  ctx: AppContext;
  handle: DbHandle;
  close(): Promise<void>;
}

/** Connects the database, applies migrations and assembles the context. */
export async function openRuntime(config: Config, options: { clock?: Clock; log?: Logger } = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const handle = connectDatabase(config.database, { onIdleError: (error) => log.warn({ err: error.message }, "database connection dropped while idle") });
  await migrateToLatest(handle.db, handle.dialect);
  registerCapabilities();
  const blobs = handle.dialect === "postgres" ? databaseBlobStore(handle.db) : folderBlobStore(join(config.dataDir, "blobs"));
  const ctx: AppContext = {
    db: handle.db, dialect: handle.dialect, clock: options.clock ?? systemClock, config, log,
    secrets: createSecretBox(loadSecretKey(config)), blobs, notifyJobs: () => {},
  };
  return { ctx, handle, close: () => handle.close() };
}

/** Capabilities that hook into others (record transitions, envelope changes) register once per process. */
function registerCapabilities() {
  registerDefaultRecipients();
  registerAutomaticSending();
  registerGating();
  registerWebhookListeners();
}

export function createHttpServer(ctx: AppContext): Promise<FastifyInstance> {
  return buildServer(ctx, [authPages, authApiRoutes, recordRoutes, envelopeRoutes, signingRoutes, verifyRoutes, outboxRoutes, sealRoutes, signatureSettingsRoutes, signatureSettingsPages,
    projectSignatureSettingsRoutes, projectSignatureSettingsPages, refreshRoutes, webhookRoutes, totvsSignInboundRoutes, webPages, sendWizardPages, monitorPages]);
}

/** The worker and the schedules of this process; `ctx.notifyJobs` wakes it after a commit. */
export function startBackground(ctx: AppContext, options: { concurrency?: number } = {}) {
  const worker = startWorker(ctx, options);
  const schedules = startSchedules(ctx);
  ctx.notifyJobs = () => worker.wake();
  return {
    async stop() {
      ctx.notifyJobs = () => {};
      schedules.stop();
      await worker.stop();
    },
  };
}
