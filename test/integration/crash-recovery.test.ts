import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, test } from "node:test";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract, makeParty, makeProject, moveTo } from "../support/factories.js";
import { startTaeEmulator } from "../tae-emulator/emulator.js";

// A worker killed with SIGKILL in the middle of sending, then restarted,
// makes no second envelope and no second published document at the provider.
let h: Harness;
let emulator: Awaited<ReturnType<typeof startTaeEmulator>>;
const children: ChildProcess[] = [];
before(async () => {
  h = await startHarness();
  emulator = await startTaeEmulator();
});
after(async () => {
  for (const c of children) c.kill("SIGKILL");
  await h?.close();
  await emulator?.close();
});

function startWorker(): ChildProcess {
  const { database, dataDir, secretKey } = h.runtime.ctx.config;
  const child = spawn(process.execPath, ["bin/obrasign.js", "serve", "--worker-only"], {
    env: {
      ...process.env,
      DATABASE_URL: database.dialect === "sqlite" ? `sqlite:${database.path}` : database.url,
      OBRASIGN_DATA_DIR: dataDir,
      // The TAE emulator is plain http on loopback, as in the harness.
      OBRASIGN_PROVIDERS_ALLOW_PRIVATE: "1",
      OBRASIGN_SECRET_KEY: secretKey ?? "",
      OBRASIGN_JOB_LEASE_SECONDS: "2",
      OBRASIGN_REFRESH_EVERY_MINUTES: "0",
      LOG_LEVEL: "error",
      OBRASIGN_ADMIN_EMAIL: "admin@obrasign.test",
      OBRASIGN_ADMIN_PASSWORD: "admin-password-1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("SIGKILL between upload and publish, then restart: one envelope, one document at TAE", async () => {
  const settings = await h.call("PUT", "/api/settings/signature", {
    provider: "totvs-sign", totvsSign: { authUrl: emulator.authUrl, apiUrl: emulator.apiUrl, webLoginUrl: `${emulator.url}/web`, serviceUser: emulator.serviceUser.email, servicePassword: emulator.serviceUser.password },
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const project = await makeProject(h);
  const party = await makeParty(h);
  await h.call("PUT", `/api/projects/${project.id}/signature-settings`, { processes: { contract: { enabled: true, mode: "automatic", trigger: "contract.approved", recipients: [{ source: "party_contact", role: "legal_representative", action: "sign" }] } } });
  const contract = await makeContract(h, { projectId: project.id, partyId: party.id });

  // Publishing hangs long enough to kill the worker while it waits.
  emulator.setLatency(30_000, { routes: ["publish"] });
  await moveTo(h, "contracts", contract.id, "approved");
  // The same transition repeated (an ERP retrying) queues nothing more.
  assert.equal((await h.call("POST", `/api/contracts/${contract.id}/transitions`, { to: "approved" })).status, 409);

  const first = startWorker();
  await until("the publish call", async () => (emulator.counters().calls["publish"] ?? 0) >= 1);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const refBeforeRestart = await h.runtime.ctx.db.selectFrom("envelopes").select(["provider_ref", "status"]).where("record_id", "=", contract.id).execute();
  assert.equal(refBeforeRestart.length, 1);
  assert.ok(refBeforeRestart[0]!.provider_ref, "the TAE id was stored before publishing");
  assert.equal(refBeforeRestart[0]!.status, "queued");

  emulator.setLatency(0);
  const second = startWorker();
  const sent = await until("the envelope to be pending", async () => {
    const rows = await h.runtime.ctx.db.selectFrom("envelopes").select(["status", "provider_ref"]).where("record_id", "=", contract.id).execute();
    return rows[0]?.status === "pending" ? rows : null;
  });
  second.kill("SIGKILL");
  assert.equal(sent.length, 1, "one envelope");
  assert.equal(sent[0]!.provider_ref, refBeforeRestart[0]!.provider_ref, "the same TAE document");
  assert.equal(emulator.counters().uploads, 1, "one upload");
  const published = emulator.documents().filter((d: any) => d.status !== 5);
  assert.equal(published.length, 1, "one published document at TAE");
});
