import { Command, Option } from "commander";
import { createHttpServer, openRuntime, startBackground } from "../app.js";
import { ensureSealIdentity } from "../modules/seal/identity-store.js";
import { loadConfig } from "../platform/config.js";
import { migrateToLatest } from "../platform/db/migrate.js";
import { connectDatabase } from "../platform/db/connect.js";
import { createLogger, createServeLogger } from "../platform/log.js";
import { join } from "node:path";
import { createApiToken } from "../modules/auth/commands/create-api-token.js";
import { createUser } from "../modules/auth/commands/create-user.js";
import { generatePassword } from "../platform/crypto/passwords.js";
import { ensureFirstAdmin } from "../modules/auth/commands/ensure-first-admin.js";
import { loadDemo } from "../modules/records/demo.js";
import { AppError } from "../platform/errors.js";
import { refreshEnvelopes } from "../modules/envelopes/refresh/index.js";
import { DEFAULT_RENEW_DAYS, renewDueSeals, renewEnvelopeSeals } from "../modules/envelopes/commands/renew-seals.js";
import cliProgress from "cli-progress";
import { ZodError } from "zod";

const program = new Command("obrasign").description("Electronic signature for construction contract management");

/** CLI commands log only warnings: their output is what they print. */
const quietRuntime = () => {
  const config = loadConfig();
  return openRuntime(config, { log: createLogger(process.env.LOG_LEVEL ?? "warn") });
};

program
  .command("serve")
  .description("runs the web server and the background worker")
  .option("--no-worker", "serve HTTP only")
  .option("--worker-only", "run the background worker only")
  .option("--demo", "load the demo company on start (idempotent)")
  .addOption(new Option("--log-format <format>", "human: warnings on the terminal, every log line as JSON in the data folder's obrasign.log; json: JSON lines on standard output").choices(["human", "json"]).default("human"))
  .action(async (options: { worker: boolean; workerOnly?: boolean; demo?: boolean; logFormat: "human" | "json" }) => {
    const config = loadConfig();
    const logFile = join(config.dataDir, "obrasign.log");
    const runtime = await openRuntime(config, { log: createServeLogger(config.logLevel, options.logFormat, logFile) });
    const { ctx } = runtime;
    const say = options.logFormat === "human" ? (line: string) => console.log(line) : () => {};
    const admin = await ensureFirstAdmin(ctx);
    if (admin) {
      // The password is printed in both formats: it is shown nowhere else.
      console.log(`\n  First administrator: ${admin.email}`);
      if (admin.password) console.log(`  One-time password:   ${admin.password}   (shown once: change it at ${config.publicUrl}/account after signing in)\n`);
    }
    if (options.demo) {
      const loaded = await loadDemo(ctx);
      say(`  Demo loaded: ${loaded.projects} projects, ${loaded.parties} parties, ${loaded.contracts} contracts`);
    }
    await ensureSealIdentity(ctx);
    const background = options.worker || options.workerOnly ? startBackground(ctx) : null;
    const server = options.workerOnly ? null : await createHttpServer(ctx);
    if (server) {
      await server.listen({ port: config.port, host: config.host });
      say(`  obrasign is running at ${config.publicUrl}  (database: ${config.database.dialect})`);
      say(`  Sign in at ${config.publicUrl}/login · API docs at ${config.publicUrl}/docs`);
    } else {
      say(`  obrasign worker is running  (database: ${config.database.dialect})`);
    }
    if (!config.smtpUrl) say(`  No SMTP_URL: mails are kept in the outbox, ${config.publicUrl}/outbox (administrators)`);
    say(`  Log: ${logFile}\n`);
    const stop = async () => {
      await server?.close();
      await background?.stop();
      await runtime.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

program
  .command("migrate")
  .description("applies database migrations")
  .action(async () => {
    const config = loadConfig();
    const handle = connectDatabase(config.database);
    const applied = await migrateToLatest(handle.db, handle.dialect);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date");
    await handle.close();
  });

const users = program.command("users").description("manages users");
users
  .command("create")
  .description("creates a user")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .addOption(new Option("--role <role>").choices(["admin", "manager", "viewer"]).makeOptionMandatory())
  .option("--password <password>")
  .action(async (options: { email: string; name: string; role: "admin" | "manager" | "viewer"; password?: string }) => {
    const runtime = await quietRuntime();
    try {
      // Without --password the user gets a one-time password: a user nobody can sign in as helps no one.
      const password = options.password ?? generatePassword();
      const user = await createUser(runtime.ctx, { ...options, password });
      console.log(`Created ${user.role} ${user.email} (${user.id})`);
      if (!options.password) console.log(`One-time password: ${password}   (shown once: change it at ${runtime.ctx.config.publicUrl}/account after signing in)`);
    } finally {
      await runtime.close();
    }
  });

const tokens = program.command("tokens").description("manages API tokens");
tokens
  .command("create")
  .description("prints a new API token for a user, alone on the last line")
  .requiredOption("--email <email>")
  .option("--name <name>")
  .action(async (options: { email: string; name?: string }) => {
    const runtime = await quietRuntime();
    try {
      const { token, record } = await createApiToken(runtime.ctx, options);
      console.log(`API token "${record.name}" for ${record.email}; it is shown only now:`);
      console.log(token);
    } finally {
      await runtime.close();
    }
  });

program
  .command("envelopes")
  .description("manages envelopes")
  .command("refresh")
  .description("asks the provider for the status of the given envelopes, or of every pending one (exit 2 when some failed)")
  .argument("[ids...]", "envelope ids")
  .option("--all-pending", "every envelope pending or partially signed")
  .action(async (ids: string[], options: { allPending?: boolean }) => {
    if (!options.allPending && ids.length === 0) throw new AppError("validation", "name envelope ids, or pass --all-pending");
    const runtime = await quietRuntime();
    const bar = new cliProgress.SingleBar({ format: "{bar} {value}/{total} envelopes · {failed} failed", hideCursor: true }, cliProgress.Presets.shades_classic);
    try {
      let started = false;
      const outcome = await refreshEnvelopes(runtime.ctx, options.allPending ? { allPending: true } : { ids }, {
        onProgress(p) {
          if (!started) {
            bar.start(p.total, 0, { failed: 0 });
            started = true;
          }
          bar.update(p.done, { failed: p.failed });
        },
      });
      bar.stop();
      console.log(`refreshed: ${outcome.done - outcome.failed}, changed: ${outcome.changed}, failed: ${outcome.failed}`);
      if (outcome.failed > 0) process.exitCode = 2;
    } finally {
      bar.stop();
      await runtime.close();
    }
  });

program
  .command("seals")
  .description("the evidence of signed files")
  .command("renew")
  .description("renews signed files whose last document timestamp expires within the margin: a new DSS and document timestamp, appended (exit 2 when some could not be renewed)")
  .argument("[envelopeIds...]", "only these envelopes (their files are read, also those sealed before the expiry was recorded)")
  .option("--margin-days <days>", "renew when the timestamp expires within this many days (default OBRASIGN_SEAL_RENEW_DAYS, 90)")
  .action(async (envelopeIds: string[], options: { marginDays?: string }) => {
    const margin = options.marginDays === undefined ? undefined : Number(options.marginDays);
    if (margin !== undefined && !(Number.isInteger(margin) && margin >= 0 && margin <= 36500)) throw new AppError("validation", "--margin-days: a whole number of days", { marginDays: "a whole number of days, 0 to 36500" });
    const runtime = await quietRuntime();
    try {
      const marginDays = margin ?? runtime.ctx.config.sealRenewDays ?? DEFAULT_RENEW_DAYS;
      const outcomes = envelopeIds.length
        ? (await Promise.all(envelopeIds.map((id) => renewEnvelopeSeals(runtime.ctx, id, marginDays)))).flat()
        : await renewDueSeals(runtime.ctx, { marginDays, limit: 10_000 });
      for (const o of outcomes) console.log(`${o.envelopeId}  ${o.file}  ${o.outcome}${o.expiresAt ? `  expires ${o.expiresAt}` : ""}${o.detail ? `  (${o.detail})` : ""}`);
      const renewed = outcomes.filter((o) => o.outcome === "renewed").length;
      const failed = outcomes.filter((o) => o.outcome === "unavailable" || o.outcome === "not-extended").length;
      console.log(`renewed: ${renewed}, not due: ${outcomes.length - renewed - failed}, failed: ${failed}`);
      if (failed > 0) process.exitCode = 2;
    } finally {
      await runtime.close();
    }
  });

program
  .command("demo")
  .description("loads the demo project, parties, contracts and settings (idempotent)")
  .action(async () => {
    const runtime = await quietRuntime();
    try {
      const loaded = await loadDemo(runtime.ctx);
      console.log(`Demo loaded: ${loaded.projects} projects, ${loaded.parties} parties, ${loaded.contracts} contracts`);
    } finally {
      await runtime.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AppError || error instanceof ZodError) {
    const fields = error instanceof AppError ? error.fields : Object.fromEntries(error.issues.map((i) => [i.path.join("."), i.message]));
    console.error(`obrasign: ${error.message.split("\n")[0]}`);
    if (fields) for (const [k, v] of Object.entries(fields)) console.error(`  ${k}: ${v}`);
    process.exit(1);
  }
  console.error(`obrasign: ${(error as Error).message}`);
  process.exit(1);
}
