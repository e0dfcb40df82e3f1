import assert from "node:assert/strict";
import { openPage, signInByForm, type PageSession } from "../support/page-session.js";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, describe, test } from "node:test";
import { X509Certificate } from "node:crypto";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { samplePdf } from "../support/pdfs.js";
import { flateBombInXref, hostileCorpus, hugePageCount } from "../fixtures/pdf/hostile.js";
import { createInstallationCa, createSealCertificate } from "../../src/pades/seal/identity.js";
import { sealPdf } from "../../src/pades/seal/seal.js";
import { activeSeal } from "../../src/modules/seal/identity-store.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let h: Harness;
let session: string;
let browser: PageSession;
let visitor: PageSession;
let corpus: Awaited<ReturnType<typeof hostileCorpus>>;
before(async () => {
  h = await startHarness();
  corpus = await hostileCorpus();
  browser = await signInByForm(h.app, "manager@obrasign.test", "manager-password-1");
  session = browser.cookies.obrasign_session!;
  visitor = await openPage(h.app, "/verify");
});
after(async () => h?.close());

function filesUnder(dir: string): number {
  try {
    return readdirSync(dir).reduce((n, name) => n + (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : 1), 0);
  } catch {
    return 0;
  }
}

/** What an attempt could have left behind: envelopes, files, blobs (rows on PostgreSQL, files on SQLite). */
async function stored() {
  const db = h.runtime.ctx.db;
  const count = async (table: "envelopes" | "envelope_files" | "blobs") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const blobs = h.runtime.ctx.dialect === "postgres" ? await count("blobs") : filesUnder(join(h.runtime.ctx.config.dataDir, "blobs"));
  return { envelopes: await count("envelopes"), files: await count("envelope_files"), blobs };
}

const wizardPost = (url: string, parts: Parameters<typeof multipart>[0]) => {
  const body = multipart(parts);
  return h.app.inject({ method: "POST", url, payload: body.payload, headers: { ...body.headers, ...browser.headers, "accept-language": "pt-BR" }, cookies: browser.cookies });
};

describe("the hostile-input corpus", () => {
  test("/api/verify answers each file with its 4xx (or an 'invalid' verdict), never a 500", async () => {
    for (const { name, bytes, verifyStatus } of corpus) {
      const res = await h.upload("/api/verify", [{ name: "file", filename: `${name}.pdf`, bytes }], null);
      assert.equal(res.status, verifyStatus, `${name}: ${JSON.stringify(res.body)}`);
      if (verifyStatus === 200) assert.equal(res.body.verdict, "invalid", name);
      else assert.ok(res.body.error.message.length > 0, name);
    }
  });

  test("POST /api/envelopes refuses each file with its 4xx and stores nothing", async () => {
    const contract = await makeContract(h);
    const before = await stored();
    for (const { name, bytes, status } of corpus) {
      const res = await h.upload("/api/envelopes", [
        { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Ana", email: "ana@example.com", action: "sign" }] }) },
        { name: "file", filename: `${name}.pdf`, bytes },
      ], "manager");
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual(await stored(), before);
  });

  test("the send wizard refuses each file at step 1 with a message and keeps nothing", async () => {
    const contract = await makeContract(h);
    const url = `/records/contracts/${contract.id}/send`;
    const first = await h.app.inject({ method: "GET", url, cookies: { obrasign_session: session } });
    const state = /name="state" value="([^"]+)"/.exec(first.body)![1]!;
    const before = await stored();
    for (const { name, bytes } of corpus) {
      const res = await wizardPost(url, [
        { name: "step", value: "1" }, { name: "state", value: state }, { name: "name", value: "Contrato" }, { name: "source", value: "upload" },
        { name: "file", filename: `${name}.pdf`, bytes }, { name: "nav", value: "next" },
      ]);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`);
      assert.match(res.body, /id="file-err"/, name);
    }
    assert.deepEqual(await stored(), before);
  });

  test("a page tree claiming /Count 2000000000 is taken for the pages it really has", async () => {
    const bytes = hugePageCount();
    const verified = await h.upload("/api/verify", [{ name: "file", filename: "count.pdf", bytes }], null);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.verdict, "invalid");
    const contract = await makeContract(h);
    const created = await h.upload("/api/envelopes", [
      { name: "envelope", value: JSON.stringify({ process: "contract", recordId: contract.id, name: "Contrato", recipients: [{ name: "Ana", email: "ana@example.com", action: "sign" }] }) },
      { name: "file", filename: "count.pdf", bytes },
    ], "manager");
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const envelope = await h.call("GET", `/api/envelopes/${created.body.id}`);
    assert.equal(envelope.body.files.find((f: { kind: string }) => f.kind === "original").pageCount, 1);
  });

  test("a limit is named in the reader's language", async () => {
    const bomb = flateBombInXref();
    const pt = await h.app.inject({ method: "POST", url: "/api/verify", ...multipartPayload(bomb), });
    assert.equal(pt.statusCode, 422);
    assert.match(pt.json().error.message, /excede o limite de tamanho descompactado/);
    const en = await h.app.inject({ method: "POST", url: "/api/verify", ...multipartPayload(bomb, "en") });
    assert.match(en.json().error.message, /exceeds the decompressed size of one stream limit \(maxInflatedBytesPerStream/);
  });

  test("/health answers while 8 bombs are verified at once, and memory returns to its baseline", async () => {
    const bomb = flateBombInXref();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const bombs = Array.from({ length: 8 }, () => h.upload("/api/verify", [{ name: "file", filename: "bomb.pdf", bytes: bomb }], null));
    const health = h.app.inject({ method: "GET", url: "/health" });
    const [answered, ...results] = await Promise.all([health, ...bombs]);
    assert.equal(answered.statusCode, 200);
    for (const r of results) assert.equal(r.status, 422);
    gc();
    assert.ok(process.memoryUsage().heapUsed - baseline < 64 * 1024 * 1024, `heap grew by ${((process.memoryUsage().heapUsed - baseline) / 1048576).toFixed(0)} MB`);
  });
});

function multipartPayload(bytes: Uint8Array, lang = "pt-BR") {
  const body = multipart([{ name: "file", filename: "f.pdf", bytes }]);
  return { payload: body.payload, headers: { ...body.headers, "accept-language": lang } };
}

describe("verdicts", () => {
  test("a seal by a look-alike CA with a forged manifest is 'untrusted', never green", async () => {
    const real = await activeSeal(h.runtime.ctx);
    const realSubject = new X509Certificate(real.chainPem[0]!).subject;
    const forgedCa = await createInstallationCa({ installationName: "obrasign", modulusLength: 2048 });
    const forgedSeal = await createSealCertificate(forgedCa, { modulusLength: 2048 });
    const forged = sealPdf(await samplePdf("Manifesto forjado"), { privateKey: forgedSeal.privateKeyPem, certificateChain: forgedSeal.chainPem, name: "obrasign seal" });
    const api = await h.upload("/api/verify", [{ name: "file", filename: "forjado.pdf", bytes: forged }], null);
    assert.equal(api.status, 200);
    assert.equal(api.body.verdict, "untrusted");
    assert.equal(api.body.valid, false);
    assert.equal(api.body.signatures[0].integrity, true);
    assert.equal(api.body.envelopeId, undefined);
    assert.ok(realSubject.length > 0);

    const body = multipart([{ name: "file", filename: "forjado.pdf", bytes: forged }]);
    const page = await h.app.inject({ method: "POST", url: "/verify", payload: body.payload, cookies: visitor.cookies, headers: { ...body.headers, ...visitor.headers, "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="verdict warn"[^>]*data-verdict="untrusted">Íntegro, mas de origem não confiável/);
    assert.doesNotMatch(page.body, /class="verdict ok"/);
  });

  test("an unreadable file on the page is a 4xx with the message, not a 500", async () => {
    const body = multipart([{ name: "file", filename: "bomba.pdf", bytes: flateBombInXref() }]);
    const page = await h.app.inject({ method: "POST", url: "/verify", payload: body.payload, cookies: visitor.cookies, headers: { ...body.headers, ...visitor.headers, "accept-language": "pt-BR" } });
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /role="alert">O PDF excede o limite/);
  });
});
