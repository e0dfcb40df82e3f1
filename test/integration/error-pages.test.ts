import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../../src/app.js";
import { startHarness, type Harness } from "../support/harness.js";
import { makeContract } from "../support/factories.js";
import { multipart } from "../support/multipart.js";
import { signInByForm, type PageSession } from "../support/page-session.js";
import { tenMegabytesAndOneByte } from "../fixtures/pdf/hostile.js";

let h: Harness;
let web: FastifyInstance;
const browsers = {} as Record<"manager" | "viewer", PageSession>;

before(async () => {
  h = await startHarness();
  web = await createHttpServer(h.runtime.ctx);
  for (const role of ["manager", "viewer"] as const) browsers[role] = await signInByForm(web, `${role}@obrasign.test`, `${role}-password-1`);
});
after(async () => {
  await web?.close();
  await h?.close();
});

/** What a browser sends when it navigates. */
const navigation = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "accept-language": "pt-BR,pt;q=0.9" };
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

function assertPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number) {
  assert.equal(res.statusCode, status, res.body.slice(0, 300));
  assert.match(String(res.headers["content-type"]), /^text\/html/);
  assert.match(res.body, /^<!doctype html>/i);
  assert.match(res.body, /<html lang="pt-BR"/);
  assert.doesNotMatch(res.body, /^\s*\{"error"/);
}

describe("errors a browser meets are pages in the reader's language", () => {
  test("an unknown path: a 404 page in Portuguese, the API still answers JSON", async () => {
    const res = await web.inject({ method: "GET", url: "/nao-existe/pagina", headers: navigation, cookies: browsers.manager.cookies });
    assertPage(res, 404);
    assert.match(text(res.body), /Página não encontrada/);
    const anonymous = await web.inject({ method: "GET", url: "/nao-existe", headers: navigation });
    assertPage(anonymous, 404);
    const api = await web.inject({ method: "GET", url: "/api/nao-existe", headers: { ...navigation, authorization: `Bearer ${h.tokens.admin}` } });
    assert.equal(api.statusCode, 404);
    assert.equal(JSON.parse(api.body).error.code, "not_found");
  });

  test("a viewer opening /outbox: a 403 page in Portuguese", async () => {
    const res = await web.inject({ method: "GET", url: "/outbox", headers: navigation, cookies: browsers.viewer.cookies });
    assertPage(res, 403);
    assert.match(text(res.body), /Acesso negado|não permite/i);
  });

  test("a body over the limit on a page: a 413 page, not JSON", async () => {
    const contract = await makeContract(h);
    const body = multipart([{ name: "step", value: "1" }, { name: "file", filename: "huge.pdf", bytes: new Uint8Array(13 * 1024 * 1024) }]);
    const res = await web.inject({
      method: "POST", url: `/records/contracts/${contract.id}/send`, payload: body.payload,
      headers: { ...body.headers, ...navigation, ...browsers.manager.headers }, cookies: browsers.manager.cookies,
    });
    assertPage(res, 413);
    assert.match(text(res.body), /10 MB/);
  });

  test("a 10 MB + 1 byte PDF in the wizard: the other fields are kept and the message in Portuguese sits beside the file field", async () => {
    const contract = await makeContract(h);
    const url = `/records/contracts/${contract.id}/send`;
    const first = await web.inject({ method: "GET", url, headers: navigation, cookies: browsers.manager.cookies });
    const state = /name="state" value="([^"]+)"/.exec(first.body)![1]!;
    const body = multipart([
      { name: "step", value: "1" }, { name: "state", value: state }, { name: "name", value: "Boletim grande demais" },
      { name: "subject", value: "Assunto mantido" }, { name: "message", value: "Mensagem mantida" }, { name: "language", value: "en" },
      { name: "source", value: "upload" }, { name: "file", filename: "grande.pdf", bytes: tenMegabytesAndOneByte() }, { name: "nav", value: "next" },
    ]);
    const res = await web.inject({ method: "POST", url, payload: body.payload, headers: { ...body.headers, ...navigation, ...browsers.manager.headers }, cookies: browsers.manager.cookies });
    assertPage(res, 400);
    assert.match(res.body, /<p class="field-error" id="file-err">O arquivo passa de 10 MB.<\/p>/);
    assert.match(res.body, /<input id="file"[^>]*aria-describedby="file-err"[^>]*aria-invalid="true"/);
    assert.match(res.body, /id="name"[^>]*value="Boletim grande demais"/);
    assert.match(res.body, /id="subject"[^>]*value="Assunto mantido"/);
    assert.match(res.body, />Mensagem mantida<\/textarea>/);
    assert.match(res.body, /<option value="en" lang="en" selected>/);
    assert.match(res.body, /<input type="radio" name="source" value="upload" checked/);
    assert.equal((await h.call("GET", `/api/envelopes?recordId=${contract.id}`)).body.items.length, 0);
  });
});
