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
import { assembleHooks } from "./platform/hooks.js";
import { buildServer } from "./platform/http/server.js";
import type { JobList } from "./platform/jobs/registry.js";
import { startSchedules } from "./platform/jobs/schedules.js";
import { startWorker } from "./platform/jobs/worker.js";
import { createLogger, type Logger } from "./platform/log.js";
import { sendMailJob } from "./platform/mail/outbox.js";
import type { ModuleManifest } from "./platform/modules.js";
import { createProviderDirectory } from "./platform/providers/directory.js";
import { protectDataDir } from "./platform/data-dir.js";
import { purgeThrottleSchedule } from "./platform/throttle/index.js";
import { createWorkerPool, resolveWorkerSettings, type TaskList } from "./platform/workers/index.js";
import { padesTasks } from "./pades/tasks.js";
import { requestAccess } from "./modules/auth/access.js";
import { authModule } from "./modules/auth/manifest.js";
import { recordsModule } from "./modules/records/manifest.js";
import { reportsModule } from "./modules/reports/manifest.js";
import { renderReportTask } from "./modules/reports/render-task.js";
import { sealModule } from "./modules/seal/manifest.js";
import { signatureSettingsModule } from "./modules/signature-settings/manifest.js";
import { companyModule } from "./modules/company/manifest.js";
import { getSignatureSettings } from "./modules/signature-settings/queries.js";
import { envelopesModule } from "./modules/envelopes/manifest.js";
import { embeddedProviderModule } from "./modules/providers/embedded/manifest.js";
import { totvsSignProviderModule } from "./modules/providers/totvs-sign/manifest.js";
import { signatureRulesModule } from "./modules/signature-rules/manifest.js";
import { webhooksModule } from "./modules/webhooks/manifest.js";
import { verifyModule } from "./modules/verify/manifest.js";
import { outboxModule } from "./modules/outbox/manifest.js";
import { webModule } from "./modules/web/manifest.js";
import { monitorModule } from "./modules/monitor/manifest.js";
import { refreshEnvelopesJob } from "./modules/envelopes/refresh/job.js";
import { sendEnvelopeJob } from "./modules/envelopes/jobs/send-envelope.js";
import { completeEnvelopeJob } from "./modules/providers/embedded/jobs.js";
import { autoSendJob } from "./modules/signature-rules/automation/auto-send.js";
import { deliverWebhookJob } from "./modules/webhooks/jobs/deliver-webhook.js";

/**
 * The modules of obrasign, lower layers first (an import may only point to a
 * module listed before it; test/unit/architecture.test.ts checks it). Their
 * manifests bring every route, job, schedule, hook and provider.
 */
export const modules: readonly ModuleManifest[] = [
  authModule,
  recordsModule,
  reportsModule,
  sealModule,
  signatureSettingsModule,
  companyModule,
  envelopesModule,
  embeddedProviderModule,
  totvsSignProviderModule,
  signatureRulesModule,
  webhooksModule,
  verifyModule,
  outboxModule,
  webModule,
  monitorModule,
];

/** Tables the platform itself keeps: files, jobs, mails, key-value settings, throttle counters. */
export const platformTables = ["blobs", "jobs", "mails", "settings", "throttle_counters"] as const;

/** One definition per declared job name: the compiler fails when a job is declared and not listed. */
const jobList: JobList = {
  "mail.send": sendMailJob,
  "envelope.send": sendEnvelopeJob,
  "envelopes.refresh": refreshEnvelopesJob,
  "envelope.complete": completeEnvelopeJob,
  "auto-send.record": autoSendJob,
  "webhook.deliver": deliverWebhookJob,
};

/** One definition per declared worker task (platform/workers/tasks.ts), as for jobs. */
const taskList: TaskList = {
  "pades.inspect": padesTasks[0],
  "pades.verify": padesTasks[1],
  "pades.seal": padesTasks[2],
  "pades.renew": padesTasks[3],
  "reports.render": renderReportTask,
};

function tasksOf(list: readonly ModuleManifest[]) {
  const tasks: Record<string, (typeof taskList)[keyof TaskList]> = { ...taskList };
  for (const m of list) for (const task of m.tasks ?? []) if (tasks[task.name] !== task) throw new Error(`Task ${task.name} of ${m.name} is not in app.ts's task list`);
  return tasks;
}

function jobsOf(list: readonly ModuleManifest[]) {
  const jobs = new Map(Object.entries(jobList));
  // A manifest's job must be the listed one: no job runs without both.
  for (const m of list) for (const job of m.jobs ?? []) if (jobs.get(job.name) !== job) throw new Error(`Job ${job.name} of ${m.name} is not in app.ts's job list`);
  return jobs;
}

export interface Runtime {
  ctx: AppContext;
  handle: DbHandle;
  close(): Promise<void>;
}

/** Connects the database, applies migrations and assembles the context from the modules. */
export async function openRuntime(config: Config, options: { clock?: Clock; log?: Logger } = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  protectDataDir(config.dataDir);
  const handle = connectDatabase(config.database, { onIdleError: (error) => log.warn({ err: error.message }, "database connection dropped while idle") });
  await migrateToLatest(handle.db, handle.dialect);
  const blobs = handle.dialect === "postgres" ? databaseBlobStore(handle.db, log) : folderBlobStore(join(config.dataDir, "blobs"), log);
  const ctx: AppContext = {
    db: handle.db, dialect: handle.dialect, clock: options.clock ?? systemClock, config, log,
    secrets: createSecretBox(loadSecretKey(config)), blobs, notifyJobs: () => {},
    jobs: jobsOf(modules),
    hooks: assembleHooks(modules.map((m) => m.hooks)),
    providers: null as never,
    workers: createWorkerPool(tasksOf(modules), resolveWorkerSettings(config.workers)),
  };
  ctx.providers = createProviderDirectory(ctx, modules.flatMap((m) => m.providers ?? []), async () => (await getSignatureSettings(ctx)).provider);
  return {
    ctx, handle,
    async close() {
      await ctx.workers.close();
      await handle.close();
    },
  };
}

export function createHttpServer(ctx: AppContext): Promise<FastifyInstance> {
  return buildServer(ctx, { routes: modules.flatMap((m) => m.routes ?? []), access: requestAccess });
}

/** The worker and the schedules of this process; `ctx.notifyJobs` wakes it after a commit. */
export function startBackground(ctx: AppContext, options: { concurrency?: number } = {}) {
  const worker = startWorker(ctx, options);
  // The platform's own periodic work (its tables have no manifest), then the modules'.
  const schedules = startSchedules(ctx, [purgeThrottleSchedule, ...modules.flatMap((m) => m.schedules ?? [])]);
  ctx.notifyJobs = () => worker.wake();
  return {
    async stop() {
      ctx.notifyJobs = () => {};
      schedules.stop();
      await worker.stop();
    },
  };
}
